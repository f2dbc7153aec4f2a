import {
  BALANCE_RETENTION_MS,
  balanceOfReading,
  balanceOfSnapshot,
  EMPTY_HISTORY,
  historyOf,
  MAX_POINTS_PER_SERIES,
  MAX_WINDOW_SERIES,
  mergeHistories,
  type Point,
  type SourceHistory,
} from "../../../src/history/readings";
import { capWindow, caps, credits, HOUR, MINUTE, NOW, weeklyWindow } from "../../support/builders";

const DAY = 24 * HOUR;

/** What one menu launch at `at` records when the caps say `percents` (5h, weekly). */
function launch(history: SourceHistory, at: number, fiveHour: number, weekly = 50): SourceHistory {
  const snapshot = caps([capWindow({ usedPercent: fiveHour }), weeklyWindow({ usedPercent: weekly })], {
    capturedAt: at,
  });
  return mergeHistories(history, historyOf({ caps: snapshot, balance: null }, NOW), NOW);
}

const pointsOf = (history: SourceHistory, id: string): Point[] =>
  history.windows.find((series) => series.id === id)?.points ?? [];

describe("recording caps readings", () => {
  test("the same snapshot read again adds nothing", () => {
    const once = launch(EMPTY_HISTORY, NOW - 30 * MINUTE, 20);
    expect(launch(once, NOW - 30 * MINUTE, 20)).toEqual(once);
  });

  test("a plateau keeps its first and last reading, so flat time still counts", () => {
    let history = EMPTY_HISTORY;
    for (const minutesAgo of [60, 50, 40, 30, 20]) history = launch(history, NOW - minutesAgo * MINUTE, 20);
    history = launch(history, NOW - 10 * MINUTE, 25);
    expect(pointsOf(history, "5h")).toEqual([
      [NOW - 60 * MINUTE, 20],
      [NOW - 20 * MINUTE, 20],
      [NOW - 10 * MINUTE, 25],
    ]);
  });

  test("a reading out of order lands in its place", () => {
    let history = launch(EMPTY_HISTORY, NOW - 10 * MINUTE, 30);
    history = launch(history, NOW - 40 * MINUTE, 10);
    expect(pointsOf(history, "5h").map(([at]) => at)).toEqual([NOW - 40 * MINUTE, NOW - 10 * MINUTE]);
  });

  test("readings older than the window's length are pruned; a window with no readings left goes", () => {
    let history = launch(EMPTY_HISTORY, NOW - 6 * HOUR, 90, 30);
    history = launch(history, NOW - HOUR, 5, 31);
    expect(pointsOf(history, "5h")).toEqual([[NOW - HOUR, 5]]);
    expect(pointsOf(history, "weekly")).toHaveLength(2);
    const later = mergeHistories(history, EMPTY_HISTORY, NOW + 8 * DAY);
    expect(later.windows).toEqual([]);
  });

  test("windows without a length, or longer than a month, are not recorded", () => {
    const snapshot = caps([
      capWindow({ id: "odd", windowMinutes: null }),
      capWindow({ id: "year", windowMinutes: 525600 }),
    ]);
    expect(historyOf({ caps: snapshot, balance: null }, NOW).windows).toEqual([]);
  });

  test("a reading from the future (the clock went back) is not recorded", () => {
    const snapshot = caps([capWindow()], { capturedAt: NOW + 5 * MINUTE });
    const balance = { at: NOW + HOUR, amount: 3, unit: "USD" };
    expect(historyOf({ caps: snapshot, balance }, NOW)).toEqual(EMPTY_HISTORY);
  });

  test("a series keeps at most MAX_POINTS_PER_SERIES readings; a source at most its most recent windows", () => {
    const many: Point[] = Array.from({ length: 3 * MAX_POINTS_PER_SERIES }, (_, i) => [NOW - i * 1000, i % 100]);
    const windows = Array.from({ length: MAX_WINDOW_SERIES + 4 }, (_, i) => ({
      id: `w${i}`,
      minutes: 300,
      points: [[NOW - i * MINUTE, 1]] as Point[],
    }));
    const history = mergeHistories(
      { windows: [{ id: "5h", minutes: 300, points: many }, ...windows], balance: null },
      EMPTY_HISTORY,
      NOW,
    );
    // Thinned, not cut: the newest readings all stay, the oldest one too, fewer in between.
    const kept = pointsOf(history, "5h");
    expect(kept.length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    expect(kept.slice(-MAX_POINTS_PER_SERIES / 2)).toEqual(many.slice(0, MAX_POINTS_PER_SERIES / 2).reverse());
    expect(kept[0]).toEqual(many.at(-1));
    expect(history.windows).toHaveLength(MAX_WINDOW_SERIES);
    expect(history.windows.map((series) => series.id)).not.toContain(`w${MAX_WINDOW_SERIES + 3}`);
  });
});

describe("recording balances", () => {
  test("usable balances in money or Codex credits; unusable and unlimited ones are not recorded", () => {
    expect(balanceOfSnapshot(credits())).toEqual({ at: NOW - HOUR, amount: 12.3, unit: "USD" });
    expect(balanceOfSnapshot(credits({ credits: 412.5, creditUnitPrice: 0.04 }))).toMatchObject({
      amount: 412.5,
      unit: "credits",
    });
    expect(balanceOfSnapshot(credits({ usable: false }))).toBeNull();
    expect(balanceOfSnapshot(credits({ unlimited: true, creditBalanceUSD: null }))).toBeNull();
    expect(balanceOfReading({ balance: { kind: "codexCredits", credits: 7 }, usable: true, updatedAt: NOW })).toEqual({
      at: NOW,
      amount: 7,
      unit: "credits",
    });
    expect(
      balanceOfReading({
        balance: { kind: "money", money: { amount: 4, currency: "eur" } },
        usable: true,
        updatedAt: NOW,
      }),
    ).toEqual({ at: NOW, amount: 4, unit: "EUR" });
    expect(balanceOfReading({ balance: { kind: "unlimited" }, usable: true, updatedAt: NOW })).toBeNull();
    expect(
      balanceOfReading({ balance: { kind: "codexCredits", credits: 7 }, usable: false, updatedAt: NOW }),
    ).toBeNull();
  });

  test("kept 60 days; a new currency starts a new series", () => {
    const at = (time: number, amount: number, unit = "USD") =>
      historyOf({ caps: null, balance: { at: time, amount, unit } }, NOW);
    let history = mergeHistories(at(NOW - BALANCE_RETENTION_MS - HOUR, 50), at(NOW - 10 * DAY, 40), NOW);
    expect(history.balance?.points).toEqual([[NOW - 10 * DAY, 40]]);
    history = mergeHistories(history, at(NOW - DAY, 30, "EUR"), NOW);
    expect(history.balance).toEqual({ unit: "EUR", points: [[NOW - DAY, 30]] });
  });
});

describe("readings as stored", () => {
  test("rounded to whole milliseconds and four decimals, so a round trip through storage changes nothing", () => {
    const snapshot = caps([capWindow({ usedPercent: 37.123456 })], { capturedAt: NOW - 1000.6 });
    const balance = { at: NOW - 0.4, amount: 0.00000012, unit: "USD" };
    expect(historyOf({ caps: snapshot, balance }, NOW)).toEqual({
      windows: [{ id: "5h", minutes: 300, points: [[NOW - 1001, 37.1235]] }],
      balance: { unit: "USD", points: [[NOW, 0]] },
    });
  });

  test("an amount of 10^9 or more is junk and not recorded", () => {
    expect(historyOf({ caps: null, balance: { at: NOW, amount: 1e9, unit: "USD" } }, NOW).balance).toBeNull();
    expect(historyOf({ caps: null, balance: { at: NOW, amount: -1e21, unit: "USD" } }, NOW).balance).toBeNull();
  });
});
