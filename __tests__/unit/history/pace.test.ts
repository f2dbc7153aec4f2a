import { sourceVerdict, windowPace, type WindowPace } from "../../../src/history/pace";
import type { Point } from "../../../src/history/readings";
import { capWindow, HOUR, MINUTE, NOW } from "../../support/builders";

/** A 5h window that started 2 hours ago (it resets in 3 hours). */
const fiveHour = (usedPercent: number) => capWindow({ usedPercent, resetsAt: NOW + 3 * HOUR });
const START = NOW - 2 * HOUR;

describe("the rate", () => {
  test("recent burn: the change over the last hour's readings, when two are at least 10 minutes apart", () => {
    // 10 % over the first hour, then 20 % in the last 40 minutes: the recent burn is 30 %/h.
    const points: Point[] = [
      [START + 30 * MINUTE, 5],
      [NOW - 40 * MINUTE, 20],
      [NOW - 20 * MINUTE, 30],
    ];
    const pace = windowPace(fiveHour(40), NOW, points, NOW);
    expect(pace).toMatchObject({ kind: "runsOut", basis: { method: "recent", readings: 3, spanMs: 40 * MINUTE } });
    expect((pace as { percentPerHour: number }).percentPerHour).toBeCloseTo(30);
    // 60 % left at 30 %/h: two hours from now, before the reset in three.
    expect((pace as { runsOutAt: number }).runsOutAt).toBeCloseTo(NOW + 2 * HOUR, -3);
  });

  test("readings closer than 10 minutes fall back to the window's average so far", () => {
    const points: Point[] = [[NOW - 5 * MINUTE, 38]];
    const pace = windowPace(fiveHour(40), NOW, points, NOW);
    // 40 % in 2 hours is 20 %/h: 60 % left needs 3 hours, exactly the time to the reset.
    expect(pace).toMatchObject({
      kind: "lastsUntilReset",
      basis: { method: "average", usedPercent: 40, elapsedMs: 2 * HOUR },
    });
    expect((pace as { percentPerHour: number }).percentPerHour).toBeCloseTo(20);
  });

  test("the average counts from the window's start (reset time less length) to the reading", () => {
    const pace = windowPace(fiveHour(50), NOW - 30 * MINUTE, [], NOW);
    expect(pace).toMatchObject({ kind: "runsOut", basis: { method: "average", elapsedMs: 90 * MINUTE } });
  });

  test("a recent burn of nothing lasts until reset, even when the average would run out", () => {
    const points: Point[] = [[NOW - 50 * MINUTE, 80]];
    expect(windowPace(fiveHour(80), NOW, points, NOW)).toMatchObject({
      kind: "lastsUntilReset",
      percentPerHour: 0,
      basis: { method: "recent", readings: 2 },
    });
  });

  test("a percentage that went down is no negative rate", () => {
    const points: Point[] = [[NOW - 30 * MINUTE, 60]];
    expect(windowPace(fiveHour(40), NOW, points, NOW)).toMatchObject({ kind: "lastsUntilReset", percentPerHour: 0 });
  });
});

describe("nothing to say", () => {
  test("0 % used", () => {
    expect(windowPace(fiveHour(0), NOW, [[NOW - 30 * MINUTE, 0]], NOW)).toBeNull();
  });

  test("a fresh window: younger than 10 minutes", () => {
    const fresh = capWindow({ usedPercent: 4, resetsAt: NOW + 5 * HOUR - 5 * MINUTE });
    expect(windowPace(fresh, NOW, [], NOW)).toBeNull();
  });

  test("no length or no reset time", () => {
    expect(windowPace(capWindow({ windowMinutes: null, resetsAt: NOW + HOUR }), NOW, [], NOW)).toBeNull();
    expect(windowPace(capWindow({ resetsAt: null }), NOW, [], NOW)).toBeNull();
  });

  test("a window whose reset time has passed", () => {
    expect(windowPace(capWindow({ usedPercent: 90, resetsAt: NOW - MINUTE }), NOW - 2 * HOUR, [], NOW)).toBeNull();
  });

  test("a reset time further ahead than the window is long (junk)", () => {
    expect(windowPace(capWindow({ usedPercent: 30, resetsAt: NOW + 9 * HOUR }), NOW, [], NOW)).toBeNull();
  });
});

describe("limits and resets", () => {
  test("at 100 %: at its limit until the reset", () => {
    expect(windowPace(fiveHour(100), NOW, [], NOW)).toEqual({ kind: "atLimit", resetsAt: NOW + 3 * HOUR });
  });

  test("a window that just reset: readings from before its start never count", () => {
    // The previous window ran 0 → 95 %; the new one started 15 minutes ago and is at 3 %.
    const justReset = capWindow({ usedPercent: 3, resetsAt: NOW + 5 * HOUR - 15 * MINUTE });
    const points: Point[] = [
      [NOW - 60 * MINUTE, 80],
      [NOW - 20 * MINUTE, 95],
      [NOW - 5 * MINUTE, 2],
    ];
    const pace = windowPace(justReset, NOW, points, NOW);
    // Only the 2 % and 3 % readings are in this window: 5 minutes apart, so the average (3 % in 15 min).
    expect(pace).toMatchObject({ kind: "lastsUntilReset", basis: { method: "average", elapsedMs: 15 * MINUTE } });
    expect((pace as { percentPerHour: number }).percentPerHour).toBeCloseTo(12);
  });

  test("a clock that jumped back: readings in the future are ignored", () => {
    const points: Point[] = [
      [NOW - 30 * MINUTE, 20],
      [NOW + 40 * MINUTE, 99],
    ];
    const pace = windowPace(fiveHour(25), NOW, points, NOW);
    expect(pace).toMatchObject({ basis: { method: "recent", readings: 2, spanMs: 30 * MINUTE } });
    expect((pace as { percentPerHour: number }).percentPerHour).toBeCloseTo(10);
  });

  test("only readings from before the window's start (the current one from the future): nothing to say", () => {
    const points: Point[] = [[START - 30 * MINUTE, 90]];
    expect(windowPace(fiveHour(25), NOW + 10 * MINUTE, points, NOW)).toBeNull();
  });

  test("a current reading from the future and no other: nothing to say", () => {
    expect(windowPace(fiveHour(25), NOW + 10 * MINUTE, [], NOW)).toBeNull();
  });
});

describe("a source's verdict", () => {
  const runsOut = (at: number): WindowPace => ({
    kind: "runsOut",
    runsOutAt: at,
    resetsAt: at + HOUR,
    percentPerHour: 10,
    basis: { method: "average", usedPercent: 10, elapsedMs: HOUR },
  });
  const lasts: WindowPace = {
    kind: "lastsUntilReset",
    resetsAt: NOW + HOUR,
    percentPerHour: 1,
    basis: { method: "average", usedPercent: 10, elapsedMs: HOUR },
  };

  test("at a limit beats running out, which beats lasting; the earliest run-out wins", () => {
    expect(sourceVerdict([lasts, runsOut(NOW + 3 * HOUR), runsOut(NOW + HOUR)])).toEqual({
      kind: "runsOut",
      at: NOW + HOUR,
    });
    expect(sourceVerdict([runsOut(NOW + HOUR), { kind: "atLimit", resetsAt: NOW + 2 * HOUR }])).toEqual({
      kind: "atLimit",
      until: NOW + 2 * HOUR,
    });
    expect(sourceVerdict([null, lasts])).toEqual({ kind: "lastsUntilReset" });
    expect(sourceVerdict([null, null])).toBeNull();
  });
});
