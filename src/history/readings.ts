/**
 * The local history of what the menu has seen: per cap window, its used percentage over time; per
 * source, its balance over time. Pure: the LocalStorage side is `ledger.ts`. Every series keeps a
 * reading only when the value changes (a plateau keeps its first and last reading, so a flat stretch
 * still counts as time with no use), is pruned by age and bounded in length.
 */
import type { CapsSnapshot, CreditReading, CreditSnapshot } from "../model/types";
import { clampPercent } from "../model/windows";
import { roundPoint, type Point } from "./packed";
import { DAY_MS, MINUTE_MS } from "../model/time";

export type { Point } from "./packed";

interface WindowSeries {
  /** The window's `CapWindow.id`. */
  id: string;
  /** The window's length, which is how long its readings are kept. */
  minutes: number;
  points: Point[];
}

export interface BalanceSeries {
  /** ISO 4217 code for money, `credits` for a Codex credit count (priced at read time). */
  unit: string;
  points: Point[];
}

export interface SourceHistory {
  windows: WindowSeries[];
  balance: BalanceSeries | null;
}

/** A balance as the ledger keeps it: usable, countable balances only. */
export interface BalanceReading {
  at: number;
  amount: number;
  unit: string;
}

/** What one load (or one refresh) saw for a source. */
export interface Readings {
  caps: CapsSnapshot | null;
  balance: BalanceReading | null;
}

export const CREDITS_UNIT = "credits";
export const BALANCE_RETENTION_MS = 60 * DAY_MS;
/** Longer windows than a month are not a cap the product knows: their readings are not kept. */
export const MAX_WINDOW_MINUTES = 31 * 24 * 60;
export const MAX_POINTS_PER_SERIES = 200;
export const MAX_WINDOW_SERIES = 16;
/**
 * A balance this large is junk or a unit mix-up, not something to estimate a runway from; below
 * it, an amount rounded to four decimals is written without an exponent or a stray digit.
 */
const MAX_AMOUNT = 1e9;

export const EMPTY_HISTORY: SourceHistory = { windows: [], balance: null };

/** Sorted by time; one reading per instant (the later-added one wins); plateaus kept as first + last. */
function normalizePoints(points: readonly Point[], oldest: number): Point[] {
  const byTime = new Map<number, number>();
  for (const [at, value] of points) if (at >= oldest) byTime.set(at, value);
  const sorted = [...byTime.entries()].sort((a, b) => a[0] - b[0]);
  const kept: Point[] = [];
  for (let index = 0; index < sorted.length; index++) {
    const [at, value] = sorted[index];
    const previous = sorted[index - 1];
    const next = sorted[index + 1];
    const insidePlateau = previous?.[1] === value && next?.[1] === value;
    if (!insidePlateau) kept.push([at, value]);
  }
  return thinned(kept);
}

/**
 * At most MAX_POINTS_PER_SERIES readings, the whole time span kept: the newer half stays as it is
 * (the pace reads the last hour), every other older reading goes until the series fits.
 */
function thinned(points: Point[]): Point[] {
  let kept = points;
  while (kept.length > MAX_POINTS_PER_SERIES) {
    const newer = kept.length - Math.floor(MAX_POINTS_PER_SERIES / 2);
    kept = [...kept.slice(0, newer).filter((_, index) => index % 2 === 0), ...kept.slice(newer)];
  }
  return kept;
}

function newestAt(series: WindowSeries): number {
  return series.points.length ? series.points[series.points.length - 1][0] : -Infinity;
}

function isRecordable(minutes: number | null): minutes is number {
  return minutes !== null && Number.isFinite(minutes) && minutes > 0 && minutes <= MAX_WINDOW_MINUTES;
}

