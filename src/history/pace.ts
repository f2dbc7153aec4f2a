/**
 * Pace: at the rate a cap window is being used, does it reach 100 % before it resets? An estimate
 * from local readings only. The rate is the recent burn (the change over the last hour of readings)
 * when there is enough of it, else the window's average so far. Readings from before the window's
 * current start (it reset since) and readings dated ahead of the clock never count.
 */
import type { CapWindow } from "../model/types";
import type { Point } from "./readings";
import { HOUR_MS, MINUTE_MS } from "../model/time";

/** The recent burn looks this far back. */
const RECENT_MS = HOUR_MS;
/** Two readings closer than this say little about a rate; a window younger than this neither. */
const MIN_SPAN_MS = 10 * MINUTE_MS;
const FULL_PERCENT = 100;

/** Which data an estimate used, so the user can judge it. */
export type PaceBasis =
  | { method: "recent"; readings: number; spanMs: number }
  | { method: "average"; usedPercent: number; elapsedMs: number };

export type WindowPace =
  | { kind: "atLimit"; resetsAt: number }
  | { kind: "runsOut"; runsOutAt: number; resetsAt: number; percentPerHour: number; basis: PaceBasis }
  | { kind: "lastsUntilReset"; resetsAt: number; percentPerHour: number; basis: PaceBasis };

/** The window's start: its reset time less its length. */
export function windowStart(window: Pick<CapWindow, "resetsAt" | "windowMinutes">): number | null {
  if (window.resetsAt === null || window.windowMinutes === null || !(window.windowMinutes > 0)) return null;
  return window.resetsAt - window.windowMinutes * MINUTE_MS;
}

/** Oldest first, one reading per instant (the later-listed wins). */
function byTime(points: Iterable<Point>): Point[] {
  const unique = new Map<number, number>();
  for (const [at, value] of points) unique.set(at, value);
  return [...unique.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * The readings that describe the window as it is now: its history plus the current reading, none
 * from before its start or ahead of the clock, oldest first.
 */
export function currentReadings(window: CapWindow, capturedAt: number, points: readonly Point[], now: number): Point[] {
  const start = windowStart(window);
  if (start === null) return [];
  const current: Point = [capturedAt, window.usedPercent];
  return byTime([...points, current].filter(([at]) => at >= start && at <= now));
}

/**
 * Percent per millisecond, and what it came from; null when there is not enough to say. The
 * history is walked from its newest reading back to the last hour's first, not further: the menu
 * computes this for every window at every launch.
 */
function rateOf(
  points: readonly Point[],
  current: Point,
  start: number,
  now: number,
): { perMs: number; basis: PaceBasis } | null {
  const recentFrom = Math.max(start, now - RECENT_MS);
  const currentCounts = current[0] >= start && current[0] <= now;
  let latest: Point | null = currentCounts ? current : null;
  const newestFirst: Point[] = currentCounts && current[0] >= recentFrom ? [current] : [];
  for (let index = points.length - 1; index >= 0; index--) {
    const point = points[index];
    if (point[0] > now) continue; // ahead of the clock
    if (!latest || point[0] > latest[0]) latest = point;
    // The last hour never reaches back past the window's start: older readings belong to a window
    // that has reset (and a latest reading from one has no time in this window: see below).
    if (point[0] < recentFrom) break;
    newestFirst.push(point);
  }
  // The current reading is listed last, so it wins over a stored reading of the same instant.
  const recent = byTime(newestFirst.reverse());
  if (recent.length >= 2) {
    const [firstAt, firstValue] = recent[0];
    const [lastAt, lastValue] = recent[recent.length - 1];
    const spanMs = lastAt - firstAt;
    if (spanMs >= MIN_SPAN_MS) {
      return {
        perMs: Math.max(0, (lastValue - firstValue) / spanMs),
        basis: { method: "recent", readings: recent.length, spanMs },
      };
    }
  }
  if (!latest) return null;
  const [latestAt, latestValue] = latest;
  const elapsedMs = latestAt - start;
  if (elapsedMs < MIN_SPAN_MS) return null; // a fresh window, or only readings from before it
  return { perMs: latestValue / elapsedMs, basis: { method: "average", usedPercent: latestValue, elapsedMs } };
}

/**
 * The pace of one window (any window with a length and a reset time that has not passed), or null
 * when there is nothing to say: no length or reset time, already reset, 0 % used, a fresh window,
 * or only readings from the future. `points` is the window's history, oldest first (as the ledger
 * keeps it). The projection starts now from the window's current percentage.
 */
export function windowPace(
  window: CapWindow,
  capturedAt: number,
  points: readonly Point[],
  now: number,
): WindowPace | null {
  const start = windowStart(window);
  const resetsAt = window.resetsAt;
  if (start === null || resetsAt === null || resetsAt <= now || start > now) return null;
  if (window.usedPercent >= FULL_PERCENT) return { kind: "atLimit", resetsAt };
  if (window.usedPercent <= 0) return null;
  const rate = rateOf(points, [capturedAt, window.usedPercent], start, now);
  if (!rate) return null;
  const percentPerHour = rate.perMs * HOUR_MS;
  const runsOutAt = rate.perMs > 0 ? now + (FULL_PERCENT - window.usedPercent) / rate.perMs : Infinity;
  if (runsOutAt < resetsAt) return { kind: "runsOut", runsOutAt, resetsAt, percentPerHour, basis: rate.basis };
  return { kind: "lastsUntilReset", resetsAt, percentPerHour, basis: rate.basis };
}

/** One source's outlook from the paces of the windows that bind it. */
export type SourceVerdict =
  { kind: "atLimit"; until: number } | { kind: "runsOut"; at: number } | { kind: "lastsUntilReset" };

/** A window at its limit says most; then the earliest run-out; then "lasts until reset"; else nothing. */
export function sourceVerdict(paces: readonly (WindowPace | null)[]): SourceVerdict | null {
  const known = paces.filter((pace): pace is WindowPace => pace !== null);
  const atLimit = known.filter((pace) => pace.kind === "atLimit");
  if (atLimit.length) return { kind: "atLimit", until: Math.max(...atLimit.map((pace) => pace.resetsAt)) };
  const runsOut = known.flatMap((pace) => (pace.kind === "runsOut" ? [pace.runsOutAt] : []));
  if (runsOut.length) return { kind: "runsOut", at: Math.min(...runsOut) };
  return known.length ? { kind: "lastsUntilReset" } : null;
}
