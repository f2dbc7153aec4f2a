/**
 * Claude's on-demand credit: `extra_usage` (older) and `spend` (newer), either partly null. Usable
 * only when it is enabled, nothing disables it, and a monthly limit is known (SPEC §3); anything
 * else is "not usable" with its reason, and a disabled amount is never a balance.
 */
import * as z from "zod/mini";
import type { CreditReading, Money } from "../../model/types";
import { readableId } from "../../model/names";
import { defaultFractionDigits, minorToMajor, numberLike, type PartReader } from "../parse";

type Json = Record<string, unknown>;

export const HUNDREDFOLD_WARNING =
  "Claude's amounts look 100× off against the reported utilization; check the balance on claude.ai.";
export const NO_MONTHLY_LIMIT = "no monthly limit reported";

interface MoneyFacts {
  enabled: boolean;
  disabledReason?: string;
  userDisabled: boolean;
  spendLimitReached: boolean;
  currency: string;
  exponent: number;
  limitMinor: number | null;
  usedMinor: number | null;
  utilization: number | null;
}

const exponentSchema = z.int().check(z.minimum(0), z.maximum(10));
const ISO_CURRENCY = /^[A-Z]{3}$/;

function spendMoney(reader: PartReader, spend: Json | null, key: string, path: (string | number)[]) {
  const money = reader.objectField(spend, key, path);
  const at = [...path, key];
  return {
    minor: reader.field(money, "amount_minor", numberLike, at),
    currency: reader.field(money, "currency", z.string(), at),
    exponent: reader.field(money, "exponent", exponentSchema, at),
  };
}

/** Merges `extra_usage` and `spend`; null when the body has neither. */
function moneyFacts(reader: PartReader, body: Json): MoneyFacts | null {
  const extra = reader.objectField(body, "extra_usage", []);
  const spend = reader.objectField(body, "spend", []);
  if (!extra && !spend) return null;
  const ex = <T>(key: string, schema: z.ZodMiniType<T>) => reader.field(extra, key, schema, ["extra_usage"]);
  const sp = <T>(key: string, schema: z.ZodMiniType<T>) => reader.field(spend, key, schema, ["spend"]);
  const limit = spendMoney(reader, spend, "limit", ["spend"]);
  const used = spendMoney(reader, spend, "used", ["spend"]);
  const capMoney = spendMoney(reader, reader.objectField(spend, "cap", ["spend"]), "money", ["spend", "cap"]);
  const currency = normaliseCurrency(
    ex("currency", z.string()) ?? limit.currency ?? used.currency ?? capMoney.currency,
  );
  const limitMinor = ex("monthly_limit", numberLike) ?? limit.minor ?? capMoney.minor ?? null;
  const enabled = ex("is_enabled", z.boolean()) ?? sp("enabled", z.boolean());
  const disabledReason = (ex("disabled_reason", z.string()) ?? sp("disabled_reason", z.string()))?.trim();
  return {
    enabled: enabled ?? (limitMinor !== null && limitMinor > 0),
    ...(disabledReason ? { disabledReason } : {}),
    userDisabled: ex("user_disabled", z.boolean()) === true,
    spendLimitReached: ex("spend_limit_reached", z.boolean()) === true,
    currency,
    exponent:
      ex("decimal_places", exponentSchema) ??
      limit.exponent ??
      used.exponent ??
      capMoney.exponent ??
      defaultFractionDigits(currency),
    limitMinor,
    usedMinor: ex("used_credits", numberLike) ?? used.minor ?? null,
    utilization: ex("utilization", numberLike) ?? sp("percent", numberLike) ?? null,
  };
}

function normaliseCurrency(currency: string | undefined): string {
  const code = currency?.trim().toUpperCase();
  return code ? code : "USD";
}

const DISABLED_WORDS: Record<string, string> = {
  out_of_credits: "out of credits",
  org_level_disabled: "turned off by your organization",
  user_disabled: "turned off by you",
};

function notUsableReason(facts: MoneyFacts, hasLimit: boolean, leftMinor: number): string | null {
  if (facts.disabledReason) {
    return DISABLED_WORDS[facts.disabledReason] ?? (readableId(facts.disabledReason).toLowerCase() || "turned off");
  }
  if (!facts.enabled) return facts.userDisabled ? "turned off by you" : "turned off";
  if (facts.spendLimitReached) return "monthly spend limit reached";
  if (!hasLimit) return NO_MONTHLY_LIMIT;
  if (leftMinor <= 0) return "monthly limit used up";
  return null;
}

export interface ClaudeCredits {
  reading: CreditReading | null;
  /** The body had a balance that could not be shown (an unknown currency): keep the last good one. */
  dropped: boolean;
  warnings: string[];
}

export function readClaudeCredits(reader: PartReader, body: Json, fetchedAt: number): ClaudeCredits {
  const facts = moneyFacts(reader, body);
  if (!facts) {
    // Present but unreadable (noted by the reader) is not news that there is none.
    const present = [body.extra_usage, body.spend].some((part) => part !== null && part !== undefined);
    return { reading: null, dropped: present, warnings: [] };
  }
  if (!ISO_CURRENCY.test(facts.currency)) {
    const shown = JSON.stringify(facts.currency.slice(0, 12));
    const warning = `Claude reported an unknown currency ${shown}; the extra-usage balance is not shown.`;
    return { reading: null, dropped: true, warnings: [warning] };
  }
  const toMoney = (minor: number | null): Money | null =>
    minor === null ? null : { amount: minorToMajor(minor, facts.exponent), currency: facts.currency };
  const hasLimit = facts.limitMinor !== null && facts.limitMinor > 0;
  const leftMinor = hasLimit ? Math.max(0, facts.limitMinor! - Math.max(0, facts.usedMinor ?? 0)) : 0;
  const reason = notUsableReason(facts, hasLimit, leftMinor);
  // An amount that cannot be spent is never a balance: only an enabled limit has money left.
  const showsLeft = facts.enabled && !facts.disabledReason && hasLimit;
  const reading: CreditReading = {
    balance: showsLeft ? { kind: "money", money: toMoney(leftMinor)! } : { kind: "unknown" },
    usable: reason === null,
    ...(reason === null ? {} : { notUsableReason: reason }),
    origin: "usage-api",
    limit: hasLimit ? toMoney(facts.limitMinor) : null,
    used: toMoney(facts.usedMinor),
    utilization: facts.utilization,
    updatedAt: fetchedAt,
  };
  if (!looksHundredfoldOff(facts)) return { reading, dropped: false, warnings: [] };
  return { reading: { ...reading, warning: HUNDREDFOLD_WARNING }, dropped: false, warnings: [HUNDREDFOLD_WARNING] };
}

const DISAGREEMENT_POINTS = 10;
const AGREEMENT_POINTS = 2;

/**
 * Detects one amount sent in major units next to another in minor units: the ratio then misses the
 * provider's utilization by a factor of 100 in either direction.
 */
function looksHundredfoldOff({ limitMinor, usedMinor, utilization }: MoneyFacts): boolean {
  if (utilization === null || usedMinor === null || limitMinor === null || limitMinor <= 0) return false;
  const computed = (usedMinor / limitMinor) * 100;
  if (Math.abs(computed - utilization) <= DISAGREEMENT_POINTS) return false;
  return [computed / 100, computed * 100].some((scaled) => Math.abs(scaled - utilization) <= AGREEMENT_POINTS);
}
