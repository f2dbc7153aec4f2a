import { chartSvg, niceCeiling, sparkline, type SeriesChart } from "../../../src/history/chart";
import { HOUR, MINUTE, NOW } from "../../support/builders";

const chart = (overrides: Partial<SeriesChart> = {}): SeriesChart => ({
  labels: { title: "5h: 40% used", from: "09:00", to: "resets 15:00" },
  from: NOW - 2 * HOUR,
  to: NOW + 3 * HOUR,
  readings: [
    [NOW - HOUR, 10],
    [NOW - 30 * MINUTE, 25],
    [NOW, 40],
  ],
  max: 100,
  format: (value) => `${value}%`,
  now: NOW,
  ...overrides,
});

describe("chart SVG", () => {
  test("the readings as a line with a dot each, the limit, now, the labels and the dashed pace line", () => {
    const svg = chartSvg(chart({ limit: 100, projection: { from: [NOW, 40], to: [NOW + 2 * HOUR, 100] } }));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toMatch(/<polyline points="[\d. ,]+"/);
    expect(svg).toContain('stroke-dasharray="5 4"');
    expect(svg).toContain("#EF4444");
    for (const label of ["5h: 40% used", "09:00", "resets 15:00", "100%", "0%"]) expect(svg).toContain(label);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  test("readings outside the axis or ahead of now are left out; no pace line without a projection", () => {
    const svg = chartSvg(
      chart({
        readings: [
          [NOW - 3 * HOUR, 90],
          [NOW - HOUR, 10],
          [NOW + HOUR, 99],
        ],
      }),
    );
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).not.toContain("<polyline");
    expect(svg).not.toContain('stroke-dasharray="5 4"');
  });

  test("labels are escaped: a provider's name cannot break the document", () => {
    const svg = chartSvg(chart({ labels: { title: 'Weekly <script>&"x"', from: "a", to: "b" } }));
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("Weekly &#60;script&#62;&#38;&#34;x&#34;");
  });

  test("a zero maximum and an empty axis draw without junk", () => {
    const svg = chartSvg(chart({ max: 0, from: NOW, to: NOW, readings: [[NOW, 0]] }));
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe("block characters", () => {
  test("one block per slot, the value last read by its end; blank before the first reading", () => {
    const line = sparkline(
      [
        [NOW - 2 * HOUR, 0],
        [NOW - 90 * MINUTE, 50],
        [NOW, 100],
      ],
      NOW - 4 * HOUR,
      NOW,
      100,
      4,
    );
    expect(line).toBe(" ▁▅█");
    expect(sparkline([[NOW - 4 * HOUR, 50]], NOW - 4 * HOUR, NOW, 100, 4)).toBe("▅▅▅▅");
  });

  test("values beyond the maximum are clamped; a zero maximum does not divide by zero", () => {
    expect(sparkline([[NOW, 250]], NOW - HOUR, NOW, 100, 2)).toBe(" █");
    expect(sparkline([[NOW - HOUR, 3]], NOW - HOUR, NOW, 0, 2)).toBe("▁▁");
  });
});

describe("round axis tops", () => {
  test.each([
    [42.9, 50],
    [37.15, 40],
    [40, 40],
    [10.01, 20],
    [2.5, 4],
    [0.3, 0.4],
    [0.07, 0.1],
    [9, 10],
    [1234, 2000],
    [1, 1],
  ])("%p rounds up to %p, whose half is round too", (value, top) => {
    expect(niceCeiling(value)).toBeCloseTo(top, 10);
  });

  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])("%p has no top above zero", (value) => {
    expect(niceCeiling(value)).toBe(0);
  });
});
