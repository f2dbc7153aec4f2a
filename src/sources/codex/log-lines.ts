/**
 * Codex rollout log lines: which lines carry rate limits, and what they mean. Pure: no file access.
 * A `token_count` line's `rate_limits` gives the windows, the plan, the Codex balance (free, local)
 * and whether a limit is reached.
 */
import * as z from "zod/mini";
import { lenient } from "../../model/schemas";
import type { CapsSnapshot, CapWindow, CreditReading, LimitReached } from "../../model/types";
import { clampPercent, classifyWindowMinutes, slotWindowKind, type WindowSlot } from "../../model/windows";
import { parseDecimalString, validInstant } from "../parse";
import {
  codexCreditReading,
  creditBlocker,
  isGenericReachedType,
  markMostUsedReached,
  reachedTypeOf,
  reachedWords,
  SPEND_LIMIT_WORDS,
} from "./signals";

// ---------------------------------------------------------------------------------------------------------------
// Log line schemas. Unknown keys are stripped, wrong window types fail the line (safeParse, never throws).

const WindowSchema = z.object({
  used_percent: z.number(),
  window_minutes: z.nullish(z.number()),
  resets_at: z.nullish(z.number()),
  resets_in_seconds: z.nullish(z.number()),
});

/** Extras: a surprising type there must not cost the windows. */
const extra = <T extends z.ZodMiniType>(schema: T) => lenient(schema, null);

const CreditsSchema = extra(
  z.object({
    has_credits: extra(z.boolean()),
    unlimited: extra(z.boolean()),
    balance: extra(z.union([z.string(), z.number()])),
  }),
);

const RateLimitsSchema = z.object({
  limit_id: z.nullish(z.string()),
  primary: z.nullish(WindowSchema),
  secondary: z.nullish(WindowSchema),
  primary_used_percent: z.nullish(z.number()),
  primary_window_minutes: z.nullish(z.number()),
  secondary_used_percent: z.nullish(z.number()),
  secondary_window_minutes: z.nullish(z.number()),
  credits: CreditsSchema,
  plan_type: extra(z.string()),
  rate_limit_reached_type: z.optional(z.unknown()),
  spend_control_reached: extra(z.boolean()),
  individual_limit: extra(z.object({ resets_at: extra(z.number()) })),
});

const TokenCountLineSchema = z.object({
  timestamp: z.string(),
  type: z.literal("event_msg"),
  payload: z.object({
    type: z.literal("token_count"),
    rate_limits: z.nullish(RateLimitsSchema),
  }),
});

export type RawRateLimits = z.infer<typeof RateLimitsSchema>;
type RawWindow = z.infer<typeof WindowSchema>;
type RawCredits = z.infer<typeof CreditsSchema>;

export interface TokenCountReading {
  /** The line's top-level timestamp, epoch ms. */
  capturedAt: number;
  rateLimits: RawRateLimits;
}

/** Parses one rollout line; null unless it is a valid `token_count` event carrying a `rate_limits` object. */
export function parseTokenCountLine(line: string): TokenCountReading | null {
  if (!line.includes('"token_count"')) return null;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = TokenCountLineSchema.safeParse(json);
  if (!parsed.success) return null;
  const rateLimits = parsed.data.payload.rate_limits;
  const capturedAt = validInstant(Date.parse(parsed.data.timestamp));
  if (!rateLimits || capturedAt === null) return null;
  return { capturedAt, rateLimits };
}

// ---------------------------------------------------------------------------------------------------------------
// Windows.

/** `codex` (or no id, in older CLIs) is the account-wide bucket; `premium` and model buckets are not. */
function isAccountWide(rateLimits: RawRateLimits): boolean {
  return rateLimits.limit_id == null || rateLimits.limit_id === "codex";
}

/** Classifies a window by its length, never by its transport slot; without a length, by its slot. */
export function classifyWindow(minutes: number | null, slot: WindowSlot): Pick<CapWindow, "id" | "label" | "note"> {
  return minutes == null ? slotWindowKind(slot) : classifyWindowMinutes(minutes);
}

