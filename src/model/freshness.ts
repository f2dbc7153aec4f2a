import type { CapWindow, CreditSnapshot } from "./types";

export const HOUR_MS = 60 * 60 * 1000;
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
