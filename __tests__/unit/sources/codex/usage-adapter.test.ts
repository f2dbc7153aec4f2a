import { adaptCodexUsage } from "../../../../src/sources/codex/usage-adapter";
import type { AdapterResult } from "../../../../src/sources/parse";
import type { CapWindow } from "../../../../src/model/types";
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

function caps(planName: string, windows: CapWindow[]): AdapterResult["caps"] {
  return { windows, capturedAt: FETCHED_AT, origin: "codex-usage-api", planName };
}

function credits(balance: number, usable: boolean): AdapterResult["credits"] {
  return { balance: { kind: "codexCredits", credits: balance }, usable, updatedAt: FETCHED_AT };
}

describe("adaptCodexUsage fixtures", () => {
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
        planName: "pro",
        warnings: [],
      },
    ],
    [
      "free-weekly-only-0E-10",
      {
        caps: caps("free", [weekly(0, 1792418607000)]),
        credits: credits(0, false),
        planName: "free",
        warnings: [],
      },
    ],
    [
      "limit-reached-credits",
      {
        caps: caps("plus", [fiveHour(100), weekly(74)]),
        credits: credits(38, true),
        planName: "plus",
        warnings: [],
      },
    ],
    [
      "business-no-windows-spend-control",
      { caps: null, credits: credits(9999, true), planName: "business", warnings: [] },
    ],
    [
      "enterprise-unlimited",
      {
        caps: caps("enterprise", [fiveHour(4), weekly(11)]),
        credits: { balance: { kind: "unlimited" }, usable: true, updatedAt: FETCHED_AT },
        planName: "enterprise",
        warnings: [],
      },
    ],
    [
      "low-balance",
      {
        caps: caps("plus", [fiveHour(82, 1791817407000), weekly(90, 1791900207000)]),
        credits: credits(3.5, true),
        planName: "plus",
        warnings: [],
      },
    ],
    [
      "zero-balance-has-credits-false",
      {
        caps: caps("plus", [fiveHour(12), weekly(30)]),
        credits: credits(0, false),
        planName: "plus",
        warnings: [],
      },
    ],
    [
      "positive-balance-has-credits-false",
      { caps: caps("team", [fiveHour(12)]), credits: credits(125.75, false), planName: "team", warnings: [] },
    ],
    [
      "swapped-windows",
      { caps: caps("plus", [fiveHour(37), weekly(61)]), credits: null, planName: "plus", warnings: [] },
    ],
    [
      "used-percent-string",
      { caps: caps("plus", [fiveHour(42), weekly(7.5)]), credits: credits(20, true), planName: "plus", warnings: [] },
    ],
    [
      "missing-reset-at",
      {
        caps: caps("pro", [fiveHour(37, FETCHED_AT + 9453 * 1000), weekly(61, FETCHED_AT + 328157 * 1000)]),
        credits: credits(100, true),
        planName: "pro",
        warnings: [],
      },
    ],
    [
      "unknown-extra-fields",
      {
        caps: caps("prolite", [
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
        ]),
        credits: credits(125, true),
        planName: "prolite",
        warnings: [],
      },
    ],
    ["rate-limit-null", { caps: null, credits: null, planName: "go", warnings: [] }],
  ];

  test.each(cases)("%s", (name, expected) => {
    expect(expectOk(adaptFixture(name))).toStrictEqual(expected);
  });

  test("wrong-type names the field that is not a number", () => {
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

  test("windows are classified by length with a one-minute tolerance", () => {
    expect(windowOf(17940)).toMatchObject({ id: "5h", windowMinutes: 300 });
    expect(windowOf(18060)).toMatchObject({ id: "5h", windowMinutes: 300 });
    expect(windowOf(18061)).toMatchObject({ id: "302m", label: "302m", windowMinutes: 302 });
    expect(windowOf(604740)).toMatchObject({ id: "weekly", label: "Weekly" });
    expect(windowOf(86400)).toMatchObject({ id: "1440m", label: "1d", windowMinutes: 1440 });
    expect(windowOf(1800)).toMatchObject({ id: "30m", label: "30m", windowMinutes: 30 });
  });

  test("a window without a length is skipped with a warning", () => {
    const result = expectOk(
      adaptBody({ rate_limit: { primary_window: { used_percent: 10 }, secondary_window: null } }),
    );
    expect(result.caps).toBeNull();
    expect(result.warnings).toEqual(["Codex sent a usage window without a valid length; it was skipped."]);
  });

  test("a window with null used_percent is skipped silently", () => {
    const window = { used_percent: null, limit_window_seconds: 18000 };
    expect(expectOk(adaptBody({ rate_limit: { primary_window: window } }))).toMatchObject({ caps: null, warnings: [] });
  });

  test("two windows of the same length keep the first", () => {
    const first = { used_percent: 10, limit_window_seconds: 18000, reset_at: 1791823260 };
    const second = { used_percent: 90, limit_window_seconds: 18000, reset_at: 1791823260 };
    const result = expectOk(adaptBody({ rate_limit: { primary_window: first, secondary_window: second } }));
    expect(result.caps?.windows).toEqual([fiveHour(10)]);
    expect(result.warnings).toEqual(['Codex sent two "5h" windows; only the first is shown.']);
  });

  test("an extra bucket without metered_feature falls back to its name", () => {
    const bucket = {
      limit_name: "Spark",
      rate_limit: { primary_window: { used_percent: 3, limit_window_seconds: 604800, reset_at: 1792141964 } },
    };
    const result = expectOk(adaptBody({ additional_rate_limits: [bucket] }));
    expect(result.caps?.windows).toEqual([
      {
        id: "weekly:Spark",
        label: "Weekly (Spark)",
        usedPercent: 3,
        windowMinutes: 10080,
        resetsAt: SECONDARY_RESET,
        scoped: true,
      },
    ]);
  });

  test("has_credits false makes even unlimited credit unusable", () => {
    const result = expectOk(adaptBody({ credits: { has_credits: false, unlimited: true, balance: null } }));
    expect(result.credits).toEqual({ balance: { kind: "unlimited" }, usable: false, updatedAt: FETCHED_AT });
  });

  test("a missing has_credits follows the balance", () => {
    expect(expectOk(adaptBody({ credits: { balance: "5" } })).credits).toEqual(credits(5, true));
    expect(expectOk(adaptBody({ credits: { balance: null } })).credits).toEqual(credits(0, false));
  });

  test.each(["abc", "NaN", "Infinity", "0x10", "", "1,5"])("balance %j is the wrong shape", (balance) => {
    const outcome = adaptBody({ credits: { has_credits: true, unlimited: false, balance } });
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (!outcome.ok) expect(outcome.message).toContain("credits.balance");
  });

  test.each([
    ["9.99", 9.99],
    [" 12 ", 12],
    ["1e3", 1000],
    ["-2.5", -2.5],
  ])("balance %j parses to %d", (balance, expected) => {
    const reading = expectOk(adaptBody({ credits: { has_credits: true, balance } })).credits;
    expect(reading?.balance).toEqual({ kind: "codexCredits", credits: expected });
  });

  test("a reached workspace spend limit becomes a warning", () => {
    const reached = { spend_control: { reached: true, individual_limit: null } };
    const used = { individual_limit: { limit: "100", used: "100", used_percent: 100, remaining_percent: 0 } };
    const expected = ["Codex reports that your workspace spend limit is reached."];
    expect(expectOk(adaptBody(reached)).warnings).toEqual(expected);
    expect(expectOk(adaptBody(used)).warnings).toEqual(expected);
    expect(expectOk(adaptBody({ spend_control: "odd", individual_limit: [1] })).warnings).toEqual([]);
  });

  test("a negative or overflowing reset falls back to unknown", () => {
    const window = { used_percent: 1, limit_window_seconds: 18000, reset_at: 1e308, reset_after_seconds: -1e300 };
    expect(expectOk(adaptBody({ rate_limit: { primary_window: window } })).caps?.windows[0].resetsAt).toBeNull();
  });

  test.each([
    ["[]", "(root)"],
    ['"text"', "(root)"],
    ["null", "(root)"],
    ['{"rate_limit":5}', "rate_limit"],
    [
      '{"additional_rate_limits":[{"rate_limit":{"primary_window":{"used_percent":true}}}]}',
      "additional_rate_limits[0]",
    ],
    ['{"credits":{"has_credits":"yes"}}', "credits.has_credits"],
    ['{"plan_type":7}', "plan_type"],
  ])("%s is the wrong shape at %s", (body, field) => {
    const outcome = adaptCodexUsage(body, FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (!outcome.ok) expect(outcome.message).toContain(field);
  });

  test("an empty body is not JSON", () => {
    expect(adaptCodexUsage("  \n", FETCHED_AT)).toMatchObject({ ok: false, error: "not_json" });
  });

  test("an empty object reads as no data", () => {
    expect(expectOk(adaptCodexUsage("{}", FETCHED_AT))).toStrictEqual({
      caps: null,
      credits: null,
      planName: undefined,
      warnings: [],
    });
  });
});
