/**
 * Codex rollout log lines: which lines carry rate limits, and how they become a CapsSnapshot.
 * Pure: no file access.
 */
import * as z from "zod/mini";
import type { CapsSnapshot, CapWindow } from "../../model/types";
import { clampPercent, classifyWindowMinutes } from "../../model/windows";

// ---------------------------------------------------------------------------------------------------------------
// Log line schemas. Unknown keys are stripped, wrong types fail the line (safeParse, never throws).

const WindowSchema = z.object({
  used_percent: z.number(),
  window_minutes: z.nullish(z.number()),
  resets_at: z.nullish(z.number()),
  resets_in_seconds: z.nullish(z.number()),
});

/** Credits and plan are extras: a surprising type there must not cost the windows. */
const CreditsSchema = z.catch(
  z.nullish(
    z.object({
      has_credits: z.nullish(z.boolean()),
      unlimited: z.nullish(z.boolean()),
      balance: z.nullish(z.union([z.string(), z.number()])),
    }),
  ),
  null,
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
  plan_type: z.catch(z.nullish(z.string()), null),
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
  const capturedAt = plausibleInstant(Date.parse(parsed.data.timestamp));
  if (!rateLimits || capturedAt === null) return null;
  return { capturedAt, rateLimits };
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation into the product's CapsSnapshot.

/** `codex` (or no id, in older CLIs) is the account-wide bucket; `premium` and model buckets are not. */
function isAccountWide(rateLimits: RawRateLimits): boolean {
  return rateLimits.limit_id == null || rateLimits.limit_id === "codex";
}

/**
 * Classifies a window by its length, never by its transport slot. A lone window of unknown
 * length is the weekly one: plans that drop the 5-hour window keep the weekly.
 */
export function classifyWindow(minutes: number | null, isOnlyWindow: boolean): Pick<CapWindow, "id" | "label"> {
  if (minutes == null) return isOnlyWindow ? { id: "weekly", label: "Weekly" } : { id: "unknown", label: "Limit" };
  return classifyWindowMinutes(minutes);
}

interface SlotReading {
  slot: "primary" | "secondary";
  usedPercent: number;
  windowMinutes: number | null;
  resetsAt: number | null;
}

function resetsAtMs(window: RawWindow, capturedAt: number): number | null {
  if (window.resets_at != null) return plausibleInstant(window.resets_at * 1000);
  if (window.resets_in_seconds != null) return plausibleInstant(capturedAt + window.resets_in_seconds * 1000);
  return null;
}

/** The end of the year 9999: a log time beyond it (or at or before 1970) is junk, shown as unknown. */
const MAX_LOG_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function plausibleInstant(ms: number): number | null {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_LOG_INSTANT_MS ? ms : null;
}

function nestedSlot(slot: SlotReading["slot"], window: RawWindow | null | undefined, capturedAt: number) {
  if (!window) return null;
  const windowMinutes = window.window_minutes ?? null;
  return { slot, usedPercent: window.used_percent, windowMinutes, resetsAt: resetsAtMs(window, capturedAt) };
}

/** The ≈0.40 flat shape: `primary_used_percent`, `primary_window_minutes`, no reset time. */
function flatSlot(slot: SlotReading["slot"], usedPercent?: number | null, windowMinutes?: number | null) {
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
  return 2;
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
    const { id, label } = classifyWindow(slot.windowMinutes, slots.length === 1);
    const usedPercent = clampPercent(slot.usedPercent);
    return { id, label, usedPercent, windowMinutes: slot.windowMinutes, resetsAt: slot.resetsAt };
  });
  return dedupeWindowIds(windows, slots).sort(compareWindows);
}

/** Two slots of the same length (never seen, but possible) must still have distinct ids. */
function dedupeWindowIds(windows: CapWindow[], slots: SlotReading[]): CapWindow[] {
  if (windows.length < 2 || windows[0].id !== windows[1].id) return windows;
  return windows.map((window, index) => ({ ...window, id: `${window.id}:${slots[index].slot}` }));
}

function parseBalance(balance: string | number | null | undefined): number | null {
  if (balance == null) return null;
  const value = typeof balance === "number" ? balance : Number(balance.trim());
  return Number.isFinite(value) ? value : null;
}

/** True for unlimited or a positive balance, false for `has_credits: false`; undefined when the log says nothing. */
export function creditsUsableFrom(credits: RawCredits): boolean | undefined {
  if (!credits) return undefined;
  if (credits.unlimited === true) return true;
  if (credits.has_credits === false) return false;
  if (credits.has_credits !== true) return undefined;
  const balance = parseBalance(credits.balance);
  // The flag alone says credit exists when the balance is missing or unreadable.
  return balance === null || balance > 0;
}

function planNameFrom(planType: string | null | undefined): string | undefined {
  const name = planType?.trim();
  return name && name !== "unknown" ? name : undefined;
}

/** An account-wide reading with at least one window, as a CapsSnapshot; null otherwise. */
export function snapshotFromReading(reading: TokenCountReading): CapsSnapshot | null {
  const { rateLimits, capturedAt } = reading;
  if (!isAccountWide(rateLimits)) return null;
  const windows = windowsFromRateLimits(rateLimits, capturedAt);
  if (windows.length === 0) return null;
  const snapshot: CapsSnapshot = { windows, capturedAt, origin: "codex-session-log" };
  const planName = planNameFrom(rateLimits.plan_type);
  if (planName) snapshot.planName = planName;
  const creditsUsable = creditsUsableFrom(rateLimits.credits);
  if (creditsUsable !== undefined) snapshot.creditsUsable = creditsUsable;
  return snapshot;
}

/** Scans text lines from the end; the newest account-wide snapshot wins. Unparsable lines are skipped. */
export function newestSnapshotInText(text: string): CapsSnapshot | null {
  const lines = text.split("\n");
  for (let index = lines.length - 1; index >= 0; index--) {
    const reading = parseTokenCountLine(lines[index]);
    const snapshot = reading && snapshotFromReading(reading);
    if (snapshot) return snapshot;
  }
  return null;
}
