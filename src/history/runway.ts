/**
 * Credit runway: how long a balance lasts at the rate it has been going down. An estimate from the
 * balance readings of the last 7 days; a rise is a top-up, so the estimate starts again from it.
 */
import type { BalanceSeries, Point } from "./readings";
import { DAY_MS, HOUR_MS } from "../model/time";

const RUNWAY_LOOKBACK_MS = 7 * DAY_MS;
/** Readings closer together than this cannot tell a spending rate from noise. */
const MIN_RUNWAY_SPAN_MS = HOUR_MS;

export interface Runway {
  /** The balance's unit: an ISO currency, or `credits`. */
  unit: string;
  balance: number;
  /** Spent per day over the readings used; 0 when nothing was spent. */
  perDay: number;
  /** How long the balance lasts at that rate; null when nothing is being spent. */
  lastsMs: number | null;
  readings: number;
  spanMs: number;
}

/** The readings since the last top-up within the lookback, oldest first; none from the future. */
function sinceLastTopUp(points: readonly Point[], now: number): Point[] {
  const recent = points.filter(([at]) => at <= now && at >= now - RUNWAY_LOOKBACK_MS);
  let start = 0;
  for (let index = 1; index < recent.length; index++) {
    if (recent[index][1] > recent[index - 1][1]) start = index;
  }
  return recent.slice(start);
}

/** Null from fewer than two readings an hour apart: one reading never makes a rate. */
export function creditRunway(series: BalanceSeries | null, now: number): Runway | null {
  if (!series) return null;
  const readings = sinceLastTopUp(series.points, now);
  if (readings.length < 2) return null;
  const [firstAt, firstAmount] = readings[0];
  const [lastAt, balance] = readings[readings.length - 1];
  const spanMs = lastAt - firstAt;
  if (spanMs < MIN_RUNWAY_SPAN_MS) return null;
  const perDay = Math.max(0, ((firstAmount - balance) / spanMs) * DAY_MS);
  const lastsMs = perDay > 0 ? (Math.max(0, balance) / perDay) * DAY_MS : null;
  return { unit: series.unit, balance, perDay, lastsMs, readings: readings.length, spanMs };
}
