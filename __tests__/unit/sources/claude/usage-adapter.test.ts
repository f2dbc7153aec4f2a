import { adaptClaudeUsage, HUNDREDFOLD_WARNING, NO_MONTHLY_LIMIT } from "../../../../src/sources/claude/usage-adapter";
import type { AdapterResult } from "../../../../src/sources/parse";
import type { CapWindow, CreditReading, Money } from "../../../../src/model/types";
import { expectOk, FETCHED_AT, readFixture } from "../../../support/fixtures";

const FIVE_HOUR_RESET = Date.parse("2026-10-12T16:40:59.581Z");
const WEEKLY_RESET = Date.parse("2026-10-16T09:12:43.771Z");

function adaptFixture(name: string) {
  return adaptClaudeUsage(readFixture("claude-usage", `${name}.json`), FETCHED_AT);
}

function fiveHour(usedPercent: number, resetsAt: number | null = FIVE_HOUR_RESET): CapWindow {
  return { id: "5h", label: "5h", usedPercent, windowMinutes: 300, resetsAt };
}

function weekly(usedPercent: number, resetsAt: number | null = WEEKLY_RESET): CapWindow {
  return { id: "weekly", label: "Weekly", usedPercent, windowMinutes: 10080, resetsAt };
}

function scopedWeekly(slug: string, name: string, usedPercent: number, resetsAt: number | null): CapWindow {
  return { id: `weekly:${slug}`, label: `Weekly (${name})`, usedPercent, windowMinutes: 10080, resetsAt, scoped: true };
}

function caps(windows: CapWindow[]): AdapterResult["caps"] {
  return { windows, capturedAt: FETCHED_AT, origin: "claude-usage-api" };
}

function money(amount: number, currency = "USD"): Money {
  return { amount, currency };
}

interface MoneyReading {
  /** Money left; null when the amount cannot be spent (then the balance is unknown, never the amount). */
  left: number | null;
  limit: number | null;
  used: number | null;
  utilization: number | null;
  notUsableReason?: string;
  currency?: string;
  warning?: string;
}

function moneyReading(expected: MoneyReading): CreditReading {
  const { left, limit, used, utilization, notUsableReason, currency, warning } = expected;
  const reading: CreditReading = {
    balance: left === null ? { kind: "unknown" } : { kind: "money", money: money(left, currency) },
    usable: notUsableReason === undefined,
    ...(notUsableReason ? { notUsableReason } : {}),
    origin: "usage-api",
    limit: limit === null ? null : money(limit, currency),
    used: used === null ? null : money(used, currency),
    utilization,
    updatedAt: FETCHED_AT,
  };
  return warning ? { ...reading, warning } : reading;
}

/** Money is compared to the cent; everything else exactly. */
function expectResult(actual: AdapterResult, expected: AdapterResult) {
  const { credits: actualCredits, ...actualRest } = actual;
  const { credits: expectedCredits, ...expectedRest } = expected;
  expect(actualRest).toStrictEqual(expectedRest);
  if (!expectedCredits || !actualCredits) {
    expect(actualCredits).toStrictEqual(expectedCredits);
    return;
  }
  expect(stripAmounts(actualCredits)).toStrictEqual(stripAmounts(expectedCredits));
  for (const key of ["limit", "used"] as const) {
    const expectedAmount = expectedCredits[key]?.amount;
    if (expectedAmount === undefined) expect(actualCredits[key]).toBeNull();
    else expect(actualCredits[key]?.amount).toBeCloseTo(expectedAmount, 2);
  }
  if (expectedCredits.balance.kind === "money" && actualCredits.balance.kind === "money") {
    expect(actualCredits.balance.money.amount).toBeCloseTo(expectedCredits.balance.money.amount, 2);
  }
}

function stripAmounts(reading: CreditReading) {
  const withoutAmount = (value: Money | null | undefined) => value && { currency: value.currency };
  const balance =
    reading.balance.kind === "money" ? { kind: "money", currency: reading.balance.money.currency } : reading.balance;
  return { ...reading, balance, limit: withoutAmount(reading.limit), used: withoutAmount(reading.used) };
}

