import * as z from "zod/mini";
import type { CapWindow, CreditReading } from "../../model/types";
import {
  type AdapterOutcome,
  type AdapterResult,
  clampPercent,
  classifyWindowSeconds,
  epochSecondsToMs,
  MAX_WINDOWS,
  numberLike,
  parseJsonBody,
  unexpectedFailure,
  validInstant,
  wrongShape,
} from "../parse";

const PROVIDER_LABEL = "Codex usage";

const windowSchema = z.nullish(
  z.object({
    used_percent: z.nullish(numberLike),
    limit_window_seconds: z.nullish(numberLike),
    reset_after_seconds: z.nullish(numberLike),
    reset_at: z.nullish(numberLike),
  }),
);

const rateLimitSchema = z.nullish(z.object({ primary_window: windowSchema, secondary_window: windowSchema }));

const creditsSchema = z.nullish(
  z.object({
    has_credits: z.nullish(z.boolean()),
    unlimited: z.nullish(z.boolean()),
    balance: z.nullish(numberLike),
  }),
);

const additionalLimitSchema = z.object({
  limit_name: z.nullish(z.string()),
  metered_feature: z.nullish(z.string()),
  rate_limit: rateLimitSchema,
});

const codexUsageSchema = z.object({
  plan_type: z.nullish(z.string()),
  rate_limit: rateLimitSchema,
  credits: creditsSchema,
  additional_rate_limits: z.nullish(z.array(additionalLimitSchema)),
  // Only inspected for a warning, so a surprising shape must never reject the body.
  spend_control: z.optional(z.unknown()),
  individual_limit: z.optional(z.unknown()),
});

type CodexUsage = z.infer<typeof codexUsageSchema>;
type RawWindow = z.infer<typeof windowSchema>;
type RawRateLimit = z.infer<typeof rateLimitSchema>;
type RawCredits = z.infer<typeof creditsSchema>;

interface Scope {
  key: string;
  name: string;
}

export function adaptCodexUsage(stdout: string, fetchedAt: number): AdapterOutcome {
  try {
    const json = parseJsonBody(stdout, PROVIDER_LABEL);
    if (!json.ok) return json.outcome;
    const parsed = codexUsageSchema.safeParse(json.value);
    if (!parsed.success) return wrongShape(PROVIDER_LABEL, parsed.error);
    return { ok: true, result: toResult(parsed.data, fetchedAt) };
  } catch (cause) {
    return unexpectedFailure(PROVIDER_LABEL, cause);
  }
}

function toResult(body: CodexUsage, fetchedAt: number): AdapterResult {
  const warnings: string[] = [];
  const windows = collectWindows(body, fetchedAt, warnings);
  const planName = body.plan_type ?? undefined;
  const spendWarning = spendControlWarning(body);
  if (spendWarning) warnings.push(spendWarning);
  return {
    caps: windows.length > 0 ? { windows, capturedAt: fetchedAt, origin: "codex-usage-api", planName } : null,
    credits: readCredits(body.credits, fetchedAt),
    planName,
    warnings,
  };
}

function collectWindows(body: CodexUsage, fetchedAt: number, warnings: string[]): CapWindow[] {
  const windows = windowsOf(body.rate_limit, fetchedAt, null, warnings);
  (body.additional_rate_limits ?? []).forEach((entry, index) => {
    const key = entry.metered_feature || entry.limit_name || `extra-${index + 1}`;
    const scope = { key, name: entry.limit_name || key };
    windows.push(...windowsOf(entry.rate_limit, fetchedAt, scope, warnings));
  });
  const unique = dropDuplicateIds(windows, warnings);
  if (unique.length > MAX_WINDOWS) {
    warnings.push(`Codex sent ${unique.length} usage windows; only ${MAX_WINDOWS} are kept.`);
  }
  return unique.slice(0, MAX_WINDOWS);
}

function windowsOf(rateLimit: RawRateLimit, fetchedAt: number, scope: Scope | null, warnings: string[]): CapWindow[] {
  if (!rateLimit) return [];
  return [rateLimit.primary_window, rateLimit.secondary_window]
    .map((raw) => toWindow(raw, fetchedAt, scope, warnings))
    .filter((window): window is CapWindow => window !== null)
    .sort((a, b) => (a.windowMinutes ?? 0) - (b.windowMinutes ?? 0));
}

function toWindow(raw: RawWindow, fetchedAt: number, scope: Scope | null, warnings: string[]): CapWindow | null {
  if (!raw || raw.used_percent === null || raw.used_percent === undefined) return null;
  const seconds = raw.limit_window_seconds;
  if (seconds === null || seconds === undefined || seconds <= 0) {
    warnings.push("Codex sent a usage window without a valid length; it was skipped.");
    return null;
  }
  const kind = classifyWindowSeconds(seconds);
  const window: CapWindow = {
    id: scope ? `${kind.id}:${scope.key}` : kind.id,
    label: scope ? `${kind.label} (${scope.name})` : kind.label,
    usedPercent: clampPercent(raw.used_percent),
    windowMinutes: kind.windowMinutes,
    resetsAt: resetInstant(raw, fetchedAt),
  };
  return scope ? { ...window, scoped: true } : window;
}

/** `reset_at` is absolute; `reset_after_seconds` drifts with latency, so it is only the fallback. */
function resetInstant(raw: NonNullable<RawWindow>, fetchedAt: number): number | null {
  const absolute = epochSecondsToMs(raw.reset_at);
  if (absolute !== null) return absolute;
  if (raw.reset_after_seconds === null || raw.reset_after_seconds === undefined) return null;
  return validInstant(fetchedAt + raw.reset_after_seconds * 1000);
}

function dropDuplicateIds(windows: CapWindow[], warnings: string[]): CapWindow[] {
  const seen = new Set<string>();
  return windows.filter((window) => {
    if (!seen.has(window.id)) {
      seen.add(window.id);
      return true;
    }
    warnings.push(`Codex sent two "${window.label}" windows; only the first is shown.`);
    return false;
  });
}

function readCredits(raw: RawCredits, fetchedAt: number): CreditReading | null {
  if (!raw) return null;
  const hasCredits = raw.has_credits ?? true;
  if (raw.unlimited) return { balance: { kind: "unlimited" }, usable: hasCredits, updatedAt: fetchedAt };
  const credits = raw.balance ?? 0;
  return { balance: { kind: "codexCredits", credits }, usable: hasCredits && credits > 0, updatedAt: fetchedAt };
}

function spendControlWarning(body: CodexUsage): string | null {
  const control = asRecord(body.spend_control);
  const individual = asRecord(control?.individual_limit) ?? asRecord(body.individual_limit);
  const reached =
    control?.reached === true || isAtLeast(individual?.used_percent, 100) || isAtMost(individual?.remaining_percent, 0);
  return reached ? "Codex reports that your workspace spend limit is reached." : null;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function isAtLeast(value: unknown, bound: number): boolean {
  return typeof value === "number" && value >= bound;
}

function isAtMost(value: unknown, bound: number): boolean {
  return typeof value === "number" && value <= bound;
}