interface SlotReading {
  slot: WindowSlot;
  usedPercent: number;
  windowMinutes: number | null;
  resetsAt: number | null;
}

function resetsAtMs(window: RawWindow, capturedAt: number): number | null {
  if (window.resets_at != null) return validInstant(window.resets_at * 1000);
  if (window.resets_in_seconds != null) return validInstant(capturedAt + window.resets_in_seconds * 1000);
  return null;
}

function nestedSlot(slot: WindowSlot, window: RawWindow | null | undefined, capturedAt: number) {
  if (!window) return null;
  const windowMinutes = window.window_minutes ?? null;
  return { slot, usedPercent: window.used_percent, windowMinutes, resetsAt: resetsAtMs(window, capturedAt) };
}

/** The ≈0.40 flat shape: `primary_used_percent`, `primary_window_minutes`, no reset time. */
function flatSlot(slot: WindowSlot, usedPercent?: number | null, windowMinutes?: number | null) {
  if (usedPercent == null) return null;
  return { slot, usedPercent, windowMinutes: windowMinutes ?? null, resetsAt: null };
}

function slotReadings(rateLimits: RawRateLimits, capturedAt: number): SlotReading[] {
  const slots = [
    nestedSlot("primary", rateLimits.primary, capturedAt) ??
      flatSlot("primary", rateLimits.primary_used_percent, rateLimits.primary_window_minutes),
    nestedSlot("secondary", rateLimits.secondary, capturedAt) ??
      flatSlot("secondary", rateLimits.secondary_used_percent, rateLimits.secondary_window_minutes),
  ];
  return slots.filter((slot): slot is SlotReading => slot !== null);
}

function windowRank(window: CapWindow): number {
  if (window.id === "5h") return 0;
  if (window.id === "weekly") return 1;
  return window.windowMinutes === null ? 3 : 2;
}

function compareWindows(a: CapWindow, b: CapWindow): number {
  const byRank = windowRank(a) - windowRank(b);
  if (byRank !== 0) return byRank;
  return (a.windowMinutes ?? Infinity) - (b.windowMinutes ?? Infinity);
}

/** Turns the raw slots into CapWindows: classified by length, clamped, sorted 5h, weekly, others. */
export function windowsFromRateLimits(rateLimits: RawRateLimits, capturedAt: number): CapWindow[] {
  const slots = slotReadings(rateLimits, capturedAt);
  const windows = slots.map((slot): CapWindow => {
    const { id, label, note } = classifyWindow(slot.windowMinutes, slot.slot);
    const usedPercent = clampPercent(slot.usedPercent);
    const window: CapWindow = { id, label, usedPercent, windowMinutes: slot.windowMinutes, resetsAt: slot.resetsAt };
    return note ? { ...window, note } : window;
  });
  return dedupeWindowIds(windows, slots).sort(compareWindows);
}

/** Two slots of the same length (never seen, but possible) must still have distinct ids. */
function dedupeWindowIds(windows: CapWindow[], slots: SlotReading[]): CapWindow[] {
  if (windows.length < 2 || windows[0].id !== windows[1].id) return windows;
  return windows.map((window, index) => ({ ...window, id: `${window.id}:${slots[index].slot}` }));
}

// ---------------------------------------------------------------------------------------------------------------
// Plan, balance and limit-reached signals.

/** The log's `rate_limits.credits` as a Codex balance, dated by the line; undefined when the log says nothing. */
export function creditReadingFrom(
  credits: RawCredits,
  capturedAt: number,
  blockedBy: string | null = null,
): CreditReading | undefined {
  if (!credits) return undefined;
  const balance = typeof credits.balance === "number" ? credits.balance : parseDecimalString(credits.balance ?? "");
  return codexCreditReading(
    {
      hasCredits: credits.has_credits ?? undefined,
      unlimited: credits.unlimited ?? undefined,
      balance: balance !== null && Number.isFinite(balance) ? balance : undefined,
    },
    capturedAt,
    "codex-session-log",
    blockedBy,
  );
}

function planNameFrom(planType: string | null | undefined): string | undefined {
  const name = planType?.trim().slice(0, 60);
  return name && name !== "unknown" ? name : undefined;
}

