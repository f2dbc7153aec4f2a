import type { CreditReading, CreditSnapshot, Money } from "./types";
import { newerReading } from "./freshness";

export interface CreditPricing {
  ttlMs: number;
  /** USD per credit, for balances counted in Codex credits. */
  codexCreditUnitPrice: number;
}

/** Low balance: under 10 % of the limit, or under 5 of the currency when there is no limit. */
const LOW_BALANCE_FRACTION = 0.1;
const LOW_BALANCE_ABSOLUTE = 5;

/**
 * Applies the current TTL and unit price to a stored reading, so that a preference change
 * applies to balances fetched before it.
 */
export function resolveCredits(reading: CreditReading, pricing: CreditPricing): CreditSnapshot {
  const base = {
    unlimited: reading.balance.kind === "unlimited",
    usable: reading.usable,
    ...(reading.usable ? {} : { notUsableReason: reading.notUsableReason ?? "not usable" }),
    ...(reading.origin ? { origin: reading.origin } : {}),
    limit: reading.limit ?? null,
    ...(reading.used ? { used: reading.used } : {}),
    creditUpdatedAt: reading.updatedAt,
    creditRefreshAt: reading.updatedAt + pricing.ttlMs,
    creditTTL: pricing.ttlMs,
    ...(reading.warning ? { warning: reading.warning } : {}),
  };
  switch (reading.balance.kind) {
    case "money":
      return { ...base, creditBalanceUSD: reading.balance.money };
    case "codexCredits":
      return {
        ...base,
        creditBalanceUSD: { amount: reading.balance.credits * pricing.codexCreditUnitPrice, currency: "USD" },
        credits: reading.balance.credits,
        creditUnitPrice: pricing.codexCreditUnitPrice,
      };
    case "unlimited":
    case "unknown":
      return { ...base, creditBalanceUSD: null };
  }
}

/** The newer of a fetched balance and one the Codex log carried (SPEC §6; `newerReading`). */
export function newerCredits(
  fetched: CreditReading | null,
  logged: CreditReading | null | undefined,
  now: number,
): CreditReading | null {
  return newerReading(logged, fetched, (reading) => reading.updatedAt, now);
}

export function isLowBalance(credits: CreditSnapshot): boolean {
  const balance: Money | null = credits.creditBalanceUSD;
  if (credits.unlimited || !balance || !credits.usable) return false;
  if (credits.limit && credits.limit.amount > 0) return balance.amount < credits.limit.amount * LOW_BALANCE_FRACTION;
  return balance.amount < LOW_BALANCE_ABSOLUTE;
}
