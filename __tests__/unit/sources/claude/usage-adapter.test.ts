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