describe("adaptClaudeUsage fixtures", () => {
  const cases: [string, AdapterResult][] = [
    [
      "max-extra-off",
      {
        caps: caps([fiveHour(37), weekly(61), scopedWeekly("sonnet", "Sonnet", 18, WEEKLY_RESET)]),
        credits: moneyReading({
          left: null,
          limit: null,
          used: null,
          utilization: null,
          notUsableReason: "turned off",
        }),
        warnings: [],
      },
    ],
    [
      "eur-with-limits-and-spend",
      {
        caps: caps([
          { ...fiveHour(12), active: true },
          weekly(43),
          { ...scopedWeekly("fable", "Fable", 57, Date.parse("2026-10-16T09:12:43.772Z")), severity: "warning" },
        ]),
        credits: moneyReading({ left: 37.15, limit: 50, used: 12.85, utilization: 25.7, currency: "EUR" }),
        warnings: [],
      },
    ],
    [
      "pro-idle-5h-null-reset",
      {
        caps: caps([fiveHour(0, null), weekly(9, Date.parse("2026-10-18T07:00:00.120Z"))]),
        credits: null,
        warnings: [],
      },
    ],
    [
      "enterprise-spend-only-usd",
      {
        caps: null,
        credits: moneyReading({ left: 123.7, limit: 200, used: 76.3, utilization: 38.15 }),
        warnings: [],
      },
    ],
    [
      "spend-block-only",
      {
        caps: null,
        credits: moneyReading({ left: 25.5, limit: 30, used: 4.5, utilization: 15, currency: "GBP" }),
        warnings: [],
      },
    ],
    [
      "no-currency",
      {
        caps: caps([fiveHour(5.5, Date.parse("2026-10-12T18:00:00Z")), weekly(20.25)]),
        credits: moneyReading({ left: 15, limit: 20, used: 5, utilization: 25 }),
        warnings: [],
      },
    ],
    [
      "decimal-places-0",
      {
        caps: caps([weekly(70)]),
        credits: moneyReading({ left: 1800, limit: 3000, used: 1200, utilization: 40, currency: "JPY" }),
        warnings: [],
      },
    ],
    [
      "jpy-no-decimal-places",
      {
        caps: null,
        credits: moneyReading({ left: 1800, limit: 3000, used: 1200, utilization: 40, currency: "JPY" }),
        warnings: [],
      },
    ],
    [
      "decimal-places-3",
      {
        caps: null,
        credits: moneyReading({ left: 7.5, limit: 10, used: 2.5, utilization: 25, currency: "KWD" }),
        warnings: [],
      },
    ],
    [
      "minor-units-100x-off",
      {
        caps: caps([fiveHour(50)]),
        credits: moneyReading({
          left: 49.875,
          limit: 50,
          used: 0.125,
          utilization: 25,
          warning: HUNDREDFOLD_WARNING,
        }),
        warnings: [HUNDREDFOLD_WARNING],
      },
    ],
    [
      "low-balance",
      {
        caps: caps([fiveHour(88), weekly(97.5)]),
        credits: moneyReading({ left: 6.5, limit: 100, used: 93.5, utilization: 93.5 }),
        warnings: [],
      },
    ],
    [
      "zero-left",
      {
        caps: caps([fiveHour(100), weekly(100)]),
        credits: moneyReading({
          left: 0,
          limit: 50,
          used: 50,
          utilization: 100,
          notUsableReason: "monthly spend limit reached",
        }),
        warnings: [],
      },
    ],
    [
      "enabled-no-monthly-limit",
      {
        caps: caps([fiveHour(3)]),
        credits: moneyReading({
          left: null,
          limit: null,
          used: 8.4,
          utilization: null,
          notUsableReason: NO_MONTHLY_LIMIT,
        }),
        warnings: [],
      },
    ],
    [
      "extra-usage-disabled",
      {
        caps: caps([fiveHour(14), weekly(33)]),
        credits: moneyReading({
          left: null,
          limit: 50,
          used: 10,
          utilization: 20,
          notUsableReason: "turned off by you",
          currency: "EUR",
        }),
        warnings: [],
      },
    ],
    [
      "limits-only",
      {
        caps: caps([
          { ...fiveHour(64), active: true, severity: "warning" },
          weekly(48.5, Date.parse("2026-10-16T09:12:43Z")),
          scopedWeekly("sonnet-4-5", "Sonnet 4.5", 33, Date.parse("2026-10-16T09:12:43.772Z")),
          scopedWeekly("scoped", "Scoped", 12, null),
          {
            id: "limit:daily-design",
            label: "Daily Design",
            usedPercent: 99,
            windowMinutes: null,
            resetsAt: null,
            note: "length not given",
            severity: "critical",
            scoped: true,
          },
        ]),
        credits: null,
        warnings: [],
      },
    ],
    [
      "unknown-extra-fields",
      {
        caps: caps([
          { ...fiveHour(100, Date.parse("2026-10-12T16:40:59.500Z")), reached: true },
          weekly(0, null),
          scopedWeekly("oauth-apps", "OAuth apps", 0, null),
          scopedWeekly("cowork", "Cowork", 80, null),
          scopedWeekly("opus", "Opus", 2, WEEKLY_RESET),
        ]),
        credits: moneyReading({ left: 25, limit: 25, used: 0, utilization: 0, currency: "CAD" }),
        warnings: [],
      },
    ],
  ];

  test.each(cases)("%s", (name, expected) => {
    expectResult(expectOk(adaptFixture(name)), expected);
  });

  test("money is exact to the cent for the EUR sample", () => {
    const reading = expectOk(adaptFixture("eur-with-limits-and-spend")).credits;
    expect(reading?.balance).toEqual({ kind: "money", money: { amount: 37.15, currency: "EUR" } });
  });

  test("wrong-type names the field that is not a number", () => {
    const outcome = adaptFixture("wrong-type");
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (outcome.ok) return;
    expect(outcome.message).toContain("five_hour.utilization");
    expect(outcome.message).toContain('"high"');
  });

  test("an HTML error page is not JSON", () => {
    const outcome = adaptClaudeUsage(readFixture("claude-usage", "not-json.txt"), FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "not_json" });
    if (!outcome.ok) expect(outcome.hint).toMatch(/HTML/);
  });
});

