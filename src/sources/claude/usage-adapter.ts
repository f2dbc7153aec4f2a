import * as z from "zod/mini";
import type { CapWindow, CreditReading, Money } from "../../model/types";
import { WEEK_MINUTES } from "../../model/types";
import {
  type AdapterOutcome,
  type AdapterResult,
  FIVE_HOUR_KIND,
  MAX_WINDOWS,
  WEEKLY_KIND,
  type WindowKind,
  clampPercent,
  defaultFractionDigits,
  minorToMajor,
  numberLike,
  parseIsoInstant,
  parseJsonBody,
  unexpectedFailure,
  wrongShape,
} from "../parse";

const PROVIDER_LABEL = "Claude usage";

export const NO_MONTHLY_LIMIT_WARNING = "Claude did not report a monthly limit for extra usage.";
export const HUNDREDFOLD_WARNING =
  "Claude's amounts look 100× off against the reported utilization; check the balance on claude.ai.";

const windowSchema = z.nullish(z.object({ utilization: z.nullish(numberLike), resets_at: z.nullish(z.string()) }));

const limitEntrySchema = z.object({
  kind: z.nullish(z.string()),
  percent: z.nullish(numberLike),
  resets_at: z.nullish(z.string()),
  scope: z.nullish(
    z.object({ model: z.nullish(z.object({ id: z.nullish(z.string()), display_name: z.nullish(z.string()) })) }),
  ),
});

const exponentSchema = z.nullish(z.int().check(z.minimum(0), z.maximum(10)));

const extraUsageSchema = z.nullish(
  z.object({
    is_enabled: z.nullish(z.boolean()),
    monthly_limit: z.nullish(numberLike),
    used_credits: z.nullish(numberLike),
    utilization: z.nullish(numberLike),
    currency: z.nullish(z.string()),
    decimal_places: exponentSchema,
  }),
);

const spendMoneySchema = z.nullish(
  z.object({ amount_minor: z.nullish(numberLike), currency: z.nullish(z.string()), exponent: exponentSchema }),
);

const spendSchema = z.nullish(
  z.object({
    used: spendMoneySchema,
    limit: spendMoneySchema,
    cap: z.nullish(z.object({ money: spendMoneySchema })),
    percent: z.nullish(numberLike),
    enabled: z.nullish(z.boolean()),
  }),
);

const claudeUsageSchema = z.object({
  five_hour: windowSchema,
  seven_day: windowSchema,
  seven_day_sonnet: windowSchema,
  seven_day_opus: windowSchema,
  limits: z.nullish(z.array(limitEntrySchema)),
  extra_usage: extraUsageSchema,
  spend: spendSchema,
});

type ClaudeUsage = z.infer<typeof claudeUsageSchema>;
type RawWindow = z.infer<typeof windowSchema>;
type LimitEntry = z.infer<typeof limitEntrySchema>;

/** Legacy per-model weekly keys, shown only when `limits` does not already carry that model. */
const LEGACY_SCOPED_KEYS = [
  { field: "seven_day_sonnet", slug: "sonnet", name: "Sonnet" },
  { field: "seven_day_opus", slug: "opus", name: "Opus" },
] as const;

export function adaptClaudeUsage(stdout: string, fetchedAt: number): AdapterOutcome {
  try {
    const json = parseJsonBody(stdout, PROVIDER_LABEL);
    if (!json.ok) return json.outcome;
    const parsed = claudeUsageSchema.safeParse(json.value);
    if (!parsed.success) return wrongShape(PROVIDER_LABEL, parsed.error);
    return { ok: true, result: toResult(parsed.data, fetchedAt) };
  } catch (cause) {
    return unexpectedFailure(PROVIDER_LABEL, cause);
  }
}

function toResult(body: ClaudeUsage, fetchedAt: number): AdapterResult {
  const warnings: string[] = [];
  const windows = collectWindows(body);
  const credits = readCredits(body, fetchedAt, warnings);
  if (credits?.warning) warnings.push(credits.warning);
  return {
    caps: windows.length > 0 ? { windows, capturedAt: fetchedAt, origin: "claude-usage-api" } : null,
    credits,
    ...(credits === null && moneyFacts(body) !== null ? { creditsDropped: true } : {}),
    warnings,
  };
}

function collectWindows(body: ClaudeUsage): CapWindow[] {
  const limits = body.limits ?? [];
  const session = fromWindow(body.five_hour, FIVE_HOUR_KIND) ?? fromLimit(findLimit(limits, "session"), FIVE_HOUR_KIND);
  const weekly = fromWindow(body.seven_day, WEEKLY_KIND) ?? fromLimit(findLimit(limits, "weekly_all"), WEEKLY_KIND);
  const scoped = scopedFromLimits(limits);
  const legacy = LEGACY_SCOPED_KEYS.filter(({ slug }) => !scoped.some((window) => coversModel(window.id, slug))).map(
    ({ field, slug, name }) => fromWindow(body[field], scopedKind(slug, name)),
  );
  const main = [session, weekly].filter(isWindow);
  return [...main, ...uniqueById([...scoped, ...legacy.filter(isWindow)]).map(markScoped)].slice(0, MAX_WINDOWS);
}

