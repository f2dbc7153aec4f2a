/**
 * What the menu, the billing view and the root-search subtitle all say the same way: a limit that is
 * reached, a balance that cannot be spent, where a balance came from, a plan's name.
 */
import type { ActiveLimiter, CapsOrigin, CreditOrigin, CreditSnapshot, LimitReached } from "../model/types";
import { planDisplayName } from "../model/names";
import { formatBalance, formatLimiterTitle, formatResetCountdown } from "./format";

export const LIMIT_REACHED = "Limit reached";

/** The compact title of a limiter: `61%`, `$12.30`, `Limit reached`, or `No credit` for credit that cannot be spent. */
export function limiterTitle(limiter: ActiveLimiter, now: number): string {
  if (limiter.kind === "caps" && limiter.reached) return LIMIT_REACHED;
  if (limiter.kind === "credits" && limiter.credits && !limiter.credits.usable) {
    return limiter.credits.creditBalanceUSD ? "No credit" : "–";
  }
  return formatLimiterTitle(limiter, now);
}

/** The balance as a figure only when it can be spent; otherwise it is never shown as available. */
export function balanceText(credits: CreditSnapshot): string {
  return credits.usable ? formatBalance(credits) : "not usable";
}

/** Why a balance cannot be spent: `out of credits`. */
export function notUsableReason(credits: CreditSnapshot): string {
  return credits.notUsableReason ?? "the provider does not say it can be spent";
}

const CREDIT_ORIGINS: Record<CreditOrigin, string> = {
  "usage-api": "Refresh Billing",
  "codex-session-log": "Codex session log",
};

export function creditOriginName(credits: CreditSnapshot): string {
  return CREDIT_ORIGINS[credits.origin ?? "usage-api"];
}

/** `by Refresh Billing`, `from the Codex session log`: where a reading came from, in a sentence. */
export function originPhrase(name: string): string {
  return name === "Refresh Billing" ? "by Refresh Billing" : `from the ${name}`;
}

export const CAPS_ORIGINS: Record<CapsOrigin, string> = {
  "codex-session-log": "Codex session log",
  "codex-usage-api": "Refresh Billing",
  "claude-usage-api": "Refresh Billing",
  "claude-statusline": "Claude Code status line",
};

/** `Limit reached: workspace usage limit`. */
export function reachedTitle(reached: LimitReached): string {
  return `${LIMIT_REACHED}: ${reached.reason}`;
}

/** `resets in 2h 3m`, or nothing when the provider did not say. */
export function reachedUntil(reached: LimitReached, now: number): string | undefined {
  return reached.resetsAt === null ? undefined : formatResetCountdown(reached.resetsAt, now);
}

/** `Codex · Pro Lite`, or the bare source name without a plan. */
export function sourceTitle(name: string, planId: string | undefined): string {
  const plan = planId ? planDisplayName(planId) : "";
  return plan ? `${name} · ${plan}` : name;
}

/** `1 reset available`, `2 resets available`. */
export function bankedResetsText(count: number): string {
  return `${count} ${count === 1 ? "reset" : "resets"} available`;
}
