/**
 * Reads Codex caps from the user's own rollout logs (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`).
 * No network, no model tokens: a bounded number of folder listings, a few stats and tail reads.
 */
import { stat } from "fs/promises";
import type { Stats } from "fs";
import path from "path";
import type { CapsSnapshot } from "../../model/types";
import { newestSnapshotInText } from "./log-lines";
import {
  findRecentRollouts,
  FUTURE_SKEW_MS,
  isFileSystemError,
  isMissing,
  MAX_FOLDERS_LISTED,
  orderCandidates,
  type RolloutFile,
  type RolloutSearch,
} from "./rollout-files";
import { scanFileTail, scanZstTail, type TailLimits, type TailScan } from "./rollout-tail";

type CodexCapsFailureReason =
  "no-home" | "home-not-folder" | "no-sessions" | "no-rollouts" | "no-rate-limits" | "future-only" | "unreadable";

/** Logs or folders dated after tomorrow were skipped (a skewed clock wrote them); the menu can say so. */
export interface FutureDatedNotice {
  skipped: number;
  message: string;
}

export type CodexCapsResult =
  | { ok: true; caps: CapsSnapshot; file: string; futureDated?: FutureDatedNotice }
  | { ok: false; reason: CodexCapsFailureReason; message: string; hint: string; futureDated?: FutureDatedNotice };

export interface ReadCodexCapsOptions {
  /** How many bytes at the end of a rollout file to read first. */
  tailBytes?: number;
  /**
   * How far back one file is read, in all, when its tail holds no reading yet: a pasted image can make the line
   * after the newest reading longer than `tailBytes`, and `codex exec` logs `rate_limits: null` turns.
   */
  maxTailBytes?: number;
  /** The clock (epoch ms): anything dated more than a day after it is ignored. Defaults to `Date.now()`. */
  now?: number;
}

const DEFAULT_TAIL_BYTES = 256 * 1024;
const DEFAULT_MAX_TAIL_BYTES = 8 * 1024 * 1024;
/** Bytes read from all candidate files together, whatever they hold. */
const READ_BUDGET_BYTES = 24 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Messages.

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

/** Adds the future-dated notice when something was skipped for it. */
function noting(result: CodexCapsResult, skipped: number): CodexCapsResult {
  if (skipped === 0) return result;
  const what = skipped === 1 ? "1 Codex log or folder" : `${skipped} Codex logs or folders`;
  return {
    ...result,
    futureDated: { skipped, message: `Ignored ${what} dated in the future; check this Mac's clock.` },
  };
}

const futureOnly = () =>
  failure("future-only", "Codex logs are dated in the future", "Check this Mac's date and time, then run Codex.");

function noRollouts(search: RolloutSearch): CodexCapsResult {
  // A permission problem is more actionable than the clock.
  if (search.skippedError) return unreadable(search.skippedError);
  if (search.futureSkipped > 0) return futureOnly();
  if (!search.boundReached) return failure("no-rollouts", "No Codex session logs found", HINT_RUN_SESSION);
  return failure(
    "no-rollouts",
    "No Codex session logs found",
    `Only the newest ${MAX_FOLDERS_LISTED} folders under sessions are searched, and they hold no logs.`,
  );
}

// Nothing in the logs says how Codex was signed in (no session_meta or turn field does), so the message blames no one.
const noRateLimits = () =>
  failure(
    "no-rate-limits",
    "No rate limits in recent Codex sessions",
    "Codex logs caps with each turn of a ChatGPT-plan session; some sessions (codex exec) log none.",
  );

// ---------------------------------------------------------------------------------------------------------------
// Folders.

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

// ---------------------------------------------------------------------------------------------------------------
// Reading the candidates, newest first, within one byte budget.

interface Scan {
  now: number;
  tailBytes: number;
  maxTailBytes: number;
  budget: number;
  futureReadings: number;
  readError?: unknown;
}

type TailScanner = (
  file: string,
  limits: TailLimits,
  find: typeof newestSnapshotInText,
) => Promise<TailScan<CapsSnapshot> | null>;

async function readCandidate(scan: Scan, file: RolloutFile, scanTail: TailScanner): Promise<CapsSnapshot | null> {
  const limits = { firstBytes: scan.tailBytes, maxBytes: Math.min(scan.maxTailBytes, scan.budget) };
  try {
    const result = await scanTail(file.path, limits, newestSnapshotInText);
    if (!result) return null;
    scan.budget -= result.bytesRead;
    if (result.found && result.found.capturedAt > scan.now + FUTURE_SKEW_MS) {
      // Written under a clock set ahead: it must not pass for today's caps ("as of in 10 months").
      scan.futureReadings++;
      return null;
    }
    return result.found;
  } catch (error) {
    // A broken or locked file must not hide an older good one; only file-system errors are worth reporting.
    if (isFileSystemError(error)) scan.readError ??= error;
    return null;
  }
}

async function firstReading(scan: Scan, files: RolloutFile[], scanTail: TailScanner) {
  for (const file of files) {
    if (scan.budget <= 0) return null;
    const caps = await readCandidate(scan, file, scanTail);
    if (caps) return { caps, file: file.path };
  }
  return null;
}

function validBytes(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

async function readCaps(codexHome: string, options: ReadCodexCapsOptions): Promise<CodexCapsResult> {
  const folderProblem = await checkFolders(codexHome);
  if (folderProblem) return folderProblem;
  const now = options.now ?? Date.now();
  const search = await findRecentRollouts(path.join(codexHome, "sessions"), now);
  if (search.files.length === 0) return noting(noRollouts(search), search.futureSkipped);
  const tailBytes = validBytes(options.tailBytes, DEFAULT_TAIL_BYTES);
  const maxTailBytes = Math.max(tailBytes, validBytes(options.maxTailBytes, DEFAULT_MAX_TAIL_BYTES));
  const scan: Scan = { now, tailBytes, maxTailBytes, budget: READ_BUDGET_BYTES, futureReadings: 0 };
  const { plain, zst } = orderCandidates(search.files);
  const found = (await firstReading(scan, plain, scanFileTail)) ?? (await firstReading(scan, zst, scanZstTail));
  const skipped = search.futureSkipped + scan.futureReadings;
  if (found) return noting({ ok: true, ...found }, skipped);
  const readError = scan.readError ?? search.skippedError;
  if (readError) return noting(unreadable(readError), skipped);
  return noting(scan.futureReadings > 0 ? futureOnly() : noRateLimits(), skipped);
}

/** Reads the newest account-wide Codex caps from the rollout logs. Never throws. */
export async function readCodexCaps(codexHome: string, options: ReadCodexCapsOptions = {}): Promise<CodexCapsResult> {
  try {
    return await readCaps(codexHome, options);
  } catch (error) {
    return unreadable(error);
  }
}
