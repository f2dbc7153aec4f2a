import path from "path";
import {
  classifyWindow,
  creditReadingFrom,
  parseTokenCountLine,
  snapshotFromReading,
  windowsFromRateLimits,
} from "../../../../src/sources/codex/log-lines";
import { readCodexCaps } from "../../../../src/sources/codex/session-logs";
import { CapWindow, CreditReading } from "../../../../src/model/types";
import { clampPercent } from "../../../../src/model/windows";
import {
  copyFixture,
  DAY,
  expectFailure,
  expectOk,
  filesIn,
  fixture,
  RESETS_5H,
  RESETS_WEEK,
  SAMPLE_A,
  SAMPLE_A_AT,
  SAMPLE_A_CAPS,
  loggedCredits,
  SAMPLE_E,
  setMtime,
  useCodexTestFolder,
} from "../../../support/codex-logs";

const testFolder = useCodexTestFolder();

describe("readCodexCaps on fixture homes", () => {
  test("current-plus: sample A, the newest token_count of the file", async () => {
    const result = expectOk(await readCodexCaps(fixture("current-plus")));
    expect(result.caps).toEqual(SAMPLE_A_CAPS);
    expect(result.file).toBe((await filesIn(path.join(fixture("current-plus"), DAY)))[0]);
  });

  test("weekly-only: the weekly window sits in primary and secondary is null", async () => {
    const { caps } = expectOk(await readCodexCaps(fixture("weekly-only")));
    expect(caps).toEqual({
      windows: [{ id: "weekly", label: "Weekly", usedPercent: 23, windowMinutes: 10080, resetsAt: RESETS_WEEK }],
      capturedAt: Date.parse("2026-10-12T09:41:17.006Z"),
      origin: "codex-session-log",
      planName: "prolite",
      credits: loggedCredits(
        { kind: "codexCredits", credits: 0 },
        Date.parse("2026-10-12T09:41:17.006Z"),
        "no credits",
      ),
    });
  });

  test("legacy-relative: resets_in_seconds counts from the line timestamp", async () => {
    const { caps } = expectOk(await readCodexCaps(fixture("legacy-relative")));
    expect(caps).toEqual({
      windows: [
        { id: "5h", label: "5h", usedPercent: 8, windowMinutes: 300, resetsAt: 1760043613113 },
        { id: "weekly", label: "Weekly", usedPercent: 44, windowMinutes: 10080, resetsAt: 1760336277113 },
      ],
      capturedAt: 1760034160113,
      origin: "codex-session-log",
    });
    expect(new Date(caps.windows[0].resetsAt ?? 0).toISOString()).toBe("2025-10-09T21:00:13.113Z");
  });

  test("legacy-flat: percent and minutes only, no reset time", async () => {
    const { caps } = expectOk(await readCodexCaps(fixture("legacy-flat")));
    expect(caps).toEqual({
      windows: [
        { id: "5h", label: "5h", usedPercent: 12.5, windowMinutes: 300, resetsAt: null },
        { id: "weekly", label: "Weekly", usedPercent: 30, windowMinutes: 10080, resetsAt: null },
      ],
      capturedAt: 1758525303551,
      origin: "codex-session-log",
    });
  });

  test("rate-limits-null: null, {} and missing rate_limits give no-rate-limits, blaming no login", async () => {
    const failure = expectFailure(await readCodexCaps(fixture("rate-limits-null")), "no-rate-limits");
    // No session_meta or turn line says how Codex was signed in (provider-formats §1, §9.2): `codex exec`
    // sessions of ChatGPT plans log null too (openai/codex#14880), so an API-key login is not to be assumed.
    expect(failure.message).toBe("No rate limits in recent Codex sessions");
    expect(failure.hint).not.toMatch(/API[- ]key/i);
    expect(failure.hint).toMatch(/codex exec/);
  });

  test("premium-after-codex: the codex windows, with the newer premium reading's balance", async () => {
    const premiumAt = Date.parse("2026-10-12T13:59:30.250Z");
    expect(expectOk(await readCodexCaps(fixture("premium-after-codex"))).caps).toEqual({
      ...SAMPLE_A_CAPS,
      credits: loggedCredits({ kind: "codexCredits", credits: 0 }, premiumAt, "no credits"),
    });
  });

  test("model-bucket-after-codex: the codex windows, with the newer model bucket's plan", async () => {
    expect(expectOk(await readCodexCaps(fixture("model-bucket-after-codex"))).caps).toEqual({
      ...SAMPLE_A_CAPS,
      planName: "pro",
    });
  });

  test("unlimited-credits: unlimited credits are usable", async () => {
    const { caps } = expectOk(await readCodexCaps(fixture("unlimited-credits")));
    expect(caps).toEqual({
      windows: [
        { id: "5h", label: "5h", usedPercent: 4, windowMinutes: 300, resetsAt: RESETS_5H },
        { id: "weekly", label: "Weekly", usedPercent: 11, windowMinutes: 10080, resetsAt: RESETS_WEEK },
      ],
      capturedAt: Date.parse("2026-10-12T13:50:31.000Z"),
      origin: "codex-session-log",
      planName: "enterprise",
      credits: loggedCredits({ kind: "unlimited" }, Date.parse("2026-10-12T13:50:31.000Z")),
    });
  });

  test("limit-reached: 100% with no usable credits", async () => {
    const { caps } = expectOk(await readCodexCaps(fixture("limit-reached")));
    expect(caps).toEqual({
      windows: [
        { id: "5h", label: "5h", usedPercent: 100, windowMinutes: 300, resetsAt: RESETS_5H },
        { id: "weekly", label: "Weekly", usedPercent: 74, windowMinutes: 10080, resetsAt: RESETS_WEEK },
      ],
      capturedAt: Date.parse("2026-10-12T14:01:12.338Z"),
      origin: "codex-session-log",
      planName: "plus",
      credits: loggedCredits(
        { kind: "codexCredits", credits: 0 },
        Date.parse("2026-10-12T14:01:12.338Z"),
        "no credits",
      ),
    });
  });

  test("swapped-slots: weekly in primary and 5h in secondary are classified by length", async () => {
    expect(expectOk(await readCodexCaps(fixture("swapped-slots"))).caps).toEqual(SAMPLE_A_CAPS);
  });

  test("truncated-last-line: a half-written last line is ignored", async () => {
    expect(expectOk(await readCodexCaps(fixture("truncated-last-line"))).caps).toEqual(SAMPLE_A_CAPS);
  });

  test("garbage-lines: junk, wrong types and bad timestamps after the snapshot are ignored", async () => {
    expect(expectOk(await readCodexCaps(fixture("garbage-lines"))).caps).toEqual(SAMPLE_A_CAPS);
  });

  test("zst-only: a compressed rollout is decoded when no plain file exists", async () => {
    const result = expectOk(await readCodexCaps(fixture("zst-only")));
    expect(result.caps).toEqual(SAMPLE_A_CAPS);
    expect(result.file).toMatch(/\.jsonl\.zst$/);
  });

  test("zst-only: only the tail of the decompressed stream is kept", async () => {
    const only = (bytes: number) => ({ tailBytes: bytes, maxTailBytes: bytes });
    expect(expectOk(await readCodexCaps(fixture("zst-only"), only(1100))).caps).toEqual(SAMPLE_A_CAPS);
    // 300 bytes hold only the last, snapshot-less line: the earlier ones were dropped while streaming.
    expect(await readCodexCaps(fixture("zst-only"), only(300))).toMatchObject({ ok: false });
    // Reading back further reaches them.
    expect(expectOk(await readCodexCaps(fixture("zst-only"), { tailBytes: 300 })).caps).toEqual(SAMPLE_A_CAPS);
  });

  test("both-plain-and-zst: the plain file wins even when the .zst files are newer", async () => {
    const home = await copyFixture("both-plain-and-zst", testFolder());
    const [plain, plainTwin, otherZst] = await filesIn(path.join(home, DAY));
    await setMtime(plain, "2026-10-12T13:58:03Z");
    await setMtime(plainTwin, "2026-10-12T14:30:00Z");
    await setMtime(otherZst, "2026-10-12T14:31:00Z");
    const result = expectOk(await readCodexCaps(home));
    expect(result.caps).toEqual(SAMPLE_A_CAPS);
    expect(result.file).toBe(plain);
  });

  test("day-rollover: the newest mtime wins across the newest three day folders", async () => {
    const home = await copyFixture("day-rollover", testFolder());
    const [today] = await filesIn(path.join(home, "sessions/2026/10/13"));
    const [yesterday] = await filesIn(path.join(home, "sessions/2026/10/12"));
    const [dayBefore] = await filesIn(path.join(home, "sessions/2026/10/11"));
    const [resumedOld] = await filesIn(path.join(home, "sessions/2026/09/30"));
    await setMtime(today, "2026-10-12T22:10:01Z");
    await setMtime(yesterday, "2026-10-12T22:40:01Z");
    await setMtime(dayBefore, "2026-10-11T16:01:01Z");
    // Beyond the three newest day folders: never stat'ed, so its newer mtime cannot win (bounded cost).
    await setMtime(resumedOld, "2026-10-12T23:00:00Z");
    const result = expectOk(await readCodexCaps(home));
    expect(result.file).toBe(yesterday);
    expect(result.caps.capturedAt).toBe(Date.parse("2026-10-12T22:40:00.000Z"));
    expect(result.caps.windows[0]).toEqual({
      id: "5h",
      label: "5h",
      usedPercent: 19,
      windowMinutes: 300,
      resetsAt: 1791860000000,
    });
  });

  test("fallback-older-file: the next newest file is read when the newest has no rate limits", async () => {
    const home = await copyFixture("fallback-older-file", testFolder());
    const [withCaps, apiKeySession] = await filesIn(path.join(home, DAY));
    await setMtime(withCaps, "2026-10-12T13:58:03Z");
    await setMtime(apiKeySession, "2026-10-12T14:11:01Z");
    const result = expectOk(await readCodexCaps(home));
    expect(result.file).toBe(withCaps);
    expect(result.caps).toEqual(SAMPLE_A_CAPS);
  });

  test("null-window-over-100: a window without length is named by its slot, and 130% clamps to 100", async () => {
    const { caps } = expectOk(await readCodexCaps(fixture("null-window-over-100")));
    expect(caps.windows).toEqual([
      {
        id: "primary",
        label: "Primary window",
        usedPercent: 100,
        windowMinutes: null,
        resetsAt: RESETS_WEEK,
        note: "length not given",
      },
    ]);
    expect(caps.planName).toBe("prolite");
  });

  test("hourly-window-negative: other lengths sort after weekly, 10079 is weekly, -3% clamps to 0", async () => {
    const { caps } = expectOk(await readCodexCaps(fixture("hourly-window-negative")));
    expect(caps).toEqual({
      windows: [
        { id: "weekly", label: "Weekly", usedPercent: 12, windowMinutes: 10079, resetsAt: RESETS_WEEK },
        { id: "60m", label: "1h", usedPercent: 0, windowMinutes: 60, resetsAt: 1791817200000 },
      ],
      capturedAt: SAMPLE_A_CAPS.capturedAt,
      origin: "codex-session-log",
      planName: "team",
    });
  });

  test("no-sessions: a Codex home without a sessions folder", async () => {
    const failure = expectFailure(await readCodexCaps(fixture("no-sessions")), "no-sessions");
    expect(failure.hint).toMatch(/Run a Codex session/);
  });

  test("no-rollouts: .tmp and other files are not rollouts", async () => {
    expectFailure(await readCodexCaps(fixture("no-rollouts")), "no-rollouts");
  });
});

