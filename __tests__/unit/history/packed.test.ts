import { AMOUNT_SERIES, packPoints, PERCENT_SERIES, roundPoint, unpackPoints } from "../../../src/history/packed";
import type { Point } from "../../../src/history/readings";
import { NOW } from "../../support/builders";

describe("packed series", () => {
  test("every rounded reading packs to text its expression accepts, and unpacks to itself", () => {
    const percents: Point[] = [0, 0.0001, 1e-9, 12.5, 37.123456, 99.99995, 100].map((value, i) =>
      roundPoint(NOW + i * 1000.7, value),
    );
    const amounts: Point[] = [-5, -0.00001, 0, 0.1 + 0.2, 412.5, 123456.78915, 999999999.99994].map((value, i) =>
      roundPoint(NOW + i, value),
    );
    for (const [points, pattern] of [
      [percents, PERCENT_SERIES],
      [amounts, AMOUNT_SERIES],
    ] as const) {
      const text = packPoints(points);
      expect(text).toMatch(pattern);
      expect(unpackPoints(text)).toEqual(points);
    }
    expect(packPoints([])).toMatch(PERCENT_SERIES);
    expect(unpackPoints("")).toEqual([]);
  });

  test("random readings in range round-trip too", () => {
    // Seeded, so a failure can be replayed.
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 2000; i++) {
      const percent = roundPoint(NOW + random() * 1e9, random() * 100);
      const amount = roundPoint(NOW, (random() - 0.1) * 10 ** Math.floor(random() * 10));
      expect(packPoints([percent])).toMatch(PERCENT_SERIES);
      expect(packPoints([amount])).toMatch(AMOUNT_SERIES);
      expect(unpackPoints(packPoints([percent, amount]))).toEqual([percent, amount]);
    }
  });

  test.each([
    ["a percentage over 100", `${NOW}:100.1`],
    ["exponent notation", `${NOW}:1e-7`],
    ["a time of 12 digits", `${String(NOW).slice(1)}:5`],
    ["an empty entry", `${NOW}:5;;${NOW}:6`],
    ["a missing value", `${NOW}:`],
    ["spaces", `${NOW}: 5`],
  ])("rejected: %s", (_what, text) => {
    expect(PERCENT_SERIES.test(text)).toBe(false);
  });
});
