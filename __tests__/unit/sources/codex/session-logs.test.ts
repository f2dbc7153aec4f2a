import { execFileSync } from "child_process";
import { promises as fsPromises } from "fs";
import os from "os";
import path from "path";
import { buildCodexHome } from "../../../../scripts/bench-data";
import {
  classifyWindow,
  creditReadingFrom,
  parseTokenCountLine,
  snapshotFromReading,
  windowsFromRateLimits,
} from "../../../../src/sources/codex/log-lines";
import { orderCandidates } from "../../../../src/sources/codex/rollout-files";
import { CodexCapsResult, readCodexCaps } from "../../../../src/sources/codex/session-logs";
import { CapsSnapshot, CapWindow, CreditReading } from "../../../../src/model/types";
import { clampPercent } from "../../../../src/model/windows";
import { fixturePath } from "../../../support/paths";

const FIXTURES = fixturePath("codex-sessions");
const DAY = path.join("sessions", "2026", "10", "12");
const isRoot = process.getuid?.() === 0;

// Sample A of provider-formats §1.6, and what it must become.
const SAMPLE_A =
  '{"timestamp":"2026-10-12T13:58:02.417Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":184213,"cached_input_tokens":151040,"cache_write_input_tokens":0,"output_tokens":6231,"reasoning_output_tokens":2944,"total_tokens":190444},"last_token_usage":{"input_tokens":22817,"cached_input_tokens":21504,"cache_write_input_tokens":0,"output_tokens":412,"reasoning_output_tokens":128,"total_tokens":23229},"model_context_window":258400},"rate_limits":{"limit_id":"codex","limit_name":null,"primary":{"used_percent":37.0,"window_minutes":300,"resets_at":1791823260},"secondary":{"used_percent":61.0,"window_minutes":10080,"resets_at":1792141964},"credits":{"has_credits":true,"unlimited":false,"balance":"412.5"},"individual_limit":null,"spend_control_reached":null,"plan_type":"plus","rate_limit_reached_type":null}}}';
const SAMPLE_E =
  '{"timestamp":"2026-10-12T11:04:55.902Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":null}}';
const RESETS_5H = 1791823260000;
const RESETS_WEEK = 1792141964000;
const SAMPLE_A_AT = Date.parse("2026-10-12T13:58:02.417Z");

/** A balance the log carried, dated by its line. */
function loggedCredits(balance: CreditReading["balance"], updatedAt: number, notUsableReason?: string): CreditReading {
  const reading: CreditReading = { balance, usable: !notUsableReason, updatedAt, origin: "codex-session-log" };
  return notUsableReason ? { ...reading, notUsableReason } : reading;
}

const SAMPLE_A_CAPS: CapsSnapshot = {
  windows: [
    { id: "5h", label: "5h", usedPercent: 37, windowMinutes: 300, resetsAt: RESETS_5H },
    { id: "weekly", label: "Weekly", usedPercent: 61, windowMinutes: 10080, resetsAt: RESETS_WEEK },
  ],
  capturedAt: SAMPLE_A_AT,
  origin: "codex-session-log",
  planName: "plus",
  credits: loggedCredits({ kind: "codexCredits", credits: 412.5 }, SAMPLE_A_AT),
};

function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

function expectOk(result: CodexCapsResult): { caps: CapsSnapshot; file: string } {
  if (!result.ok) throw new Error(`expected caps, got ${result.reason}: ${result.message}`);
  return result;
}

function expectFailure(result: CodexCapsResult, reason: string) {
  if (result.ok) throw new Error(`expected ${reason}, got caps from ${result.file}`);
  expect(result.reason).toBe(reason);
  expect(result.message.length).toBeLessThan(60);
  expect(result.hint.length).toBeGreaterThan(0);
  return result;
}

let tmp: string;

beforeEach(async () => {
  tmp = await fsPromises.mkdtemp(path.join(os.tmpdir(), "codex-sessions-"));
});

afterEach(async () => {
  jest.restoreAllMocks();
  await fsPromises.rm(tmp, { recursive: true, force: true });
});

async function copyFixture(name: string): Promise<string> {
  const home = path.join(tmp, name);
  await fsPromises.cp(fixture(name), home, { recursive: true });
  return home;
}

async function setMtime(file: string, iso: string): Promise<void> {
  const seconds = Date.parse(iso) / 1000;
  await fsPromises.utimes(file, seconds, seconds);
}

