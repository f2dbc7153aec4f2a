import { currentPercent, hasReset, isCreditFresh } from "./freshness";
import type {
  ActiveLimiter,
  CapWindow,
  CreditSnapshot,
  LimitReached,
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

/** Cap data that binds the whole source: an account window, or the provider's limit-reached signal. */
function hasCapData(snapshot: SourceSnapshot): boolean {
  return accountWindows(snapshot).length > 0 || Boolean(snapshot.caps?.reached);
}

/** Usable credit (SPEC §3): a balance that can be spent, never one that is disabled, unknown or used up. */
function hasUsableCredits(snapshot: SourceSnapshot): boolean {
  return snapshot.credits?.usable === true;
}

/** A window at its limit: 100 % or the provider's word, until its reset time passes. */
export function isExhausted(window: CapWindow, now: number) {
  return (window.usedPercent >= EXHAUSTED_PERCENT || window.reached === true) && !hasReset(window, now);
}

/**
 * Whether requests are refused for the whole source now, and why: a provider signal that still
 * holds, or an account window at its limit.
 */
export function sourceLimitReached(snapshot: SourceSnapshot, now: number): LimitReached | null {
  const signal = snapshot.caps?.reached;
  if (signal && (signal.resetsAt === null || signal.resetsAt > now)) return signal;
  const exhausted = accountWindows(snapshot).find((window) => isExhausted(window, now));
  return exhausted ? { reason: `${exhausted.label} limit`, resetsAt: exhausted.resetsAt } : null;
}

/** SPEC §3 `auto`: caps and usable credits → mixed; caps only → caps; usable credits only → credits. */
export function resolvePlanType(snapshot: SourceSnapshot, setting: PlanTypeSetting): UsagePlanType {
  if (setting !== "auto") return setting;
  const hasCaps = hasCapData(snapshot);
  const usable = hasUsableCredits(snapshot);
  if (hasCaps && usable) return "mixed";
  if (!hasCaps && usable) return "usageCredits";
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

function capsLimiter(snapshot: SourceSnapshot, now: number, reason: string): ActiveLimiter {
  const windows = accountWindows(snapshot);
  const reached = sourceLimitReached(snapshot, now);
  const exhausted = windows.find((window) => isExhausted(window, now));
  return { kind: "caps", window: exhausted ?? bindingWindow(windows, now), reached, reason };
}

function creditsLimiter(credits: CreditSnapshot | null, reason: string): ActiveLimiter {
  return { kind: "credits", credits, reason };
}

function describeCaps(snapshot: SourceSnapshot, now: number) {
  const reached = sourceLimitReached(snapshot, now);
  if (reached) return `limit reached: ${reached.reason}`;
  const window = bindingWindow(accountWindows(snapshot), now);
  if (!window) return "no cap data";
  const percent = Math.round(currentPercent(window, now));
  return hasReset(window, now) ? `${window.label} cap has reset` : `${window.label} cap at ${percent} %`;
}

/**
 * Which limiter to surface (SPEC §3). Caps stay primary for mixed plans unless the source is at its
 * limit (an exhausted cap or a provider's limit-reached signal) while usable credits exist, or there
 * is no cap data; `preferCredits` flips the order whenever a fresh, usable balance exists.
 */
export function activeLimiter(
  snapshot: SourceSnapshot,
  setting: PlanTypeSetting,
  policy: PrecedencePolicy,
  now: number,
): ActiveLimiter {
  const planType = resolvePlanType(snapshot, setting);
  const hasCaps = hasCapData(snapshot);
  const credits = snapshot.credits;

  if (planType === "subscriptionCaps") return capsLimiter(snapshot, now, describeCaps(snapshot, now));
  if (planType === "usageCredits") return creditsLimiter(credits, "usage-credits plan");

  if (policy === "preferCredits") {
    if (credits && credits.usable && isCreditFresh(credits, now)) {
      return creditsLimiter(credits, "credits preferred and fresh");
    }
    if (hasCaps) return capsLimiter(snapshot, now, `${describeCaps(snapshot, now)}, no fresh credits`);
    return creditsLimiter(credits, "no cap data");
  }

  if (!hasCaps) return creditsLimiter(credits, "no cap data");
  const reached = sourceLimitReached(snapshot, now);
  if (reached && credits?.usable) {
    const exhausted = accountWindows(snapshot).find((window) => isExhausted(window, now));
    const what =
      exhausted && exhausted.usedPercent >= EXHAUSTED_PERCENT ? `${exhausted.label} cap at 100 %` : reached.reason;
    return creditsLimiter(credits, `${what}, credits in use`);
  }
  return capsLimiter(snapshot, now, describeCaps(snapshot, now));
}
