import {
  formatBalance,
  formatDurationShort,
  formatLimiterTitle,
  formatMoney,
  formatPercent,
  formatRelative,
  formatResetCountdown,
  formatWindowLine,
} from "../../../src/view/format";
import { capWindow, credits, HOUR, MINUTE, NOW } from "../../support/builders";

describe("formatPercent", () => {
  test.each([
    [37, "37%"],
    [12.5, "13%"],
    [0, "0%"],
    [0.2, "<1%"],
    [99.6, "99%"],
    [100, "100%"],
    [105, "100%"],
    [-3, "0%"],
    [Number.NaN, "–"],
    [Number.POSITIVE_INFINITY, "–"],
  ])("%p → %p", (percent, expected) => {
    expect(formatPercent(percent)).toBe(expected);
  });
});

describe("reset countdown", () => {
  test.each([
    [2 * HOUR + 41 * MINUTE, "resets in 2h 41m"],
    [3 * 24 * HOUR + 4 * HOUR + 59 * MINUTE, "resets in 3d 4h"],
    [2 * 24 * HOUR, "resets in 2d"],
    [3 * HOUR, "resets in 3h"],
    [12 * MINUTE + 59_000, "resets in 12m"],
    [30_000, "resets in <1m"],
  ])("%p ms ahead → %p", (ahead, expected) => {
    expect(formatResetCountdown(NOW + ahead, NOW)).toBe(expected);
  });

  test("a past or present reset time says reset", () => {
    expect(formatResetCountdown(NOW, NOW)).toBe("reset");
    expect(formatResetCountdown(NOW - HOUR, NOW)).toBe("reset");
  });

  test("an unknown reset time says so", () => {
    expect(formatResetCountdown(null, NOW)).toBe("reset time unknown");
  });

  test("durations use the two largest units", () => {
    expect(formatDurationShort(25 * HOUR + 30 * MINUTE)).toBe("1d 1h");
    expect(formatDurationShort(59 * MINUTE)).toBe("59m");
  });
});

describe("window lines", () => {
  test("percent and countdown", () => {
    expect(formatWindowLine(capWindow(), NOW)).toBe("5h 37% · resets in 2h 41m");
  });

  test("a window past its reset shows as reset, not its old percentage", () => {
    expect(formatWindowLine(capWindow({ usedPercent: 100, resetsAt: NOW - MINUTE }), NOW)).toBe("5h reset · 0% used");
  });
});

describe("money", () => {
  test.each([
    [{ amount: 12.3, currency: "USD" }, "$12.30"],
    [{ amount: 0, currency: "USD" }, "$0.00"],
    [{ amount: 12.849, currency: "EUR" }, "€12.85"],
    [{ amount: 1200, currency: "JPY" }, "¥1,200"],
    [{ amount: 1.2345, currency: "KWD" }, "KWD 1.235"],
    [{ amount: 16.5, currency: "usd" }, "$16.50"],
    [{ amount: 1234567.891, currency: "USD" }, "$1,234,567.89"],
    [{ amount: 5, currency: "XYZ" }, "XYZ 5.00"],
  ])("%p → %p", (money, expected) => {
    expect(formatMoney(money).replace(/\u00a0/g, " ")).toBe(expected);
  });

  test("a code Intl rejects is shown after the number", () => {
    expect(formatMoney({ amount: 5, currency: "X1" })).toBe("5.00 X1");
  });

  test("balances: unlimited, priced and unpriced", () => {
    expect(formatBalance(credits({ unlimited: true, creditBalanceUSD: null }))).toBe("Unlimited");
    expect(formatBalance(credits())).toBe("$12.30");
    expect(formatBalance(credits({ creditBalanceUSD: null, credits: 412.5 }))).toBe("412.5 credits");
  });
});

describe("relative times", () => {
  test.each([
    [NOW - 30_000, "just now"],
    [NOW - 5 * MINUTE, "5m ago"],
    [NOW - 2 * HOUR - 10 * MINUTE, "2h ago"],
    [NOW - 3 * 24 * HOUR, "3d ago"],
    [NOW + 3 * HOUR, "in 3h"],
  ])("%p → %p", (time, expected) => {
    expect(formatRelative(time, NOW)).toBe(expected);
  });
});

describe("menu bar title", () => {
  test("caps show the binding percent, credits the money", () => {
    expect(formatLimiterTitle({ kind: "caps", window: capWindow(), reason: "" }, NOW)).toBe("37%");
    expect(formatLimiterTitle({ kind: "credits", credits: credits(), reason: "" }, NOW)).toBe("$12.30");
  });

  test("nothing known shows a dash; unlimited shows infinity", () => {
    expect(formatLimiterTitle({ kind: "caps", window: null, reason: "" }, NOW)).toBe("–");
    expect(formatLimiterTitle({ kind: "credits", credits: null, reason: "" }, NOW)).toBe("–");
    expect(
      formatLimiterTitle(
        { kind: "credits", credits: credits({ unlimited: true, creditBalanceUSD: null }), reason: "" },
        NOW,
      ),
    ).toBe("∞");
  });

  test("a reset binding window shows 0%", () => {
    const window = capWindow({ usedPercent: 90, resetsAt: NOW - 1 });
    expect(formatLimiterTitle({ kind: "caps", window, reason: "" }, NOW)).toBe("0%");
  });
});
