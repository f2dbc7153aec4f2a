import { currentPercent, hasReset, isCreditFresh } from "./freshness";
import type {
  ActiveLimiter,
  CapWindow,
  CreditSnapshot,
  PlanTypeSetting,
  PrecedencePolicy,
  SourceSnapshot,
  UsagePlanType,
} from "./types";

const EXHAUSTED_PERCENT = 100;

/** Caps that bind the whole source: model-scoped windows are shown but never bind. */
export function accountWindows(snapshot: SourceSnapshot): CapWindow[] {
  return snapshot.caps?.windows.filter((window) => !window.scoped) ?? [];
}

/**
 * Whether on-demand credit exists: the newer word wins, a fetched balance or the Codex log's
 * `credits` flag (which comes at no cost with every turn).
 */
function hasUsableCredits(snapshot: SourceSnapshot): boolean {
  const { credits, caps } = snapshot;
  const logSays = caps?.creditsUsable;
  if (!credits) return logSays === true;
  if (logSays !== undefined && caps!.capturedAt > credits.creditUpdatedAt) return logSays;
  return credits.usable;
}

/** SPEC §3 `auto`: caps and usable credits → mixed; caps only → caps; credits only → credits. */
export function resolvePlanType(snapshot: SourceSnapshot, setting: PlanTypeSetting): UsagePlanType {
  if (setting !== "auto") return setting;
  const hasCaps = accountWindows(snapshot).length > 0;
  const usable = hasUsableCredits(snapshot);
  if (hasCaps && usable) return "mixed";
  if (!hasCaps && snapshot.credits) return "usageCredits";
  return "subscriptionCaps";
}

/** The most-used window that has not reset; a reset window counts as 0 %, never its old value. */
export function bindingWindow(windows: CapWindow[], now: number): CapWindow | null {
  let best: CapWindow | null = null;
  for (const window of windows) {
    if (!best || currentPercent(window, now) > currentPercent(best, now)) best = window;
  }
  return best;
}

export function isExhausted(window: CapWindow, now: number) {
  return window.usedPercent >= EXHAUSTED_PERCENT && !hasReset(window, now);
}

function capsLimiter(windows: CapWindow[], now: number, reason: string): ActiveLimiter {
  return { kind: "caps", window: bindingWindow(windows, now), reason };
}

function creditsLimiter(credits: CreditSnapshot | null, reason: string): ActiveLimiter {
  return { kind: "credits", credits, reason };
}

function describeWindow(window: CapWindow | null, now: number) {
  if (!window) return "no cap data";
  const percent = Math.round(currentPercent(window, now));
  return hasReset(window, now) ? `${window.label} cap has reset` : `${window.label} cap at ${percent} %`;
}

/**
 * Which limiter to surface (SPEC §3). Caps stay primary for mixed plans unless a cap is
 * exhausted while usable credits exist, or there is no cap data; `preferCredits` flips
 * the order whenever a fresh, usable balance exists.
 */
export function activeLimiter(
  snapshot: SourceSnapshot,
  setting: PlanTypeSetting,
  policy: PrecedencePolicy,
  now: number,
): ActiveLimiter {
  const planType = resolvePlanType(snapshot, setting);
  const windows = accountWindows(snapshot);
  const binding = bindingWindow(windows, now);
  const credits = snapshot.credits;

  if (planType === "subscriptionCaps") return capsLimiter(windows, now, `${describeWindow(binding, now)}`);
  if (planType === "usageCredits") return creditsLimiter(credits, "usage-credits plan");

  const usable = hasUsableCredits(snapshot);
  if (policy === "preferCredits") {
    if (credits && credits.usable && isCreditFresh(credits, now)) {
      return creditsLimiter(credits, "credits preferred and fresh");
    }
    if (windows.length > 0) return capsLimiter(windows, now, `${describeWindow(binding, now)}, no fresh credits`);
    return creditsLimiter(credits, "no cap data");
  }

  if (windows.length === 0) return creditsLimiter(credits, "no cap data");
  const exhausted = windows.find((window) => isExhausted(window, now));
  // Without a fetched balance there is no credit figure to show: the exhausted cap stays the limiter.
  if (exhausted && usable && credits) {
    return creditsLimiter(credits, `${exhausted.label} cap at 100 %, credits in use`);
  }
  return capsLimiter(windows, now, describeWindow(binding, now));
}
