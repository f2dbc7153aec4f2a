import {
  clampPercent,
  classifyWindowSeconds,
  defaultFractionDigits,
  formatIssuePath,
  minorToMajor,
  parseDecimalString,
  parseIsoInstant,
} from "../../../src/sources/parse";
import { windowLengthLabel } from "../../../src/model/windows";

describe("clampPercent", () => {
  test.each([
    [-5, 0],
    [0, 0],
    [37.5, 37.5],
    [100, 100],
    [105, 100],
    [Number.NaN, 0],
  ])("%d → %d", (input, expected) => expect(clampPercent(input)).toBe(expected));
});

describe("parseDecimalString", () => {
  test.each([
    ["412.5", 412.5],
    ["0", 0],
    ["0E-10", 0],
    ["9.99", 9.99],
    ["1.25E+2", 125],
    [".5", 0.5],
    ["-3", -3],
    [" 7 ", 7],
  ])("%j → %d", (input, expected) => expect(parseDecimalString(input)).toBe(expected));

  test.each(["abc", "", " ", "NaN", "Infinity", "-Infinity", "0x1A", "1e999", "1,5", "12abc", "1e"])(
    "%j is rejected",
    (input) => expect(parseDecimalString(input)).toBeNull(),
  );
});

describe("classifyWindowSeconds", () => {
  test.each([
    [18000, "5h", "5h", 300],
    [17940, "5h", "5h", 300],
    [604800, "weekly", "Weekly", 10080],
    [604860, "weekly", "Weekly", 10080],
    [3600, "60m", "1h", 60],
    [2592000, "43200m", "30d", 43200],
    [90, "2m", "2m", 2],
  ])("%d s → %s", (seconds, id, label, windowMinutes) => {
    expect(classifyWindowSeconds(seconds)).toEqual({ id, label, windowMinutes });
  });

  test("window lengths prefer days, then hours", () => {
    expect([windowLengthLabel(1440), windowLengthLabel(120), windowLengthLabel(45)]).toEqual(["1d", "2h", "45m"]);
  });
});

describe("money helpers", () => {
  test("minor units become major units by the exponent", () => {
    expect(minorToMajor(1285, 2)).toBeCloseTo(12.85, 10);
    expect(minorToMajor(3000, 0)).toBe(3000);
    expect(minorToMajor(2500, 3)).toBe(2.5);
  });

  test("the default exponent comes from Intl and falls back to 2", () => {
    expect(defaultFractionDigits("USD")).toBe(2);
    expect(defaultFractionDigits("JPY")).toBe(0);
    expect(defaultFractionDigits("KWD")).toBe(3);
    expect(defaultFractionDigits("US")).toBe(2);
    expect(defaultFractionDigits("not a currency")).toBe(2);
  });
});

describe("parseIsoInstant", () => {
  test.each([
    ["2026-10-12T16:40:59.581404+00:00", "2026-10-12T16:40:59.581Z"],
    ["2026-10-12T16:40:59.581Z", "2026-10-12T16:40:59.581Z"],
    ["2026-10-12T16:40:59Z", "2026-10-12T16:40:59.000Z"],
    ["2026-10-12T16:40:59.5+00:00", "2026-10-12T16:40:59.500Z"],
    ["2026-10-12T18:40:59.581404+02:00", "2026-10-12T16:40:59.581Z"],
    ["2026-10-12T22:10:59.581404+0530", "2026-10-12T16:40:59.581Z"],
    ["2026-10-12T16:40:59.581404", "2026-10-12T16:40:59.581Z"],
    ["2026-10-12t16:40:59.581404z", "2026-10-12T16:40:59.581Z"],
  ])("%s", (input, expected) => expect(parseIsoInstant(input)).toBe(Date.parse(expected)));

  test.each([null, undefined, "", "not a date", "2026-13-45T99:99:99Z", "1969-12-31T23:59:59Z"])(
    "%j is unknown",
    (input) => expect(parseIsoInstant(input)).toBeNull(),
  );
});

describe("formatIssuePath", () => {
  test("joins keys with dots and indices with brackets", () => {
    expect(formatIssuePath([])).toBe("(root)");
    expect(formatIssuePath(["limits", 2, "scope", "model"])).toBe("limits[2].scope.model");
    expect(formatIssuePath(["additional_rate_limits", 0, "rate_limit"])).toBe("additional_rate_limits[0].rate_limit");
  });
});