function normalizeWindows(windows: readonly WindowSeries[], now: number): WindowSeries[] {
  return windows
    .filter((series) => isRecordable(series.minutes))
    .map((series) => ({ ...series, points: normalizePoints(series.points, now - series.minutes * MINUTE_MS) }))
    .filter((series) => series.points.length > 0)
    .sort((a, b) => newestAt(b) - newestAt(a))
    .slice(0, MAX_WINDOW_SERIES)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function normalizeBalance(balance: BalanceSeries | null, now: number): BalanceSeries | null {
  if (!balance) return null;
  const points = normalizePoints(balance.points, now - BALANCE_RETENTION_MS);
  return points.length ? { unit: balance.unit, points } : null;
}

/** Oldest first, as every series is kept; a stored series out of order (edited by hand) is sorted. */
export function inTimeOrder(points: Point[]): Point[] {
  for (let index = 1; index < points.length; index++) {
    if (points[index][0] < points[index - 1][0]) return [...points].sort((a, b) => a[0] - b[0]);
  }
  return points;
}

/** Pruned, deduplicated and bounded: the form the ledger stores, so that equal histories serialize equally. */
export function normalizeHistory(history: SourceHistory, now: number): SourceHistory {
  return { windows: normalizeWindows(history.windows, now), balance: normalizeBalance(history.balance, now) };
}

/** Both histories' readings together (readings of one instant: `newer`'s win), normalized. */
export function mergeHistories(older: SourceHistory, newer: SourceHistory, now: number): SourceHistory {
  const windows = new Map<string, WindowSeries>();
  for (const series of [...older.windows, ...newer.windows]) {
    const known = windows.get(series.id);
    windows.set(
      series.id,
      known ? { id: series.id, minutes: series.minutes, points: [...known.points, ...series.points] } : series,
    );
  }
  return normalizeHistory({ windows: [...windows.values()], balance: mergeBalance(older.balance, newer.balance) }, now);
}

/** A balance in another unit (a new currency) starts a new series: amounts of two units never mix. */
function mergeBalance(older: BalanceSeries | null, newer: BalanceSeries | null): BalanceSeries | null {
  if (!older || !newer) return newer ?? older;
  if (older.unit !== newer.unit) return newer;
  return { unit: newer.unit, points: [...older.points, ...newer.points] };
}

/**
 * The readings of one load as a history of their own, ready to merge. Readings dated ahead of the
 * clock (the clock was set back) are not recorded: they would sort after every honest reading.
 */
export function historyOf(readings: Readings, now: number): SourceHistory {
  const caps = readings.caps;
  const windows: WindowSeries[] =
    caps && caps.capturedAt <= now
      ? caps.windows
          .filter((window) => isRecordable(window.windowMinutes))
          .map((window) => ({
            id: window.id,
            minutes: window.windowMinutes!,
            points: [roundPoint(caps.capturedAt, clampPercent(window.usedPercent))],
          }))
      : [];
  const balance = readings.balance;
  const recordable = balance && balance.at <= now && Math.abs(balance.amount) < MAX_AMOUNT;
  return {
    windows,
    balance: recordable ? { unit: balance.unit, points: [roundPoint(balance.at, balance.amount)] } : null,
  };
}

/** Whether `history` already holds every reading of `additions`: a launch that saw nothing new. */
export function holdsAll(history: SourceHistory, additions: SourceHistory): boolean {
  // From the newest end: a launch's readings are almost always the newest ones held.
  const holds = (points: readonly Point[], [at, value]: Point) =>
    points.findLast((point) => point[0] === at && point[1] === value) !== undefined;
  const windowsHeld = additions.windows.every((added) => {
    const series = history.windows.find((known) => known.id === added.id);
    return (
      series !== undefined &&
      series.minutes === added.minutes &&
      added.points.every((point) => holds(series.points, point))
    );
  });
  const balance = additions.balance;
  if (!balance) return windowsHeld;
  const known = history.balance;
  return windowsHeld && known?.unit === balance.unit && balance.points.every((point) => holds(known.points, point));
}

/** The readings of one window, oldest first (empty when the ledger has none). */
export function windowPoints(history: SourceHistory | undefined, id: string): readonly Point[] {
  return history?.windows.find((series) => series.id === id)?.points ?? [];
}

/** A balance the runway can use: usable, countable (not unlimited), in money or Codex credits. */
export function balanceOfSnapshot(credits: CreditSnapshot | null): BalanceReading | null {
  if (!credits || !credits.usable || credits.unlimited) return null;
  const at = credits.creditUpdatedAt;
  if (credits.credits !== undefined) return { at, amount: credits.credits, unit: CREDITS_UNIT };
  const money = credits.creditBalanceUSD;
  return money ? { at, amount: money.amount, unit: money.currency.toUpperCase() } : null;
}

/** The same for a balance as a probe returned it, before price and TTL are applied. */
export function balanceOfReading(reading: CreditReading | null): BalanceReading | null {
  if (!reading || !reading.usable) return null;
  const at = reading.updatedAt;
  const balance = reading.balance;
  if (balance.kind === "codexCredits") return { at, amount: balance.credits, unit: CREDITS_UNIT };
  if (balance.kind === "money") return { at, amount: balance.money.amount, unit: balance.money.currency.toUpperCase() };
  return null;
}
