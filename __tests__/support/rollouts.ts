/**
 * Rollout logs placed as Codex places them: `sessions/YYYY/MM/DD/rollout-YYYY-MM-DDTHH-MM-SS-<id>.jsonl`, folder
 * and name in local time at session start, with chosen contents and mtime. Each caps line carries its own 5h
 * percentage, so a test can tell which file won.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { tokenCountLine } from "./codex-home";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A fixed local "now" for these tests: 2026-11-28 15:00 local time. */
export const LOCAL_NOW = new Date(2026, 10, 28, 15, 0, 0).getTime();

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `YYYY/MM/DD` of a local day, as path parts. */
export function dayParts(ms: number): string[] {
  const at = new Date(ms);
  return [pad(at.getFullYear(), 4), pad(at.getMonth() + 1), pad(at.getDate())];
}

export function dayFolder(home: string, ms: number): string {
  return path.join(home, "sessions", ...dayParts(ms));
}

export function rolloutName(startMs: number, id: string, extension = ".jsonl"): string {
  const at = new Date(startMs);
  const time = `${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
  return `rollout-${dayParts(startMs).join("-")}T${time}-${id}${extension}`;
}

/** A `token_count` line whose 5h window reads `percent`, captured at `atMs`. */
export function capsLine(atMs: number, percent: number): string {
  return tokenCountLine({
    timestamp: atMs,
    primary: { used_percent: percent, window_minutes: 300, resets_at: Math.floor(atMs / 1000) + 3600 },
    secondary: { used_percent: 50, window_minutes: 10080, resets_at: Math.floor(atMs / 1000) + 86400 },
    planType: "plus",
  });
}

/** A `token_count` line with `rate_limits: null`, as `codex exec` writes them (openai/codex#14880). */
export function nullCapsLine(atMs: number): string {
  return JSON.stringify({
    timestamp: new Date(atMs).toISOString(),
    type: "event_msg",
    payload: { type: "token_count", info: null, rate_limits: null },
  });
}

export function sessionMetaLine(startMs: number, id: string): string {
  const payload = { id, timestamp: new Date(startMs).toISOString(), cwd: "/tmp", originator: "codex_cli_rs" };
  return JSON.stringify({ timestamp: new Date(startMs).toISOString(), type: "session_meta", payload });
}

export interface SessionOptions {
  /** Lines after the session_meta line. */
  lines: string[];
  /** Defaults to the last line's moment: a minute after the start. */
  mtimeMs?: number;
  id?: string;
  /** Raw bytes instead of lines (the name and mtime still apply). */
  bytes?: Buffer;
}

let sessions = 0;

/** Writes one session's log in its day folder and returns its path. */
export async function writeSession(home: string, startMs: number, options: SessionOptions): Promise<string> {
  const id = options.id ?? `019a0000-0000-7000-8000-${pad(++sessions, 12)}`;
  const folder = dayFolder(home, startMs);
  await fs.mkdir(folder, { recursive: true });
  const file = path.join(folder, rolloutName(startMs, id));
  const text = [sessionMetaLine(startMs, id), ...options.lines].join("\n") + "\n";
  await fs.writeFile(file, options.bytes ?? text);
  const mtime = (options.mtimeMs ?? startMs + MINUTE_MS) / 1000;
  await fs.utimes(file, mtime, mtime);
  return file;
}

/** The 5h percentage a result shows, or its failure reason. */
export function shown(
  result: { ok: true; caps: { windows: { usedPercent: number }[] } } | { ok: false; reason: string },
) {
  return result.ok ? result.caps.windows[0].usedPercent : result.reason;
}

/** Settles within `ms` or fails: "nothing hangs" without waiting for jest's own timeout. */
export async function withinTime<T>(ms: number, work: Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([work, timeout]);
    return { value, elapsedMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
