/**
 * Reads the Claude caps that the opt-in status-line tap (probes/claude_statusline_tap.sh) saved to
 * `<claudeConfigDir>/agent-limits/rate-limits.json`. No network, no model tokens: one small file read,
 * of a regular file only, size-capped and time-bounded (tap/bounded-read.ts).
 *
 * Status-line rules (provider-formats §9.4): `used_percentage` may carry float noise
 * (`14.000000000000002`) or exceed 100; `resets_at` 0, negative or missing means "unknown", never
 * "reset long ago"; a window that cannot be read costs only itself, never shows as 0 %.
 */
import { stat } from "fs/promises";
import path from "path";
import * as z from "zod/mini";
import { lenient } from "../../model/schemas";
import { CapsSnapshot, CapWindow, FIVE_HOUR_MINUTES, WEEK_MINUTES } from "../../model/types";
import { clampPercent } from "../../model/windows";
import { describeReadFailure, readRegularFile, READ_TIME_BUDGET_MS, withDeadline } from "../../tap/bounded-read";
import { RATE_LIMITS_FILE_NAME, RATE_LIMITS_SEEN_FILE_NAME, TAP_FOLDER_NAME } from "../../tap/paths";

export const MAX_RATE_LIMITS_BYTES = 64 * 1024;
const FILE_NAME = "The Claude status-line file";

export interface ClaudeTapReading {
  caps: CapsSnapshot | null;
  problem?: string;
}

/** A reset time is a positive epoch second; anything else is unknown. */
const ResetsAtSchema = lenient(z.number().check(z.positive()), null);

const WindowSchema = z.object({
  used_percentage: z.number(),
  resets_at: ResetsAtSchema,
});

/** A window that cannot be read is left out, and the other one still counts. */
const OptionalWindowSchema = lenient(WindowSchema, null);

const RateLimitsFileSchema = z.object({
  captured_at: z.number().check(z.nonnegative()),
  rate_limits: z.object({
    five_hour: OptionalWindowSchema,
    seven_day: OptionalWindowSchema,
  }),
});

type RawWindow = z.infer<typeof WindowSchema>;

export function rateLimitsPath(claudeConfigDir: string): string {
  return path.join(claudeConfigDir, TAP_FOLDER_NAME, RATE_LIMITS_FILE_NAME);
}

function seenPath(claudeConfigDir: string): string {
  return path.join(claudeConfigDir, TAP_FOLDER_NAME, RATE_LIMITS_SEEN_FILE_NAME);
}

/** `14.000000000000002` → 14, `99.99999999999999` → 100: float noise, not usage. */
function withoutFloatNoise(percent: number): number {
  return Math.round(percent * 1e6) / 1e6;
}

function capWindow(raw: RawWindow, id: string, label: string, windowMinutes: number): CapWindow {
  const resetsAt = raw.resets_at == null ? null : raw.resets_at * 1000;
  const usedPercent = clampPercent(withoutFloatNoise(raw.used_percentage));
  return { id, label, usedPercent, windowMinutes, resetsAt };
}

/**
 * The tap's file as a CapsSnapshot; null when it is not the tap's shape or holds no window. The capture
 * time is the later of `captured_at` and the time the tap last saw the same rate limits (`seenAt`).
 */
function snapshotFromTapFile(json: unknown, seenAt: number | null, now: number): CapsSnapshot | null {
  const parsed = RateLimitsFileSchema.safeParse(json);
  if (!parsed.success) return null;
  const { captured_at: capturedSeconds, rate_limits: rateLimits } = parsed.data;
  const windows: CapWindow[] = [];
  if (rateLimits.five_hour) windows.push(capWindow(rateLimits.five_hour, "5h", "5h", FIVE_HOUR_MINUTES));
  if (rateLimits.seven_day) windows.push(capWindow(rateLimits.seven_day, "weekly", "Weekly", WEEK_MINUTES));
  if (windows.length === 0) return null;
  const captured = capturedSeconds * 1000;
  // A seen time ahead of the clock (a skewed clock or a hand-set mtime) would keep the caps fresh for ever.
  const seen = seenAt !== null && seenAt > captured && seenAt <= now ? seenAt : null;
  return { windows, capturedAt: seen ?? captured, origin: "claude-statusline" };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** When the tap last saw the saved rate limits again; null when it never did (or the file is odd). */
async function readSeenAt(claudeConfigDir: string): Promise<number | null> {
  const stats = await stat(seenPath(claudeConfigDir)).catch(() => null);
  return stats?.isFile() ? Math.floor(stats.mtimeMs) : null;
}

async function readTapFile(claudeConfigDir: string): Promise<ClaudeTapReading> {
  const [read, seenAt] = await Promise.all([
    readRegularFile(rateLimitsPath(claudeConfigDir), MAX_RATE_LIMITS_BYTES),
    readSeenAt(claudeConfigDir),
  ]);
  if (!read.ok && read.reason === "missing") return { caps: null };
  if (!read.ok) return { caps: null, problem: describeReadFailure(FILE_NAME, read, MAX_RATE_LIMITS_BYTES) };
  const caps = snapshotFromTapFile(parseJson(read.bytes.toString("utf8")), seenAt, Date.now());
  return caps ? { caps } : { caps: null, problem: `${FILE_NAME} has no readable rate limits` };
}

/** Reads the caps the status-line tap saved. A missing file is no problem (the tap is opt-in). Never throws. */
export function readClaudeTap(claudeConfigDir: string): Promise<ClaudeTapReading> {
  const late = (): ClaudeTapReading => ({
    caps: null,
    problem: `${FILE_NAME} could not be read in time`,
  });
  return withDeadline(readTapFile(claudeConfigDir), READ_TIME_BUDGET_MS, late);
}
