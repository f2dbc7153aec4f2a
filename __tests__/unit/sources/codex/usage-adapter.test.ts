import { adaptCodexUsage } from "../../../../src/sources/codex/usage-adapter";
import type { AdapterResult } from "../../../../src/sources/parse";
import type { CapWindow, CreditReading } from "../../../../src/model/types";
import { expectOk, FETCHED_AT, readFixture } from "../../../support/fixtures";

const PRIMARY_RESET = 1791823260000;
const SECONDARY_RESET = 1792141964000;

function adaptFixture(name: string) {
  return adaptCodexUsage(readFixture("codex-usage", `${name}.json`), FETCHED_AT);
}

function fiveHour(usedPercent: number, resetsAt: number | null = PRIMARY_RESET): CapWindow {
  return { id: "5h", label: "5h", usedPercent, windowMinutes: 300, resetsAt };
}

function weekly(usedPercent: number, resetsAt: number | null = SECONDARY_RESET): CapWindow {
  return { id: "weekly", label: "Weekly", usedPercent, windowMinutes: 10080, resetsAt };
}

function caps(planName: string, windows: CapWindow[], extra: object = {}): AdapterResult["caps"] {
  return { windows, capturedAt: FETCHED_AT, origin: "codex-usage-api", planName, ...extra };
}

function credits(balance: number, usable: boolean, notUsableReason?: string): CreditReading {
  const reading: CreditReading = {
    balance: { kind: "codexCredits", credits: balance },
    usable,
    updatedAt: FETCHED_AT,
    origin: "usage-api",
  };
  return notUsableReason ? { ...reading, notUsableReason } : reading;
}

describe("adaptCodexUsage fixtures (synthetic, from provider-formats.md)", () => {
  const cases: [string, AdapterResult][] = [
    [
      "pro-with-credits-and-spark",
      {
        caps: caps("pro", [
          fiveHour(37),
          weekly(61),
          {
            id: "5h:codex_bengalfox",
            label: "5h (GPT-5.3-Codex-Spark)",
            usedPercent: 5,
            windowMinutes: 300,
            resetsAt: 1791825000000,
            scoped: true,
          },
        ]),
        credits: credits(412.5, true),
        warnings: [],
      },
    ],
    [
      "free-weekly-only-0E-10",
      { caps: caps("free", [weekly(0, 1792418607000)]), credits: credits(0, false, "no credits"), warnings: [] },
    ],
    [
      "limit-reached-credits",
      { caps: caps("plus", [fiveHour(100), weekly(74)]), credits: credits(38, true), warnings: [] },
    ],
    [
      "business-no-windows-spend-control",
      {
        caps: caps("business", [
          {
            id: "spend-limit",
            label: "Spending limit",
            usedPercent: 8,
            windowMinutes: null,
            resetsAt: 1793491200000,
            note: "7,761 of 100,000 credits used, set by your workspace",
          },
        ]),
        credits: credits(9999, true),
        warnings: [],
      },
    ],
    [
      "enterprise-unlimited",
      {
        caps: caps("enterprise", [fiveHour(4), weekly(11)]),
        credits: { balance: { kind: "unlimited" }, usable: true, updatedAt: FETCHED_AT, origin: "usage-api" },
        warnings: [],
      },
    ],
    [
      "low-balance",
      {
        caps: caps("plus", [fiveHour(82, 1791817407000), weekly(90, 1791900207000)]),
        credits: credits(3.5, true),
        warnings: [],
      },
    ],
    [
      "zero-balance-has-credits-false",
      { caps: caps("plus", [fiveHour(12), weekly(30)]), credits: credits(0, false, "no credits"), warnings: [] },
    ],
    [
      "positive-balance-has-credits-false",
      { caps: caps("team", [fiveHour(12)]), credits: credits(125.75, false, "no credits"), warnings: [] },
    ],
    ["swapped-windows", { caps: caps("plus", [fiveHour(37), weekly(61)]), credits: null, warnings: [] }],
    [
      "used-percent-string",
      { caps: caps("plus", [fiveHour(42), weekly(7.5)]), credits: credits(20, true), warnings: [] },
    ],
    [
      "missing-reset-at",
      {
        caps: caps("pro", [fiveHour(37, FETCHED_AT + 9453 * 1000), weekly(61, FETCHED_AT + 328157 * 1000)]),
        credits: credits(100, true),
        warnings: [],
      },
    ],
    [
      "unknown-extra-fields",
      {
        caps: caps(
          "prolite",
          [
            { id: "1m", label: "1m", usedPercent: 1, windowMinutes: 1, resetsAt: null },
            fiveHour(22),
            { id: "43200m", label: "30d", usedPercent: 100, windowMinutes: 43200, resetsAt: 1793813807000 },
            {
              id: "60m:codex_preview",
              label: "1h (Hourly Preview)",
              usedPercent: 0,
              windowMinutes: 60,
              resetsAt: FETCHED_AT + 600 * 1000,
              scoped: true,
            },
          ],
          { reached: { reason: "workspace owner's credits used up", resetsAt: null } },
        ),
        credits: credits(125, false, "workspace owner's credits used up"),
        warnings: [],
      },
    ],
  ];

  test.each(cases)("%s", (name, expected) => {
    expect(expectOk(adaptFixture(name))).toStrictEqual(expected);
  });

  test("rate-limit-null: a plan with no limits and no credits is an error with a hint, never updated", () => {
    expect(adaptFixture("rate-limit-null")).toMatchObject({
      ok: false,
      error: "no_usage",
      message: "Codex answered without usage data",
      hint: expect.stringContaining("codex login"),
    });
  });

  test("wrong-type: a body with nothing readable names the field that is not a number", () => {
    const outcome = adaptFixture("wrong-type");
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (outcome.ok) return;
    expect(outcome.message).toContain("rate_limit.primary_window.used_percent");
    expect(outcome.message).toContain('"abc"');
    expect(outcome.hint).not.toBe("");
  });

  test("an HTML challenge page is not JSON", () => {
    const outcome = adaptCodexUsage(readFixture("codex-usage", "not-json.txt"), FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "not_json" });
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/not JSON/);
    expect(outcome.hint).toMatch(/HTML/);
  });
});