async function filesIn(dir: string): Promise<string[]> {
  return (await fsPromises.readdir(dir)).sort().map((name) => path.join(dir, name));
}

async function writeRollout(home: string, relativeDir: string, name: string, lines: string[], mtimeIso: string) {
  const dir = path.join(home, relativeDir);
  await fsPromises.mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await fsPromises.writeFile(file, lines.join("\n") + "\n");
  await setMtime(file, mtimeIso);
  return file;
}

/** Counts the bytes read through file handles, the only way the reader touches plain rollout content. */
async function spyOnHandleReads(): Promise<{ calls: () => number; bytes: () => number }> {
  const probe = await fsPromises.open(__filename, "r");
  const prototype = Object.getPrototypeOf(probe);
  await probe.close();
  const spy = jest.spyOn(prototype, "read");
  const requested = (call: unknown[]) => (typeof call[2] === "number" ? call[2] : Infinity);
  return {
    calls: () => spy.mock.calls.length,
    bytes: () => spy.mock.calls.reduce((sum: number, call) => sum + requested(call), 0),
  };
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

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

  test("rate-limits-null: null, {} and missing rate_limits give no-rate-limits", async () => {
    const failure = expectFailure(await readCodexCaps(fixture("rate-limits-null")), "no-rate-limits");
    expect(failure.hint).toMatch(/ChatGPT login/);
    expect(failure.hint).toMatch(/API-key/);
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
    expect(expectOk(await readCodexCaps(fixture("zst-only"), { tailBytes: 1100 })).caps).toEqual(SAMPLE_A_CAPS);
    // 300 bytes hold only the last, snapshot-less line: the earlier ones were dropped while streaming.
    expect(await readCodexCaps(fixture("zst-only"), { tailBytes: 300 })).toMatchObject({ ok: false });
  });

  test("both-plain-and-zst: the plain file wins even when the .zst files are newer", async () => {
    const home = await copyFixture("both-plain-and-zst");
    const [plain, plainTwin, otherZst] = await filesIn(path.join(home, DAY));
    await setMtime(plain, "2026-10-12T13:58:03Z");
    await setMtime(plainTwin, "2026-10-12T14:30:00Z");
    await setMtime(otherZst, "2026-10-12T14:31:00Z");
    const result = expectOk(await readCodexCaps(home));
    expect(result.caps).toEqual(SAMPLE_A_CAPS);
    expect(result.file).toBe(plain);
  });

  test("day-rollover: the newest mtime wins across the newest three day folders", async () => {
    const home = await copyFixture("day-rollover");
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
    const home = await copyFixture("fallback-older-file");
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

describe("readCodexCaps errors never throw", () => {
  test("no-home: the folder does not exist", async () => {
    const failure = expectFailure(await readCodexCaps(path.join(tmp, "missing")), "no-home");
    expect(failure.hint).toMatch(/Install Codex/);
    expect(failure.hint).toMatch(/Codex Home preference/);
  });

  test("home-not-folder: Codex Home points at a file", async () => {
    expectFailure(await readCodexCaps(path.join(fixture("no-sessions"), "config.toml")), "home-not-folder");
  });

  test("a sessions path that is a file is unreadable", async () => {
    await fsPromises.writeFile(path.join(tmp, "sessions"), "not a folder");
    expectFailure(await readCodexCaps(tmp), "unreadable");
  });

  test("a sessions path that is a FIFO is unreadable, without blocking", async () => {
    execFileSync("mkfifo", [path.join(tmp, "sessions")]);
    expectFailure(await readCodexCaps(tmp), "unreadable");
  });

  test("a FIFO named like the newest rollout is skipped, without blocking", async () => {
    await writeRollout(tmp, DAY, "rollout-2026-10-12T15-38-55-a.jsonl", [SAMPLE_A], "2026-10-12T13:58:03Z");
    execFileSync("mkfifo", [path.join(tmp, DAY, "rollout-2026-10-12T16-00-00-b.jsonl")]);
    expect(expectOk(await readCodexCaps(tmp)).caps).toEqual(SAMPLE_A_CAPS);
  });

  test("EACCES while listing sessions gives unreadable with a short message", async () => {
    jest.spyOn(fsPromises, "readdir").mockRejectedValueOnce(errno("EACCES"));
    const failure = expectFailure(await readCodexCaps(fixture("current-plus")), "unreadable");
    expect(failure.message).toBe("Can't read Codex sessions (permission denied)");
  });

  test("EACCES on the home folder gives unreadable", async () => {
    jest.spyOn(fsPromises, "stat").mockRejectedValueOnce(errno("EACCES"));
    expectFailure(await readCodexCaps(fixture("current-plus")), "unreadable");
  });

  test("EACCES on the only rollout gives unreadable", async () => {
    jest.spyOn(fsPromises, "open").mockRejectedValueOnce(errno("EACCES"));
    expectFailure(await readCodexCaps(fixture("current-plus")), "unreadable");
  });

  test("EACCES on the newest rollout falls back to an older readable one", async () => {
    const home = await copyFixture("fallback-older-file");
    const [withCaps, apiKeySession] = await filesIn(path.join(home, DAY));
    await setMtime(withCaps, "2026-10-12T13:58:03Z");
    await setMtime(apiKeySession, "2026-10-12T14:11:01Z");
    jest.spyOn(fsPromises, "open").mockRejectedValueOnce(errno("EACCES"));
    expect(expectOk(await readCodexCaps(home)).file).toBe(withCaps);
  });

  (isRoot ? test.skip : test)("a rollout with mode 000 gives unreadable (skipped as root)", async () => {
    const file = await writeRollout(tmp, DAY, "rollout-2026-10-12T15-38-55-a.jsonl", [SAMPLE_A], "2026-10-12T14:00Z");
    await fsPromises.chmod(file, 0o000);
    expectFailure(await readCodexCaps(tmp), "unreadable");
  });

  test("an unexpected error is reported, not thrown", async () => {
    jest.spyOn(fsPromises, "stat").mockRejectedValueOnce(new Error("boom"));
    const failure = expectFailure(await readCodexCaps(fixture("current-plus")), "unreadable");
    expect(failure.message).toBe("Can't read Codex sessions (unknown error)");
  });

  test("a corrupt .zst fallback is skipped as having no rate limits", async () => {
    const dir = path.join(tmp, DAY);
    await fsPromises.mkdir(dir, { recursive: true });
    await fsPromises.writeFile(path.join(dir, "rollout-2026-10-12T15-38-55-a.jsonl.zst"), "not zstd at all");
    expectFailure(await readCodexCaps(tmp), "no-rate-limits");
  });

  test("a .zst file of 8 MiB or more is not decoded", async () => {
    const dir = path.join(tmp, DAY);
    await fsPromises.mkdir(dir, { recursive: true });
    const small = path.join(fixture("zst-only"), DAY);
    const [compressed] = await filesIn(small);
    const target = path.join(dir, path.basename(compressed));
    await fsPromises.copyFile(compressed, target);
    await fsPromises.truncate(target, 8 * 1024 * 1024);
    const readFile = jest.spyOn(fsPromises, "readFile");
    expectFailure(await readCodexCaps(tmp), "no-rate-limits");
    expect(readFile).not.toHaveBeenCalled();
  });

  test("at most five plain files are tried before giving up", async () => {
    await writeRollout(tmp, DAY, "rollout-2026-10-12T08-00-00-old.jsonl", [SAMPLE_A], "2026-10-12T08:00:00Z");
    for (let index = 1; index <= 5; index++) {
      const name = `rollout-2026-10-12T1${index}-00-00-apikey.jsonl`;
      await writeRollout(tmp, DAY, name, [SAMPLE_E], `2026-10-12T1${index}:00:00Z`);
    }
    expectFailure(await readCodexCaps(tmp), "no-rate-limits");
    await fsPromises.rm(path.join(tmp, DAY, "rollout-2026-10-12T11-00-00-apikey.jsonl"));
    expect(expectOk(await readCodexCaps(tmp)).caps).toEqual(SAMPLE_A_CAPS);
  });
});

describe("only the tail is read", () => {
  test("a first line over 1 MiB (session_meta) does not matter", async () => {
    const meta = JSON.stringify({
      timestamp: "2026-10-12T13:38:55.120Z",
      type: "session_meta",
      payload: { id: "x", instructions: "You are Codex. ".repeat(80_000) },
    });
    expect(meta.length).toBeGreaterThan(1024 * 1024);
    await writeRollout(tmp, DAY, "rollout-2026-10-12T15-38-55-a.jsonl", [meta, SAMPLE_A], "2026-10-12T14:00:00Z");
    const reads = await spyOnHandleReads();
    expect(expectOk(await readCodexCaps(tmp)).caps).toEqual(SAMPLE_A_CAPS);
    expect(reads.calls()).toBe(1);
    expect(reads.bytes()).toBeLessThanOrEqual(256 * 1024);
  });

  test("a 5 MB file whose first 4.9 MB is garbage parses fast and reads at most tailBytes", async () => {
    const garbage = ("x".repeat(1023) + "\n").repeat(4.9 * 1024);
    const filler = Array.from({ length: 60 }, (_, index) => `{"type":"response_item","payload":{"n":${index}}}`);
    const file = await writeRollout(
      tmp,
      DAY,
      "rollout-2026-10-12T15-38-55-a.jsonl",
      [garbage + SAMPLE_A, ...filler],
      "2026-10-12T14:00:00Z",
    );
    expect((await fsPromises.stat(file)).size).toBeGreaterThan(5_000_000);
    const reads = await spyOnHandleReads();
    const readFile = jest.spyOn(fsPromises, "readFile");
    const result = await readCodexCaps(tmp, { tailBytes: 64 * 1024 });
    expect(expectOk(result).caps).toEqual(SAMPLE_A_CAPS);
    expect(reads.calls()).toBe(1);
    expect(reads.bytes()).toBeLessThanOrEqual(64 * 1024);
    expect(readFile).not.toHaveBeenCalled();
  });

  test("the partial first line of the tail window is dropped", async () => {
    const limitReached = SAMPLE_A.replace('"used_percent":37.0', '"used_percent":100.0').replace(
      "13:58:02",
      "14:01:12",
    );
    const lines = [SAMPLE_A, `junk-before-json ${limitReached}`];
    await writeRollout(tmp, DAY, "rollout-2026-10-12T15-38-55-a.jsonl", lines, "2026-10-12T14:00:00Z");
    // The window starts right where a valid object begins, but mid-line: that fragment must not be parsed.
    expectFailure(await readCodexCaps(tmp, { tailBytes: limitReached.length + 1 }), "no-rate-limits");
    // A wider window reaches the older whole line.
    const wide = await readCodexCaps(tmp, { tailBytes: SAMPLE_A.length + limitReached.length + 40 });
    expect(expectOk(wide).caps).toEqual(SAMPLE_A_CAPS);
  });
  test("a nonsensical tailBytes falls back to the default", async () => {
    for (const tailBytes of [0, -5, Number.NaN, 1.5]) {
      expect(expectOk(await readCodexCaps(fixture("current-plus"), { tailBytes })).caps).toEqual(SAMPLE_A_CAPS);
    }
  });
});

describe("cost does not grow with history", () => {
  test("a synthetic home with months of folders: few listings, few stats, sample A", async () => {
    await buildCodexHome(tmp, 1000, 1000 * 2048);
    const readdir = jest.spyOn(fsPromises, "readdir");
    const stat = jest.spyOn(fsPromises, "stat");
    const reads = await spyOnHandleReads();
    const result = expectOk(await readCodexCaps(tmp));
    expect(result.caps).toEqual(SAMPLE_A_CAPS);
    expect(result.file).toContain(path.join("sessions", "2026", "10", "12"));
    // sessions, one year, one month, three days (+ a month or year boundary at most).
    expect(readdir.mock.calls.length).toBeLessThanOrEqual(10);
    // home, sessions, and the files of three day folders (nine sessions a day here): not 1,000.
    expect(stat.mock.calls.length).toBeLessThanOrEqual(2 + 3 * 9);
    expect(reads.bytes()).toBeLessThanOrEqual(256 * 1024);
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

  test("orderCandidates: plain files by mtime, then .zst files without a plain twin", () => {
    const file = (name: string, mtimeMs: number) => ({ path: `/s/${name}`, name, mtimeMs });
    const { plain, zst } = orderCandidates([
      file("rollout-a.jsonl", 1),
      file("rollout-a.jsonl.zst", 9),
      file("rollout-b.jsonl", 5),
      file("rollout-c.jsonl.zst", 3),
    ]);
    expect(plain.map((entry) => entry.name)).toEqual(["rollout-b.jsonl", "rollout-a.jsonl"]);
    expect(zst.map((entry) => entry.name)).toEqual(["rollout-c.jsonl.zst"]);
  });
});
