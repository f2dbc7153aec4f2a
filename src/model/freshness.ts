import type { CapWindow, CreditSnapshot } from "./types";

export const TTL_HOUR_CHOICES = [1, 3, 6, 12, 24] as const;
export const DEFAULT_TTL_HOURS = 6;

/**
 * A balance is fresh from its update until `creditRefreshAt`. An update time ahead of
 * the clock (a skewed or tampered value) is never fresh, or it would stay fresh for ever.
 */
export function isCreditFresh(credits: Pick<CreditSnapshot, "creditUpdatedAt" | "creditRefreshAt">, now: number) {
  return credits.creditUpdatedAt <= now && now < credits.creditRefreshAt;
}

/** A window whose reset time has passed has reset: its old percentage no longer holds. */
export function hasReset(window: Pick<CapWindow, "resetsAt">, now: number) {
  return window.resetsAt !== null && window.resetsAt <= now;
}

/** The percentage that holds now: 0 once the window has reset. */
export function currentPercent(window: CapWindow, now: number) {
  return hasReset(window, now) ? 0 : window.usedPercent;
}

/**
 * Of a reading that cost nothing (a local file) and a fetched one, the newer: the local one wins ties,
 * and a fetched reading dated ahead of the clock (the clock was set back) does not hide it.
 */
export function newerReading<T>(
  local: T | null | undefined,
  fetched: T | null | undefined,
  timeOf: (reading: T) => number,
  now: number,
): T | null {
  if (!local) return fetched ?? null;
  if (!fetched) return local;
  return timeOf(fetched) > timeOf(local) && timeOf(fetched) <= now ? fetched : local;
}