function fromWindow(raw: RawWindow, kind: WindowKind): CapWindow | null {
  if (!raw) return null;
  return buildWindow(kind, raw.utilization, raw.resets_at);
}

function fromLimit(entry: LimitEntry | undefined, kind: WindowKind): CapWindow | null {
  if (!entry) return null;
  return buildWindow(kind, entry.percent, entry.resets_at);
}

function buildWindow(
  kind: WindowKind,
  percent: number | null | undefined,
  resetsAt: string | null | undefined,
): CapWindow | null {
  if (percent === null || percent === undefined) return null;
  return {
    id: kind.id,
    label: kind.label,
    usedPercent: clampPercent(percent),
    windowMinutes: kind.windowMinutes,
    resetsAt: parseIsoInstant(resetsAt),
  };
}

function findLimit(limits: LimitEntry[], kind: string): LimitEntry | undefined {
  return limits.find((entry) => entry.kind === kind && entry.percent !== null && entry.percent !== undefined);
}

function scopedFromLimits(limits: LimitEntry[]): CapWindow[] {
  return limits
    .filter((entry) => entry.kind === "weekly_scoped")
    .map((entry) => {
      const name = (entry.scope?.model?.display_name || entry.scope?.model?.id)?.trim();
      return name ? fromLimit(entry, scopedKind(slugify(name) || "scoped", name)) : null;
    })
    .filter(isWindow);
}

function scopedKind(slug: string, name: string): WindowKind {
  return { id: `weekly:${slug}`, label: `Weekly (${name})`, windowMinutes: WEEK_MINUTES };
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** `weekly:sonnet-4-5` from `limits` covers the legacy `seven_day_sonnet` bucket. */
function coversModel(windowId: string, slug: string): boolean {
  const scope = windowId.slice("weekly:".length);
  return scope === slug || scope.startsWith(`${slug}-`);
}

function uniqueById(windows: CapWindow[]): CapWindow[] {
  return windows.filter((window, index) => windows.findIndex((other) => other.id === window.id) === index);
}

function markScoped(window: CapWindow): CapWindow {
  return { ...window, scoped: true };
}

function isWindow(window: CapWindow | null): window is CapWindow {
  return window !== null;
}

interface MoneyFacts {
  enabled: boolean;
  currency: string;
  exponent: number;
  limitMinor: number | null;
  usedMinor: number | null;
  utilization: number | null;
}

const ISO_CURRENCY = /^[A-Z]{3}$/;

function readCredits(body: ClaudeUsage, fetchedAt: number, warnings: string[]): CreditReading | null {
  const facts = moneyFacts(body);
  if (!facts) return null;
  if (!ISO_CURRENCY.test(facts.currency)) {
    const shown = JSON.stringify(facts.currency.slice(0, 12));
    warnings.push(`Claude reported an unknown currency ${shown}; the extra-usage balance is not shown.`);
    return null;
  }
  const toMoney = (minor: number | null): Money | null =>
    minor === null ? null : { amount: minorToMajor(minor, facts.exponent), currency: facts.currency };
  const hasLimit = facts.limitMinor !== null && facts.limitMinor > 0;
  const base = {
    limit: hasLimit ? toMoney(facts.limitMinor) : null,
    used: toMoney(facts.usedMinor),
    utilization: facts.utilization,
    updatedAt: fetchedAt,
  };
  if (facts.enabled && !hasLimit) {
    return { ...base, balance: { kind: "unlimited" }, usable: true, warning: NO_MONTHLY_LIMIT_WARNING };
  }
  const leftMinor = hasLimit ? Math.max(0, (facts.limitMinor ?? 0) - Math.max(0, facts.usedMinor ?? 0)) : 0;
  const reading: CreditReading = {
    ...base,
    balance: { kind: "money", money: toMoney(leftMinor) ?? { amount: 0, currency: facts.currency } },
    usable: facts.enabled && leftMinor > 0,
  };
  return looksHundredfoldOff(facts) ? { ...reading, warning: HUNDREDFOLD_WARNING } : reading;
}

/** Merges `extra_usage` (older) and `spend` (newer); either may be missing or partly null. */
function moneyFacts(body: ClaudeUsage): MoneyFacts | null {
  const extra = body.extra_usage;
  const spend = body.spend;
  if (!extra && !spend) return null;
  const currency = normaliseCurrency(
    extra?.currency ?? spend?.limit?.currency ?? spend?.used?.currency ?? spend?.cap?.money?.currency,
  );
  const exponent =
    extra?.decimal_places ??
    spend?.limit?.exponent ??
    spend?.used?.exponent ??
    spend?.cap?.money?.exponent ??
    defaultFractionDigits(currency);
  const limitMinor = extra?.monthly_limit ?? spend?.limit?.amount_minor ?? spend?.cap?.money?.amount_minor ?? null;
  const usedMinor = extra?.used_credits ?? spend?.used?.amount_minor ?? null;
  const enabled = extra?.is_enabled ?? spend?.enabled ?? (limitMinor !== null && limitMinor > 0);
  const utilization = extra?.utilization ?? spend?.percent ?? null;
  return { enabled, currency, exponent, limitMinor, usedMinor, utilization };
}

function normaliseCurrency(currency: string | null | undefined): string {
  const code = currency?.trim().toUpperCase();
  return code ? code : "USD";
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
