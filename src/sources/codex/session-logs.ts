/**
 * Reads Codex caps from the user's own rollout logs (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`).
 * No network, no model tokens: only a few directory listings, a handful of stats and one tail read.
 */
import { open, readdir, readFile, stat } from "fs/promises";
import type { Dirent, Stats } from "fs";
import path from "path";
import { Decompress } from "fzstd";
import { z } from "zod";
import type { CapsSnapshot, CapWindow } from "../../model/types";
import { clampPercent, classifyWindowMinutes } from "../../model/windows";

export type CodexCapsFailureReason =
  "no-home" | "home-not-folder" | "no-sessions" | "no-rollouts" | "no-rate-limits" | "unreadable";

export type CodexCapsResult =
  | { ok: true; caps: CapsSnapshot; file: string }
  | { ok: false; reason: CodexCapsFailureReason; message: string; hint: string };

export interface ReadCodexCapsOptions {
  /** How many bytes at the end of a rollout file to scan. */
  tailBytes?: number;
  /**
   * Accepted for callers that pin the clock; the reading itself does not depend on it. Windows whose
   * `resetsAt` has passed are returned as logged so the UI can show them as reset.
   */
  now?: number;
}

export const DEFAULT_TAIL_BYTES = 256 * 1024;
/** Newest day folders whose files are stat'ed: today, yesterday and one more catch day rollover. */
export const DAY_DIRS_TO_SCAN = 3;
/** Guards against a tree of empty day folders; Codex only creates a day folder with a file in it. */
const MAX_DAY_DIRS_VISITED = 31;
export const MAX_PLAIN_ATTEMPTS = 5;
export const MAX_ZST_ATTEMPTS = 2;
export const MAX_ZST_BYTES = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Log line schemas. Unknown keys are stripped, wrong types fail the line (safeParse, never throws).

const WindowSchema = z.object({
  used_percent: z.number(),
  window_minutes: z.number().nullish(),
  resets_at: z.number().nullish(),
  resets_in_seconds: z.number().nullish(),
});

/** Credits and plan are extras: a surprising type there must not cost the windows. */
const CreditsSchema = z
  .object({
    has_credits: z.boolean().nullish(),
    unlimited: z.boolean().nullish(),
    balance: z.union([z.string(), z.number()]).nullish(),
  })
  .nullish()
  .catch(null);

const RateLimitsSchema = z.object({
  limit_id: z.string().nullish(),
  primary: WindowSchema.nullish(),
  secondary: WindowSchema.nullish(),
  primary_used_percent: z.number().nullish(),
  primary_window_minutes: z.number().nullish(),
  secondary_used_percent: z.number().nullish(),
  secondary_window_minutes: z.number().nullish(),
  credits: CreditsSchema,
  plan_type: z.string().nullish().catch(null),
});

const TokenCountLineSchema = z.object({
  timestamp: z.string(),
  type: z.literal("event_msg"),
  payload: z.object({
    type: z.literal("token_count"),
    rate_limits: RateLimitsSchema.nullish(),
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
export function isAccountWide(rateLimits: RawRateLimits): boolean {
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

// ---------------------------------------------------------------------------------------------------------------
// Reading only the tail of a file.

function decodeTail(window: Buffer, startsMidFile: boolean): string {
  if (!startsMidFile) return window.toString("utf8");
  const firstNewline = window.indexOf(0x0a);
  return firstNewline === -1 ? "" : window.subarray(firstNewline + 1).toString("utf8");
}

/** Reads at most `tailBytes` from the end through a file handle; the rest of the file is never touched. */
export async function readFileTail(file: string, tailBytes: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - tailBytes);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return decodeTail(buffer.subarray(0, bytesRead), start > 0);
  } finally {
    await handle.close();
  }
}

/**
 * A compressed log has no tail to seek to: it is decompressed as a stream, keeping only the
 * last `tailBytes`, so memory stays bounded whatever the file expands to.
 */
async function readZstTail(file: string, tailBytes: number): Promise<string | null> {
  const { size } = await stat(file);
  if (size >= MAX_ZST_BYTES) return null;
  let tail = Buffer.alloc(0);
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    const joined = Buffer.concat([tail, chunk]);
    tail = joined.subarray(Math.max(0, joined.length - tailBytes));
  });
  stream.push(await readFile(file), true);
  return decodeTail(tail, total > tail.length);
}

// ---------------------------------------------------------------------------------------------------------------
// Finding the newest rollout files without walking the history.

export interface RolloutFile {
  path: string;
  name: string;
  mtimeMs: number;
}

const PLAIN_ROLLOUT = /^rollout-.+\.jsonl$/;
const ZST_ROLLOUT = /^rollout-.+\.jsonl\.zst$/;

function isFileSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException)?.code === "string";
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

/** Child folder names matching a date part pattern, newest first; a folder that vanished reads as empty. */
async function childDirsDescending(dir: string, pattern: RegExp): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const names = entries.filter((entry) => entry.isDirectory() && pattern.test(entry.name)).map((entry) => entry.name);
  return names.sort().reverse();
}

async function* dayDirsNewestFirst(sessionsDir: string): AsyncGenerator<string> {
  for (const year of await childDirsDescending(sessionsDir, /^\d{4}$/)) {
    const yearDir = path.join(sessionsDir, year);
    for (const month of await childDirsDescending(yearDir, /^\d{2}$/)) {
      const monthDir = path.join(yearDir, month);
      for (const day of await childDirsDescending(monthDir, /^\d{2}$/)) yield path.join(monthDir, day);
    }
  }
}

