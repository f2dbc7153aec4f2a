/**
 * Reads of local files that can neither hang nor eat memory, for code the menu runs on every render.
 *
 * A path can name anything: a FIFO (opening it for reading would wait for a writer for ever), a link to
 * /dev/zero (endless), a huge or sparse file, a folder, or something swapped in between a stat and an open.
 * So the file is opened non-blocking, and what was opened is checked on the descriptor (fstat): only a
 * regular file within the size cap is read, and never more than the cap. The whole read has a time budget.
 */
import { constants } from "fs";
import { open, type FileHandle } from "fs/promises";

/** Most a local read of the menu may take, opening and reading included. */
export const READ_TIME_BUDGET_MS = 750;

type ReadFailure = "missing" | "not-file" | "too-large" | "timeout" | "denied" | "error";

export type BoundedRead = { ok: true; bytes: Buffer } | { ok: false; reason: ReadFailure; code?: string };

/** `work`, or `late` once `ms` have passed. Work that finishes later is still awaited by no one. */
export async function withDeadline<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function failureOf(error: unknown): BoundedRead {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, reason: "missing" };
  if (code === "EACCES" || code === "EPERM") return { ok: false, reason: "denied", code };
  if (code === "EISDIR") return { ok: false, reason: "not-file" };
  return { ok: false, reason: "error", code: code ?? "unknown error" };
}

/** Reads up to maxBytes + 1 bytes, so that a file that grew past the cap since fstat is caught. */
async function readCapped(handle: FileHandle, maxBytes: number): Promise<BoundedRead> {
  const buffer = Buffer.allocUnsafe(maxBytes + 1);
  let total = 0;
  while (total < buffer.length) {
    const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  if (total > maxBytes) return { ok: false, reason: "too-large" };
  return { ok: true, bytes: Buffer.from(buffer.subarray(0, total)) };
}

async function readOpened(file: string, maxBytes: number): Promise<BoundedRead> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return failureOf(error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { ok: false, reason: "not-file" };
    if (stats.size > maxBytes) return { ok: false, reason: "too-large" };
    return await readCapped(handle, maxBytes);
  } catch (error) {
    return failureOf(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The bytes of a regular file of at most maxBytes, or why not. Never throws, never hangs. */
export function readRegularFile(file: string, maxBytes: number, budgetMs = READ_TIME_BUDGET_MS): Promise<BoundedRead> {
  return withDeadline(readOpened(file, maxBytes), budgetMs, () => ({ ok: false, reason: "timeout" }));
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}

/** One line on why `name` (e.g. `settings.json`) could not be read. */
export function describeReadFailure(name: string, failure: BoundedRead & { ok: false }, maxBytes: number): string {
  switch (failure.reason) {
    case "missing":
      return `${name} is missing`;
    case "not-file":
      return `${name} is not a regular file`;
    case "too-large":
      return `${name} is too large (over ${formatBytes(maxBytes)})`;
    case "timeout":
      return `${name} could not be read in time`;
    case "denied":
      return `Can't read ${name} (permission denied)`;
    default:
      return `Can't read ${name} (${failure.code ?? "unknown error"})`;
  }
}

/** Decodes UTF-8 strictly: null when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