/** A named reached type (workspace limit, depleted credits) or the spending limit binds the whole source. */
function reachedFrom(rateLimits: RawRateLimits, windows: CapWindow[]): LimitReached | undefined {
  const type = reachedTypeOf(rateLimits.rate_limit_reached_type);
  if (type !== null && !isGenericReachedType(type)) return { reason: reachedWords(type), resetsAt: null };
  if (rateLimits.spend_control_reached === true) {
    const resetsAt = validInstant((rateLimits.individual_limit?.resets_at ?? 0) * 1000);
    return { reason: SPEND_LIMIT_WORDS, resetsAt };
  }
  if (type !== null && windows.length === 0) return { reason: reachedWords(type), resetsAt: null };
  return undefined;
}

/** Everything one reading says beyond its windows. */
interface ReadingExtras {
  planName?: string;
  credits?: CreditReading;
  reached?: LimitReached;
}

function extrasOf(reading: TokenCountReading, windows: CapWindow[]): ReadingExtras {
  const { rateLimits, capturedAt } = reading;
  const blocker = creditBlocker(
    reachedTypeOf(rateLimits.rate_limit_reached_type),
    rateLimits.spend_control_reached === true,
  );
  return {
    planName: planNameFrom(rateLimits.plan_type),
    credits: creditReadingFrom(rateLimits.credits, capturedAt, blocker),
    reached: reachedFrom(rateLimits, windows),
  };
}

/** The account-wide windows of a reading; a generic "limit reached" marks the most-used one. */
function accountWindowsOf(reading: TokenCountReading): CapWindow[] {
  if (!isAccountWide(reading.rateLimits)) return [];
  const windows = windowsFromRateLimits(reading.rateLimits, reading.capturedAt);
  const type = reachedTypeOf(reading.rateLimits.rate_limit_reached_type);
  return type !== null && isGenericReachedType(type) ? markMostUsedReached(windows) : windows;
}

function buildSnapshot(windows: CapWindow[], capturedAt: number, extras: ReadingExtras): CapsSnapshot {
  const snapshot: CapsSnapshot = { windows, capturedAt, origin: "codex-session-log" };
  if (extras.planName) snapshot.planName = extras.planName;
  if (extras.reached) snapshot.reached = extras.reached;
  if (extras.credits) snapshot.credits = extras.credits;
  return snapshot;
}

/** An account-wide reading with at least one window, as a CapsSnapshot; null otherwise. */
export function snapshotFromReading(reading: TokenCountReading): CapsSnapshot | null {
  const windows = accountWindowsOf(reading);
  if (windows.length === 0) return null;
  return buildSnapshot(windows, reading.capturedAt, extrasOf(reading, windows));
}

/**
 * Scans text lines from the end. The newest account-wide reading with windows gives the windows.
 * When a newer reading is another bucket (`premium`, logged right after a limit was hit, or a model's
 * bucket), its plan, balance and reached signal are newer news and win, field by field; with no
 * account-wide windows at all, that reading alone is the snapshot. Unparsable lines are skipped.
 */
export function newestSnapshotInText(text: string): CapsSnapshot | null {
  const lines = text.split("\n");
  let newest: TokenCountReading | null = null;
  for (let index = lines.length - 1; index >= 0; index--) {
    const reading = parseTokenCountLine(lines[index]);
    if (!reading) continue;
    newest ??= reading;
    const windows = accountWindowsOf(reading);
    if (windows.length === 0) continue;
    const own = extrasOf(reading, windows);
    if (reading === newest) return buildSnapshot(windows, reading.capturedAt, own);
    const newer = extrasOf(newest, []);
    return buildSnapshot(windows, reading.capturedAt, {
      planName: newer.planName ?? own.planName,
      credits: newer.credits ?? own.credits,
      reached: newer.reached ?? own.reached,
    });
  }
  if (!newest) return null;
  const extras = extrasOf(newest, []);
  // `rate_limits: {}` says nothing at all: not a reading.
  return extras.planName || extras.credits || extras.reached ? buildSnapshot([], newest.capturedAt, extras) : null;
}
