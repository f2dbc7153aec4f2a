/**
 * How the ledger stores a series: one string, `at:value;at:value` (epoch milliseconds, 13 digits,
 * then the value), checked by a single regular expression. A schema check per reading would be
 * hundreds of checks, and a menu launch runs them cold, before the engine has optimized anything:
 * measured, that was most of the ledger's cost.
 */

/** One reading: `[epoch ms, value]`, the value a percentage (caps) or an amount (balance). */
export type Point = readonly [at: number, value: number];

/** 0 to 100, as `String()` writes a number rounded to four decimals. */
const PERCENT = String.raw`(?:100|\d{1,2}(?:\.\d{1,4})?)`;
/** A signed amount, likewise (the ledger records amounts under 10^9). */
const AMOUNT = String.raw`-?\d{1,15}(?:\.\d{1,4})?`;
/** 13 digits: an instant between 2001 and 2286, which every real reading is. */
const INSTANT = String.raw`\d{13}`;

const series = (value: string) => new RegExp(`^(?:${INSTANT}:${value}(?:;${INSTANT}:${value})*)?$`);
export const PERCENT_SERIES = series(PERCENT);
export const AMOUNT_SERIES = series(AMOUNT);

/** Readings are kept to whole milliseconds and four decimals, so they survive a round trip unchanged. */
export function roundPoint(at: number, value: number): Point {
  return [Math.round(at), Math.round(value * 1e4) / 1e4 || 0]; // `|| 0`: no -0, which would not round-trip
}

export function packPoints(points: readonly Point[]): string {
  return points.map(([at, value]) => `${at}:${value}`).join(";");
}

/** Only for strings that matched one of the series expressions. */
export function unpackPoints(text: string): Point[] {
  if (text === "") return [];
  const fields = text.split(/[:;]/);
  const points: Point[] = [];
  for (let index = 0; index < fields.length; index += 2)
    points.push([Number(fields[index]), Number(fields[index + 1])]);
  return points;
}