async function rolloutNamesIn(dayDir: string): Promise<string[]> {
  try {
    const names = await readdir(dayDir);
    return names.filter((name) => PLAIN_ROLLOUT.test(name) || ZST_ROLLOUT.test(name));
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function statRegularFile(file: string): Promise<Stats | null> {
  try {
    const stats = await stat(file);
    // A FIFO or socket named like a rollout would block the read forever.
    return stats.isFile() ? stats : null;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Rollout files of the newest few day folders, stat'ed; the only place that touches file metadata. */
export async function recentRolloutFiles(sessionsDir: string): Promise<RolloutFile[]> {
  const paths: string[] = [];
  let dirsWithRollouts = 0;
  let dirsVisited = 0;
  for await (const dayDir of dayDirsNewestFirst(sessionsDir)) {
    const names = await rolloutNamesIn(dayDir);
    paths.push(...names.map((name) => path.join(dayDir, name)));
    if (names.length > 0) dirsWithRollouts++;
    dirsVisited++;
    if (dirsWithRollouts === DAY_DIRS_TO_SCAN || dirsVisited === MAX_DAY_DIRS_VISITED) break;
  }
  const stats = await Promise.all(paths.map(statRegularFile));
  return paths.flatMap((file, index) => {
    const fileStats = stats[index];
    return fileStats ? [{ path: file, name: path.basename(file), mtimeMs: fileStats.mtimeMs }] : [];
  });
}

function newestFirst(files: RolloutFile[]): RolloutFile[] {
  return [...files].sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** Plain files by mtime, then `.zst` files that have no plain twin (the plain file wins). */
export function orderCandidates(files: RolloutFile[]): { plain: RolloutFile[]; zst: RolloutFile[] } {
  const plain = newestFirst(files.filter((file) => PLAIN_ROLLOUT.test(file.name)));
  const plainPaths = new Set(plain.map((file) => file.path));
  const zst = newestFirst(
    files.filter((file) => ZST_ROLLOUT.test(file.name) && !plainPaths.has(file.path.slice(0, -".zst".length))),
  );
  return { plain: plain.slice(0, MAX_PLAIN_ATTEMPTS), zst: zst.slice(0, MAX_ZST_ATTEMPTS) };
}

// ---------------------------------------------------------------------------------------------------------------
// The entry point.

const HINT_RUN_SESSION = "Run a Codex session; caps appear after its first turn.";
const HINT_PERMISSIONS = "Check that Raycast may read your Codex folder.";

function failure(reason: CodexCapsFailureReason, message: string, hint: string): CodexCapsResult {
  return { ok: false, reason, message, hint };
}

function unreadable(error: unknown): CodexCapsResult {
  const code = (error as NodeJS.ErrnoException)?.code;
  const detail = code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? "unknown error");
  return failure("unreadable", `Can't read Codex sessions (${detail})`, HINT_PERMISSIONS);
}

async function checkFolders(codexHome: string): Promise<CodexCapsResult | null> {
  let homeStats: Stats;
  try {
    homeStats = await stat(codexHome);
  } catch (error) {
    if (!isMissing(error)) return unreadable(error);
    return failure("no-home", "Codex folder not found", "Install Codex, or check the Codex Home preference.");
  }
  if (!homeStats.isDirectory()) {
    return failure("home-not-folder", "Codex Home is not a folder", "Check the Codex Home preference.");
  }
  try {
    if (!(await stat(path.join(codexHome, "sessions"))).isDirectory()) {
      return failure("unreadable", "Codex sessions path is not a folder", HINT_PERMISSIONS);
    }
  } catch (error) {
    if (!isMissing(error)) return unreadable(error);
    return failure("no-sessions", "No Codex sessions yet", HINT_RUN_SESSION);
  }
  return null;
}

interface ScanOutcome {
  found?: { caps: CapsSnapshot; file: string };
  readError?: unknown;
}

async function scanCandidates(files: RolloutFile[], read: (file: string) => Promise<string | null>) {
  const outcome: ScanOutcome = {};
  for (const file of files) {
    try {
      const text = await read(file.path);
      const caps = text === null ? null : newestSnapshotInText(text);
      if (caps) return { found: { caps, file: file.path } };
    } catch (error) {
      // A broken or locked file must not hide an older good one; only file-system errors are worth reporting.
      if (isFileSystemError(error)) outcome.readError ??= error;
    }
  }
  return outcome;
}

function validTailBytes(tailBytes: number | undefined): number {
  return tailBytes !== undefined && Number.isSafeInteger(tailBytes) && tailBytes > 0 ? tailBytes : DEFAULT_TAIL_BYTES;
}

/** Reads the newest account-wide Codex caps from the rollout logs. Never throws. */
export async function readCodexCaps(codexHome: string, options: ReadCodexCapsOptions = {}): Promise<CodexCapsResult> {
  const tailBytes = validTailBytes(options.tailBytes);
  try {
    const folderProblem = await checkFolders(codexHome);
    if (folderProblem) return folderProblem;
    const files = await recentRolloutFiles(path.join(codexHome, "sessions"));
    if (files.length === 0) return failure("no-rollouts", "No Codex session logs found", HINT_RUN_SESSION);
    const { plain, zst } = orderCandidates(files);
    const plainScan = await scanCandidates(plain, (file) => readFileTail(file, tailBytes));
    if (plainScan.found) return { ok: true, ...plainScan.found };
    const zstScan = await scanCandidates(zst, (file) => readZstTail(file, tailBytes));
    if (zstScan.found) return { ok: true, ...zstScan.found };
    const readError = plainScan.readError ?? zstScan.readError;
    if (readError) return unreadable(readError);
    return failure(
      "no-rate-limits",
      "No rate limits in recent Codex sessions",
      "Rate limits appear after a turn with a ChatGPT login; API-key logins have no caps.",
    );
  } catch (error) {
    return unreadable(error);
  }
}
