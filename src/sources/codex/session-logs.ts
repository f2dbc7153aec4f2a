/**
 * Reads Codex caps from the user's own rollout logs (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`).
 * No network, no model tokens: only a few directory listings, a handful of stats and one tail read.
 */
import { stat } from "fs/promises";
import type { Stats } from "fs";
import path from "path";
import type { CapsSnapshot } from "../../model/types";
import { newestSnapshotInText } from "./log-lines";
import {
  isFileSystemError,
  isMissing,
  orderCandidates,
  readFileTail,
  readZstTail,
  recentRolloutFiles,
  type RolloutFile,
} from "./rollout-files";

type CodexCapsFailureReason =
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

const DEFAULT_TAIL_BYTES = 256 * 1024;

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
