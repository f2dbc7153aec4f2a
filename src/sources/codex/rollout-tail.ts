/**
 * Reading the end of one rollout log, safely on a hostile machine: only a regular file is read (a FIFO or device
 * swapped in after it was listed is refused without blocking), and only its tail, grown backwards in bounded
 * steps until the caller finds what it looks for. A compressed log is decoded as a bounded stream.
 */
import { constants, type Stats } from "fs";
import { open, type FileHandle } from "fs/promises";

const NEWLINE = 0x0a;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** A compressed log this large or larger is not decoded. */
const MAX_ZST_BYTES = 8 * 1024 * 1024;
/** Decoding stops past this much output: a small "zip bomb" must not keep the menu busy. */
const MAX_ZST_OUTPUT_BYTES = 128 * 1024 * 1024;

export interface TailLimits {
  /** The first read: the last `firstBytes` of the file. */
  firstBytes: number;
  /** Reading back stops after this many bytes in all, found or not. */
  maxBytes: number;
}

export interface TailScan<T> {
  found: T | null;
  /** Bytes read from disk (the compressed size for a `.zst` log). */
  bytesRead: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Opening: never wait on a FIFO, never read anything but a regular file.

/**
 * Opens with O_NONBLOCK, so that a FIFO swapped in at this path opens at once instead of waiting for a writer,
 * then decides on the descriptor's own fstat, not on an earlier stat of the path. Null when it is no regular file.
 */
async function openRegularFile(file: string): Promise<{ handle: FileHandle; stats: Stats } | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const stats = await handle.stat();
    if (stats.isFile()) return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return null;
}

async function withRegularFile<T>(file: string, use: (handle: FileHandle, size: number) => Promise<T>) {
  const opened = await openRegularFile(file);
  if (!opened) return null;
  try {
    return await use(opened.handle, opened.stats.size);
  } finally {
    await opened.handle.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading backwards in whole lines.

/** Bytes `[floor, end)` of a file or of a decoded stream; position 0 is the start of the log. */
interface ByteSource {
  floor: number;
  end: number;
  read(target: Buffer, position: number): Promise<number>;
}

function decodeLines(bytes: Buffer, startsTheLog: boolean): string {
  const body = startsTheLog && bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  return body.toString("utf8");
}

/**
 * Reads the source backwards, `firstBytes` first, then doubling, and hands `find` each newly completed run of
 * whole lines (newest last); the first non-null answer wins. A line that starts before everything read so far is
 * held back until its start is read (or the limit is reached), so a cut line is never parsed. Newlines are single
 * bytes that never occur inside a multi-byte UTF-8 character, so cutting at them keeps the text intact.
 */
async function scanBackwards<T>(source: ByteSource, limits: TailLimits, find: (text: string) => T | null) {
  let end = source.end;
  let heldBack: Buffer = Buffer.alloc(0);
  let bytesRead = 0;
  let step = limits.firstBytes;
  while (end > source.floor && bytesRead < limits.maxBytes) {
    const start = Math.max(source.floor, end - Math.min(step, limits.maxBytes - bytesRead));
    // Unsafe (not zeroed) is fine: only the bytes the read filled are used.
    const chunk = Buffer.allocUnsafe(end - start);
    const got = await source.read(chunk, start);
    bytesRead += chunk.length;
    // A file truncated while read: keep what the first read got, stop on a later one.
    if (got < chunk.length && end !== source.end) break;
    const joined = heldBack.length > 0 ? Buffer.concat([chunk, heldBack]) : chunk.subarray(0, got);
    const firstLineEnd = start === 0 ? -1 : joined.indexOf(NEWLINE);
    if (start === 0 || firstLineEnd !== -1) {
      const found = find(decodeLines(joined.subarray(firstLineEnd + 1), start === 0));
      if (found !== null) return { found, bytesRead };
    }
    heldBack = firstLineEnd === -1 ? joined : joined.subarray(0, firstLineEnd + 1);
    end = start;
    step = bytesRead;
  }
  return { found: null, bytesRead };
}

/** Scans a plain rollout log from its end; null when the path is not a regular file. */
export async function scanFileTail<T>(
  file: string,
  limits: TailLimits,
  find: (text: string) => T | null,
): Promise<TailScan<T> | null> {
  return withRegularFile(file, (handle, size) => {
    const read = async (target: Buffer, position: number) => {
      let filled = 0;
      while (filled < target.length) {
        const { bytesRead } = await handle.read(target, filled, target.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled;
    };
    return scanBackwards({ floor: 0, end: size, read }, limits, find);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Compressed logs.

class DecodedTooLarge extends Error {}

/**
 * A compressed log has no tail to seek to: it is decoded as a stream keeping only the last `keepBytes`, so memory
 * stays bounded whatever the file expands to. The decoder is loaded on first use, not at the menu's cold start.
 */
async function decodeTail(compressed: Buffer, keepBytes: number): Promise<{ tail: Buffer; total: number } | null> {
  const { Decompress } = await import("fzstd");
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > MAX_ZST_OUTPUT_BYTES) throw new DecodedTooLarge();
    // The decoder may reuse its output buffer: copy.
    kept.push(Buffer.from(chunk));
    keptBytes += chunk.length;
    while (kept.length > 1 && keptBytes - kept[0].length >= keepBytes) keptBytes -= kept.shift()?.length ?? 0;
  });
  try {
    stream.push(compressed, true);
  } catch (error) {
    if (error instanceof DecodedTooLarge) return null;
    throw error;
  }
  const joined = Buffer.concat(kept);
  return { tail: joined.subarray(Math.max(0, joined.length - keepBytes)), total };
}

/** Scans a `.jsonl.zst` log from its end; null when it is no regular file or too large to decode. */
export async function scanZstTail<T>(
  file: string,
  limits: TailLimits,
  find: (text: string) => T | null,
): Promise<TailScan<T> | null> {
  const compressed = await withRegularFile(file, async (handle, size) => {
    if (size >= MAX_ZST_BYTES) return null;
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  });
  if (!compressed) return null;
  const decoded = await decodeTail(compressed, limits.maxBytes);
  if (!decoded) return { found: null, bytesRead: compressed.length };
  const { tail, total } = decoded;
  const read = async (target: Buffer, position: number) => tail.copy(target, 0, position - (total - tail.length));
  const scan = await scanBackwards({ floor: total - tail.length, end: total, read }, limits, find);
  return { found: scan.found, bytesRead: compressed.length };
}
