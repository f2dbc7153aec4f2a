/**
 * What Codex's credit and limit-reached fields mean, shared by the `wham/usage` answer and the
 * session log's `rate_limits` (both carry `credits` and `rate_limit_reached_type`).
 */
import type { CapWindow, CreditOrigin, CreditReading } from "../../model/types";
import { readableId } from "../../model/names";

/** The credit fields both shapes share, already parsed (`balance`: undefined when absent or unreadable). */
export interface CodexCreditFields {
  hasCredits?: boolean;
  unlimited?: boolean;
  balance?: number;
  overageLimitReached?: boolean;
}

export const SPEND_LIMIT_WORDS = "workspace spending limit";

function notUsableReason(fields: CodexCreditFields, blockedBy: string | null): string | null {
  if (fields.hasCredits === false) return "no credits";
  if (fields.overageLimitReached === true) return "overage limit reached";
  if (blockedBy) return blockedBy;
  if (fields.unlimited === true) return null;
  if (fields.hasCredits !== true) return "not reported as usable";
  if (fields.balance === undefined) return "balance not given";
  if (fields.balance <= 0) return "out of credits";
  return null;
}

/**
 * SPEC §3 usable credit: `has_credits` (or `unlimited`) with a numeric balance (or unlimited), and
 * nothing blocking it (`blockedBy`: the words of a signal that stops credit being spent). A missing
 * balance is unknown, never zero.
 */
export function codexCreditReading(
  fields: CodexCreditFields,
  updatedAt: number,
  origin: CreditOrigin,
  blockedBy: string | null = null,
): CreditReading {
  const balance: CreditReading["balance"] =
    fields.unlimited === true && fields.hasCredits !== false
      ? { kind: "unlimited" }
      : fields.balance === undefined
        ? { kind: "unknown" }
        : { kind: "codexCredits", credits: fields.balance };
  const reason = notUsableReason(fields, blockedBy);
  const reading: CreditReading = { balance, usable: reason === null, updatedAt, origin };
  return reason === null ? reading : { ...reading, notUsableReason: reason };
}

const REACHED_WORDS: Record<string, string> = {
  rate_limit_reached: "usage limit",
  workspace_member_usage_limit_reached: "workspace usage limit",
  workspace_owner_usage_limit_reached: "workspace owner's usage limit",
  workspace_member_credits_depleted: "workspace credits used up",
  workspace_owner_credits_depleted: "workspace owner's credits used up",
};

/** `rate_limit_reached_type` as sent: a string, or an object carrying `type` or `kind`. */
export function reachedTypeOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const type = typeof record.type === "string" ? record.type : typeof record.kind === "string" ? record.kind : null;
  return type?.trim() || null;
}

/** `workspace_member_usage_limit_reached` → `workspace usage limit`; an unknown type in readable words. */
export function reachedWords(type: string): string {
  const known = REACHED_WORDS[type.toLowerCase()];
  if (known) return known;
  const words = readableId(type.replace(/_?reached$/i, "")).toLowerCase();
  return words || "usage limit";
}

/**
 * What stops credit being spent, in words: the workspace spending limit, or a reached type about
 * credits (`workspace_member_credits_depleted`); null when nothing does.
 */
export function creditBlocker(reachedType: string | null, spendLimitReached: boolean): string | null {
  if (spendLimitReached) return `${SPEND_LIMIT_WORDS} reached`;
  return reachedType && /credits?_depleted/i.test(reachedType) ? reachedWords(reachedType) : null;
}

/** Generic signals say "a limit is reached" without saying which: the exhausted window says it better. */
export function isGenericReachedType(type: string | null): boolean {
  return type === null || type.toLowerCase() === "rate_limit_reached";
}

/** Marks the most-used window as reached, unless one is at 100 % already. */
export function markMostUsedReached(windows: CapWindow[]): CapWindow[] {
  if (windows.length === 0 || windows.some((window) => window.usedPercent >= 100)) return windows;
  const most = windows.reduce((best, window) => (window.usedPercent > best.usedPercent ? window : best));
  return windows.map((window) => (window === most ? { ...window, reached: true } : window));
}
