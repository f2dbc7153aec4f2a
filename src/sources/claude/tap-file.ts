/**
 * Reads the Claude caps that the opt-in status-line tap (probes/claude_statusline_tap.sh) saved to
 * `<claudeConfigDir>/agent-limits/rate-limits.json`. No network, no model tokens: one small file read.
 */
import { constants } from "fs";
import { open } from "fs/promises";
import path from "path";
import * as z from "zod/mini";
import { CapsSnapshot, CapWindow, FIVE_HOUR_MINUTES, WEEK_MINUTES } from "../../model/types";
import { clampPercent } from "../../model/windows";

export const TAP_FOLDER_NAME = "agent-limits";
export const RATE_LIMITS_FILE_NAME = "rate-limits.json";
export const MAX_RATE_LIMITS_BYTES = 64 * 1024;

export interface ClaudeTapReading {
  caps: CapsSnapshot | null;
  problem?: string;
}

const finite = z.number();
const nonNegative = z.number().check(z.nonnegative());

/** A bad reset time costs only the reset time, not the window. */
const WindowSchema = z.object({
  used_percentage: finite,
  resets_at: z.catch(z.nullish(nonNegative), null),
});

const RateLimitsFileSchema = z.object({
  captured_at: nonNegative,
  rate_limits: z.object({
    five_hour: z.nullish(WindowSchema),
    seven_day: z.nullish(WindowSchema),
  }),
});

type RawWindow = z.infer<typeof WindowSchema>;

export function rateLimitsPath(claudeConfigDir: string): string {
  return path.join(claudeConfigDir, TAP_FOLDER_NAME, RATE_LIMITS_FILE_NAME);
}

function capWindow(raw: RawWindow, id: string, label: string, windowMinutes: number): CapWindow {
  const resetsAt = raw.resets_at == null ? null : raw.resets_at * 1000;
  return { id, label, usedPercent: clampPercent(raw.used_percentage), windowMinutes, resetsAt };
}

/** The tap's file as a CapsSnapshot; null when it is not the tap's shape or holds no window. */
function snapshotFromTapFile(json: unknown): CapsSnapshot | null {
  const parsed = RateLimitsFileSchema.safeParse(json);
  if (!parsed.success) return null;
  const { captured_at: capturedAt, rate_limits: rateLimits } = parsed.data;
  const windows: CapWindow[] = [];
  if (rateLimits.five_hour) windows.push(capWindow(rateLimits.five_hour, "5h", "5h", FIVE_HOUR_MINUTES));
  if (rateLimits.seven_day) windows.push(capWindow(rateLimits.seven_day, "weekly", "Weekly", WEEK_MINUTES));
  if (windows.length === 0) return null;
  return { windows, capturedAt: capturedAt * 1000, origin: "claude-statusline" };
}

type SmallRead = { text: string } | { tooLarge: true } | { missing: true };

async function readSmallFile(file: string): Promise<SmallRead> {
  let handle;
  try {
    // Non-blocking, so that opening a FIFO named like the file cannot hang.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return { missing: true };
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error("not a regular file"), { code: "ENOTFILE" });
    if (stats.size > MAX_RATE_LIMITS_BYTES) return { tooLarge: true };
    const buffer = Buffer.alloc(MAX_RATE_LIMITS_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_RATE_LIMITS_BYTES) return { tooLarge: true };
    return { text: buffer.subarray(0, bytesRead).toString("utf8") };
  } finally {
    await handle.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "EACCES" || code === "EPERM") return "Can't read the Claude status-line file (permission denied)";
  if (code === "ENOTFILE" || code === "EISDIR") return "The Claude status-line file is not a regular file";
  return `Can't read the Claude status-line file (${code ?? "unknown error"})`;
}

/** Reads the caps the status-line tap saved. A missing file is no problem (the tap is opt-in). Never throws. */
export async function readClaudeTap(claudeConfigDir: string): Promise<ClaudeTapReading> {
  try {
    const read = await readSmallFile(rateLimitsPath(claudeConfigDir));
    if ("missing" in read) return { caps: null };
    if ("tooLarge" in read) return { caps: null, problem: "The Claude status-line file is too large" };
    const caps = snapshotFromTapFile(parseJson(read.text));
    return caps ? { caps } : { caps: null, problem: "The Claude status-line file has no readable rate limits" };
  } catch (error) {
    return { caps: null, problem: readProblem(error) };
  }
}
