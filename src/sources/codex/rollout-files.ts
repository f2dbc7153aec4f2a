/**
 * Finding the newest Codex rollout files without walking the history, and reading only their tails.
 */
import { open, readdir, readFile, stat } from "fs/promises";
import type { Dirent, Stats } from "fs";
import path from "path";
import { Decompress } from "fzstd";

/** Newest day folders whose files are stat'ed: today, yesterday and one more catch day rollover. */
const DAY_DIRS_TO_SCAN = 3;
/** Guards against a tree of empty day folders; Codex only creates a day folder with a file in it. */
const MAX_DAY_DIRS_VISITED = 31;
const MAX_PLAIN_ATTEMPTS = 5;
const MAX_ZST_ATTEMPTS = 2;
const MAX_ZST_BYTES = 8 * 1024 * 1024;

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
export async function readZstTail(file: string, tailBytes: number): Promise<string | null> {
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

export function isFileSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException)?.code === "string";
}

export function isMissing(error: unknown): boolean {
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