describe("pure pieces", () => {
  test("parseTokenCountLine accepts sample A and rejects everything else without throwing", () => {
    const reading = parseTokenCountLine(SAMPLE_A);
    expect(reading?.capturedAt).toBe(SAMPLE_A_CAPS.capturedAt);
    expect(reading?.rateLimits.limit_id).toBe("codex");
    expect(parseTokenCountLine(SAMPLE_E)).toBeNull();
    expect(parseTokenCountLine("")).toBeNull();
    expect(parseTokenCountLine('{"type":"event_msg","payload":{"type":"token_count"')).toBeNull();
    expect(parseTokenCountLine('"token_count"')).toBeNull();
    expect(parseTokenCountLine(SAMPLE_A.replace('"used_percent":37.0', '"used_percent":"37"'))).toBeNull();
    expect(parseTokenCountLine(SAMPLE_A.replace('"window_minutes":300', '"window_minutes":"300"'))).toBeNull();
    expect(parseTokenCountLine(SAMPLE_A.replace('"type":"event_msg"', '"type":"response_item"'))).toBeNull();
    expect(parseTokenCountLine(SAMPLE_A.replace("2026-10-12T13:58:02.417Z", "soon"))).toBeNull();
  });

  test("parseTokenCountLine keeps the windows when credits or plan have surprising types", () => {
    const odd = SAMPLE_A.replace('"plan_type":"plus"', '"plan_type":7').replace(
      '"credits":{"has_credits":true,"unlimited":false,"balance":"412.5"}',
      '"credits":"lots"',
    );
    const reading = parseTokenCountLine(odd);
    expect(reading?.rateLimits.primary?.used_percent).toBe(37);
    expect(reading?.rateLimits.credits).toBeNull();
    expect(reading?.rateLimits.plan_type).toBeNull();
  });

  test.each([
    [300, false, "5h", "5h"],
    [299, false, "5h", "5h"],
    [301, false, "5h", "5h"],
    [302, false, "302m", "302m"],
    [10080, false, "weekly", "Weekly"],
    [10079, true, "weekly", "Weekly"],
    [10081, false, "weekly", "Weekly"],
    [60, false, "60m", "1h"],
    [1440, false, "1440m", "1d"],
    [45, false, "45m", "45m"],
  ])("classifyWindow(%p, only=%p) → %s / %s", (minutes, isOnly, id, label) => {
    expect(classifyWindow(minutes, isOnly ? "primary" : "secondary")).toEqual({ id, label });
  });

  test("a window without a length is named by its slot, never guessed", () => {
    expect(classifyWindow(null, "primary")).toEqual({
      id: "primary",
      label: "Primary window",
      note: "length not given",
    });
    expect(classifyWindow(null, "secondary")).toMatchObject({ id: "secondary", label: "Secondary window" });
  });

  test("clampPercent keeps 0–100", () => {
    expect([clampPercent(-3), clampPercent(37.5), clampPercent(100), clampPercent(131)]).toEqual([0, 37.5, 100, 100]);
  });

  test.each([
    [{ has_credits: true, unlimited: false, balance: "412.5" }, { kind: "codexCredits", credits: 412.5 }, undefined],
    [{ has_credits: true, unlimited: false, balance: "0" }, { kind: "codexCredits", credits: 0 }, "out of credits"],
    [{ has_credits: true, unlimited: false, balance: "0E-10" }, { kind: "codexCredits", credits: 0 }, "out of credits"],
    [{ has_credits: true, unlimited: false, balance: null }, { kind: "unknown" }, "balance not given"],
    [{ has_credits: true, unlimited: false, balance: "" }, { kind: "unknown" }, "balance not given"],
    [{ has_credits: true, unlimited: false, balance: 7 }, { kind: "codexCredits", credits: 7 }, undefined],
    [{ has_credits: true, unlimited: true, balance: null }, { kind: "unlimited" }, undefined],
    [{ has_credits: false, unlimited: false, balance: "0" }, { kind: "codexCredits", credits: 0 }, "no credits"],
    [{ has_credits: false, unlimited: false, balance: "12" }, { kind: "codexCredits", credits: 12 }, "no credits"],
    [{}, { kind: "unknown" }, "not reported as usable"],
  ])("creditReadingFrom(%j): %j, not usable because %p", (credits, balance, reason) => {
    expect(creditReadingFrom(credits, SAMPLE_A_AT)).toEqual(
      loggedCredits(balance as CreditReading["balance"], SAMPLE_A_AT, reason),
    );
  });

  test("creditReadingFrom(null) says nothing", () => {
    expect(creditReadingFrom(null, SAMPLE_A_AT)).toBeUndefined();
  });

  test("snapshotFromReading keeps only the account-wide bucket, and needs a window", () => {
    const reading = parseTokenCountLine(SAMPLE_A);
    if (!reading) throw new Error("sample A must parse");
    const withId = (limit_id: string | null) => ({ ...reading, rateLimits: { ...reading.rateLimits, limit_id } });
    expect(snapshotFromReading(withId("codex"))).toEqual(SAMPLE_A_CAPS);
    expect(snapshotFromReading(withId(null))).toEqual(SAMPLE_A_CAPS);
    expect(snapshotFromReading(withId("premium"))).toBeNull();
    expect(snapshotFromReading(withId("codex_bengalfox"))).toBeNull();
    const noWindows = { ...reading, rateLimits: { ...reading.rateLimits, primary: null, secondary: null } };
    expect(snapshotFromReading(noWindows)).toBeNull();
  });

  test("two windows of the same length keep distinct ids", () => {
    const window = { used_percent: 10, window_minutes: 300, resets_at: null };
    const windows: CapWindow[] = windowsFromRateLimits({ primary: window, secondary: window } as never, 0);
    expect(windows.map((entry) => entry.id)).toEqual(["5h:primary", "5h:secondary"]);
  });
});