describe("adaptClaudeUsage details", () => {
  function adaptBody(body: unknown) {
    return expectOk(adaptClaudeUsage(JSON.stringify(body), FETCHED_AT));
  }

  test("a null utilization skips the window and falls back to limits", () => {
    const result = adaptBody({
      five_hour: { utilization: null, resets_at: null },
      seven_day: { utilization: null, resets_at: null },
      limits: [{ kind: "session", percent: 20, resets_at: "2026-10-12T16:40:59.581404+00:00" }],
    });
    expect(result.caps?.windows).toEqual([fiveHour(20)]);
  });

  test("limits[] wins over the legacy bucket for a shared window; the legacy reset fills a gap", () => {
    const result = adaptBody({
      five_hour: { utilization: 99, resets_at: "2026-10-12T16:40:59.581404+00:00" },
      limits: [{ kind: "session", percent: 11, resets_at: "...", is_active: true, severity: "normal" }],
    });
    expect(result.caps?.windows).toEqual([{ ...fiveHour(11), active: true }]);
  });

  test("all windows null and no extra usage is an error with a hint, never updated", () => {
    const outcome = adaptClaudeUsage(JSON.stringify({ five_hour: null, seven_day: null, limits: [] }), FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "no_usage", message: "Claude reported no limits" });
  });

  test("{} (a login without the profile scope) is an error that says to log in with claude", () => {
    const outcome = adaptClaudeUsage("{}", FETCHED_AT);
    expect(outcome).toMatchObject({
      ok: false,
      error: "no_usage",
      message: "Claude answered without usage data",
      hint: expect.stringContaining("Log in with `claude`"),
    });
  });

  test("limits and seven_day_opus both feed scoped windows without duplicates; ids become names", () => {
    const result = adaptBody({
      seven_day_opus: { utilization: 9, resets_at: null },
      limits: [
        { kind: "weekly_scoped", percent: 40, scope: { model: { display_name: "Opus" } } },
        { kind: "weekly_scoped", percent: 41, scope: { model: { display_name: "Opus" } } },
        { kind: "weekly_scoped", percent: 5, scope: { model: { id: "claude-haiku", display_name: null } } },
      ],
    });
    expect(result.caps?.windows).toEqual([
      scopedWeekly("opus", "Opus", 40, null),
      scopedWeekly("claude-haiku", "Claude Haiku", 5, null),
    ]);
  });

  test("every bucket carrying a utilization is a window with a human name; other objects are not", () => {
    const result = adaptBody({
      seven_day_omelette: { utilization: 29, resets_at: null },
      seven_day_cowork: { utilization: 9, resets_at: null },
      seven_day_sonnet_max: { utilization: 3, resets_at: null },
      iguana_necktie: { utilization: 1, resets_at: null },
      tangelo: null,
      seven_day_breakdown: {
        as_of: "2026-09-23T12:54:43Z",
        rows: [{ key: "chat", display_name: "Chats", percent: 3 }],
      },
    });
    expect(result.caps?.windows.map((window) => [window.label, window.windowMinutes, window.scoped])).toEqual([
      ["Weekly (Claude Design)", 10080, true],
      ["Weekly (Cowork)", 10080, true],
      ["Weekly (Sonnet Max)", 10080, true],
      ["Iguana Necktie", null, true],
    ]);
  });

  test("used above the limit leaves nothing, never a negative balance", () => {
    const reading = adaptBody({ extra_usage: { is_enabled: true, monthly_limit: 1000, used_credits: 1500 } }).credits;
    expect(reading).toMatchObject({
      balance: { kind: "money", money: { amount: 0, currency: "USD" } },
      usable: false,
      notUsableReason: "monthly limit used up",
    });
  });

  test("monthly_limit 0 while enabled is no known limit: not usable, balance unknown", () => {
    const result = adaptBody({ extra_usage: { is_enabled: true, monthly_limit: 0, used_credits: 0, currency: "EUR" } });
    expect(result.credits).toMatchObject({
      balance: { kind: "unknown" },
      usable: false,
      notUsableReason: NO_MONTHLY_LIMIT,
      limit: null,
    });
  });

  test("disabled spend is never a balance, whatever its amount", () => {
    const amount = (minor: number) => ({ amount_minor: minor, currency: "USD", exponent: 2 });
    const off = adaptBody({ spend: { enabled: false, used: amount(100), limit: amount(1000) } }).credits;
    expect(off).toMatchObject({ balance: { kind: "unknown" }, usable: false, limit: { amount: 10 } });
    const outOfCredits = adaptBody({
      spend: { enabled: false, disabled_reason: "out_of_credits", used: amount(0), limit: amount(20000) },
    }).credits;
    expect(outOfCredits).toMatchObject({ balance: { kind: "unknown" }, notUsableReason: "out of credits" });
    const enabledButReason = adaptBody({
      extra_usage: { is_enabled: true, monthly_limit: 1000, used_credits: 0, disabled_reason: "org_level_disabled" },
    }).credits;
    expect(enabledButReason).toMatchObject({
      balance: { kind: "unknown" },
      usable: false,
      notUsableReason: "turned off by your organization",
    });
  });

  test("a limit sent in major units against minor used also warns", () => {
    const result = adaptBody({
      extra_usage: { is_enabled: true, monthly_limit: 50, used_credits: 1250, utilization: 25 },
    });
    expect(result.warnings).toEqual([HUNDREDFOLD_WARNING]);
    expect(result.credits?.balance).toEqual({ kind: "money", money: { amount: 0, currency: "USD" } });
  });

  test("a plain disagreement with utilization is not called 100× off", () => {
    const result = adaptBody({
      extra_usage: { is_enabled: true, monthly_limit: 1000, used_credits: 500, utilization: 80 },
    });
    expect(result.warnings).toEqual([]);
    expect(result.credits?.warning).toBeUndefined();
  });

  test("a currency that is not an ISO code drops the credit reading with a warning", () => {
    const result = adaptBody({
      five_hour: { utilization: 1, resets_at: null },
      extra_usage: { is_enabled: true, monthly_limit: 1000, used_credits: 0, currency: "€" },
    });
    expect(result.credits).toBeNull();
    expect(result.creditsDropped).toBe(true);
    expect(result.caps?.windows).toEqual([fiveHour(1, null)]);
    expect(result.warnings).toEqual(['Claude reported an unknown currency "€"; the extra-usage balance is not shown.']);
  });

  test.each([
    ['{"five_hour":{"utilization":5},"extra_usage":{"decimal_places":2.5}}', "extra_usage.decimal_places"],
    ['{"five_hour":{"utilization":5},"extra_usage":{"is_enabled":"yes"}}', "extra_usage.is_enabled"],
    ['{"five_hour":{"utilization":5},"spend":{"limit":{"exponent":-1}}}', "spend.limit.exponent"],
    ['{"five_hour":{"utilization":5},"limits":{"kind":"session"}}', "limits"],
    ['{"five_hour":{"utilization":5},"limits":[{"kind":"session","percent":"lots"}]}', "limits[0].percent"],
    ['{"five_hour":{"utilization":5},"seven_day":{"utilization":7,"resets_at":12}}', "seven_day.resets_at"],
  ])("%s: the rest is kept and %s is named once", (body, field) => {
    const result = expectOk(adaptClaudeUsage(body, FETCHED_AT));
    expect(result.caps?.windows[0]).toMatchObject({ id: "5h", usedPercent: 5 });
    expect(result.warnings).toEqual([`Claude usage: left out what could not be read (${field}); the rest is shown.`]);
  });

  test("a body with nothing readable names the first bad part", () => {
    const outcome = adaptClaudeUsage('{"five_hour":[],"extra_usage":7}', FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (!outcome.ok)
      expect(outcome.message).toBe(
        "Claude usage response has an unexpected shape at five_hour: expected an object, got an array (and 1 more)",
      );
  });

  test("[1,2] is not an object", () => {
    expect(adaptClaudeUsage("[1,2]", FETCHED_AT)).toMatchObject({ ok: false, error: "wrong_shape" });
  });
});