describe("adaptCodexUsage details", () => {
  function adaptBody(body: unknown) {
    return adaptCodexUsage(JSON.stringify(body), FETCHED_AT);
  }

  function windowOf(seconds: number) {
    const outcome = adaptBody({
      rate_limit: { primary_window: { used_percent: 1, limit_window_seconds: seconds, reset_at: null } },
    });
    return expectOk(outcome).caps?.windows[0];
  }

  test("windows are labelled by their length, derived, with a one-minute tolerance", () => {
    expect(windowOf(17940)).toMatchObject({ id: "5h", windowMinutes: 300 });
    expect(windowOf(18060)).toMatchObject({ id: "5h", windowMinutes: 300 });
    expect(windowOf(18061)).toMatchObject({ id: "302m", label: "302m", windowMinutes: 302 });
    expect(windowOf(604740)).toMatchObject({ id: "weekly", label: "Weekly" });
    expect(windowOf(86400)).toMatchObject({ id: "1440m", label: "1d", windowMinutes: 1440 });
    expect(windowOf(32400)).toMatchObject({ id: "540m", label: "9h", windowMinutes: 540 });
    expect(windowOf(3600)).toMatchObject({ id: "60m", label: "1h", windowMinutes: 60 });
    expect(windowOf(1800)).toMatchObject({ id: "30m", label: "30m", windowMinutes: 30 });
  });

  test("a window without a length is kept, named by its slot, and says the length is not given", () => {
    const result = expectOk(
      adaptBody({ rate_limit: { primary_window: { used_percent: 10 }, secondary_window: null } }),
    );
    expect(result.caps?.windows).toEqual([
      {
        id: "primary",
        label: "Primary window",
        usedPercent: 10,
        windowMinutes: null,
        resetsAt: null,
        note: "length not given",
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  test("a window with null used_percent is skipped silently; the body has nothing else, so it is an error", () => {
    const window = { used_percent: null, limit_window_seconds: 18000 };
    expect(adaptBody({ rate_limit: { primary_window: window } })).toMatchObject({ ok: false, error: "no_usage" });
  });

  test("two windows of the same length are both shown, under distinct ids", () => {
    const first = { used_percent: 10, limit_window_seconds: 18000, reset_at: 1791823260 };
    const second = { used_percent: 90, limit_window_seconds: 18000, reset_at: 1791823260 };
    const result = expectOk(adaptBody({ rate_limit: { primary_window: first, secondary_window: second } }));
    expect(result.caps?.windows.map((window) => [window.id, window.usedPercent])).toEqual([
      ["5h", 10],
      ["5h:2", 90],
    ]);
  });

  test("an extra bucket is named for people: its limit_name, a known feature, or its id made readable", () => {
    const bucket = (limit_name: string | null, metered_feature: string | null) => ({
      limit_name,
      metered_feature,
      rate_limit: { primary_window: { used_percent: 3, limit_window_seconds: 604800, reset_at: 1792141964 } },
    });
    const labels = (entry: object) =>
      expectOk(adaptBody({ additional_rate_limits: [entry] })).caps?.windows.map((window) => window.label);
    expect(labels(bucket("Spark", null))).toEqual(["Weekly (Spark)"]);
    expect(labels(bucket(null, "codex_bengalfox"))).toEqual(["Weekly (GPT-5.3-Codex-Spark)"]);
    expect(labels(bucket("codex_other", "codex_other"))).toEqual(["Weekly (Codex Other)"]);
    expect(labels(bucket(null, null))).toEqual(["Weekly (Extra limit 1)"]);
  });

  test("a bucket at its limit marks its most-used window, scoped to it", () => {
    const entry = {
      limit_name: "codex_other",
      rate_limit: {
        allowed: false,
        primary_window: { used_percent: 80, limit_window_seconds: 1800 },
        secondary_window: { used_percent: 20, limit_window_seconds: 604800 },
      },
    };
    const windows = expectOk(adaptBody({ additional_rate_limits: [entry] })).caps?.windows;
    expect(windows?.map((window) => [window.label, window.reached ?? false, window.scoped])).toEqual([
      ["30m (Codex Other)", true, true],
      ["Weekly (Codex Other)", false, true],
    ]);
  });

  test("credit usability follows has_credits, the balance and what blocks it (SPEC §3)", () => {
    const read = (body: object) => expectOk(adaptBody({ credits: body })).credits;
    expect(read({ has_credits: true, balance: "5" })).toEqual(credits(5, true));
    expect(read({ has_credits: true, balance: null })).toMatchObject({
      balance: { kind: "unknown" },
      usable: false,
      notUsableReason: "balance not given",
    });
    expect(read({ has_credits: true, balance: "0" })).toMatchObject({
      usable: false,
      notUsableReason: "out of credits",
    });
    expect(read({ balance: "5" })).toMatchObject({ usable: false, notUsableReason: "not reported as usable" });
    expect(read({ has_credits: false, unlimited: true, balance: null })).toMatchObject({
      balance: { kind: "unknown" },
      usable: false,
      notUsableReason: "no credits",
    });
    expect(read({ has_credits: true, unlimited: true, balance: null })).toMatchObject({
      balance: { kind: "unlimited" },
      usable: true,
    });
    expect(read({ has_credits: true, overage_limit_reached: true, balance: "40" })).toMatchObject({
      usable: false,
      notUsableReason: "overage limit reached",
    });
  });

  test.each(["abc", "NaN", "Infinity", "0x10", "", "1,5"])(
    "balance %j is left out as unreadable: unknown, never zero, and named once",
    (balance) => {
      const result = expectOk(adaptBody({ credits: { has_credits: true, unlimited: false, balance } }));
      expect(result.credits).toMatchObject({ balance: { kind: "unknown" }, usable: false });
      expect(result.warnings).toEqual([
        "Codex usage: left out what could not be read (credits.balance); the rest is shown.",
      ]);
    },
  );

  test.each([
    ["9.99", 9.99],
    [" 12 ", 12],
    ["1e3", 1000],
    ["-2.5", -2.5],
  ])("balance %j parses to %d", (balance, expected) => {
    const reading = expectOk(adaptBody({ credits: { has_credits: true, balance } })).credits;
    expect(reading?.balance).toEqual({ kind: "codexCredits", credits: expected });
  });

  test("a reached workspace spend limit binds the source and blocks the credits", () => {
    const reached = {
      spend_control: { reached: true, individual_limit: null },
      credits: { has_credits: true, balance: "5" },
    };
    const result = expectOk(adaptBody(reached));
    expect(result.caps?.reached).toEqual({ reason: "workspace spending limit", resetsAt: null });
    expect(result.credits).toMatchObject({ usable: false, notUsableReason: "workspace spending limit reached" });
    const odd = adaptBody({ spend_control: "odd", individual_limit: [1], credits: { has_credits: false } });
    expect(expectOk(odd).caps?.reached).toBeUndefined();
  });

  test("rate_limit_reached_type as a string or an object with type or kind", () => {
    const reachedOf = (type: unknown) =>
      expectOk(adaptBody({ rate_limit_reached_type: type, credits: { has_credits: false } })).caps?.reached?.reason;
    expect(reachedOf("workspace_member_credits_depleted")).toBe("workspace credits used up");
    expect(reachedOf({ type: "workspace_member_usage_limit_reached" })).toBe("workspace usage limit");
    expect(reachedOf({ kind: "workspace_owner_usage_limit_reached" })).toBe("workspace owner's usage limit");
    expect(reachedOf({ type: "brand_new_limit_reached" })).toBe("brand new limit");
    expect(reachedOf({ details: "default" })).toBeUndefined();
  });

  test("a generic rate_limit_reached marks the most-used window when none is at 100 %", () => {
    const body = {
      rate_limit_reached_type: "rate_limit_reached",
      rate_limit: {
        primary_window: { used_percent: 42, limit_window_seconds: 18000 },
        secondary_window: { used_percent: 60, limit_window_seconds: 604800 },
      },
    };
    const result = expectOk(adaptBody(body));
    expect(result.caps?.windows.map((window) => window.reached ?? false)).toEqual([false, true]);
    expect(result.caps?.reached).toBeUndefined();
  });

  test("banked resets are kept only as a positive whole count", () => {
    const banked = (count: unknown) =>
      expectOk(adaptBody({ rate_limit_reset_credits: { available_count: count }, credits: { has_credits: false } }))
        .caps?.bankedResets;
    expect([banked(2), banked(0), banked(-1), banked(1.5), banked("3")]).toEqual([
      2,
      undefined,
      undefined,
      undefined,
      3,
    ]);
  });

  test("a negative or overflowing reset falls back to unknown", () => {
    const window = { used_percent: 1, limit_window_seconds: 18000, reset_at: 1e308, reset_after_seconds: -1e300 };
    expect(expectOk(adaptBody({ rate_limit: { primary_window: window } })).caps?.windows[0].resetsAt).toBeNull();
  });

  test.each([
    ['{"rate_limit":5}', "rate_limit: expected an object"],
    [
      '{"additional_rate_limits":[{"rate_limit":{"primary_window":{"used_percent":true}}}]}',
      "additional_rate_limits[0]",
    ],
    ['{"credits":[1]}', "credits: expected an object"],
  ])("%s has nothing readable: the error names %s", (body, field) => {
    const outcome = adaptCodexUsage(body, FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (!outcome.ok) expect(outcome.message).toContain(field);
  });

  test.each(["[]", '"text"', "null"])("%s is not an object", (body) => {
    expect(adaptCodexUsage(body, FETCHED_AT)).toMatchObject({ ok: false, error: "wrong_shape" });
  });

  test("one bad field costs only itself: the plan and a window are kept, the bad parts named once", () => {
    const body = {
      plan_type: 7,
      credits: { has_credits: "yes", balance: "4" },
      rate_limit: { primary_window: { used_percent: 12, limit_window_seconds: 18000, reset_at: "soon" } },
    };
    const result = expectOk(adaptBody(body));
    expect(result.caps?.windows).toEqual([fiveHour(12, null)]);
    expect(result.caps?.planName).toBeUndefined();
    expect(result.warnings).toEqual([
      "Codex usage: left out what could not be read (credits.has_credits, rate_limit.primary_window.reset_at, plan_type); the rest is shown.",
    ]);
  });

  test("an empty body is not JSON", () => {
    expect(adaptCodexUsage("  \n", FETCHED_AT)).toMatchObject({ ok: false, error: "not_json" });
  });

  test("an empty object is an answer without usage: an error with a hint", () => {
    expect(adaptCodexUsage("{}", FETCHED_AT)).toMatchObject({ ok: false, error: "no_usage" });
  });

  test("personal fields are never read into the result", () => {
    const body = { email: "a@example.com", user_id: "user-1", account_id: "acct-1", credits: { has_credits: false } };
    expect(JSON.stringify(expectOk(adaptBody(body)))).not.toMatch(/example\.com|user-1|acct-1/);
  });
});
