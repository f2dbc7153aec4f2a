/**
 * Builds synthetic Codex homes for the session-log tests and benchmarks: years of dated folders, many rollout
 * files padded with realistic lines, and sample A (provider-formats §1.6) as the newest file's last
 * `token_count` line.
 */
import { mkdir, open, utimes } from "fs/promises";
import path from "path";

/** Sample A: what `readCodexCaps` must return from every home built here. */
export const NEWEST_SNAPSHOT_LINE =
  '{"timestamp":"2026-10-12T13:58:02.417Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":184213,"cached_input_tokens":151040,"cache_write_input_tokens":0,"output_tokens":6231,"reasoning_output_tokens":2944,"total_tokens":190444},"last_token_usage":{"input_tokens":22817,"cached_input_tokens":21504,"cache_write_input_tokens":0,"output_tokens":412,"reasoning_output_tokens":128,"total_tokens":23229},"model_context_window":258400},"rate_limits":{"limit_id":"codex","limit_name":null,"primary":{"used_percent":37.0,"window_minutes":300,"resets_at":1791823260},"secondary":{"used_percent":61.0,"window_minutes":10080,"resets_at":1792141964},"credits":{"has_credits":true,"unlimited":false,"balance":"412.5"},"individual_limit":null,"spend_control_reached":null,"plan_type":"plus","rate_limit_reached_type":null}}}';

const NEWEST_SESSION_START = Date.parse("2026-10-12T13:20:00.000Z");
/** A steady user: 10,000 sessions fill three years; 10 sessions fill the last day. */
const SESSIONS_PER_DAY = 9;
const DAY_MS = 24 * 60 * 60 * 1000;
const PADDING_BLOCK_BYTES = 1024 * 1024;
const WRITE_CONCURRENCY = 32;
const BUFFERS_PER_WRITEV = 64;

function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

function uuidFor(index: number): string {
  const hex = index.toString(16).padStart(12, "0");
  return `019a0000-0000-7000-8000-${hex}`;
}

function sessionMetaLine(startMs: number, id: string): string {
  const payload = {
    id,
    timestamp: isoAt(startMs),
    cwd: "/Users/sam/code/shop-api",
    originator: "codex_cli_rs",
    cli_version: "0.47.0",
    instructions: "You are Codex, a coding agent. ".repeat(40),
    source: "cli",
    model_provider: "openai",
  };
  return JSON.stringify({ timestamp: isoAt(startMs), type: "session_meta", payload });
}

function tokenCountLine(atMs: number, primaryPercent: number, weeklyPercent: number): string {
  const resetsAt = Math.floor(atMs / 1000);
  const rateLimits = {
    limit_id: "codex",
    limit_name: null,
    primary: { used_percent: primaryPercent, window_minutes: 300, resets_at: resetsAt + 3 * 3600 },
    secondary: { used_percent: weeklyPercent, window_minutes: 10080, resets_at: resetsAt + 4 * 86400 },
    credits: { has_credits: false, unlimited: false, balance: "0" },
    plan_type: "plus",
    rate_limit_reached_type: null,
  };
  const info = { total_token_usage: { input_tokens: 5120, output_tokens: 310, total_tokens: 5430 } };
  return JSON.stringify({
    timestamp: isoAt(atMs),
    type: "event_msg",
    payload: { type: "token_count", info, rate_limits: rateLimits },
  });
}

/** One tool round trip, a reasoning item, an answer and a token_count, as a busy turn writes them. */
function turnLines(atMs: number, turn: number): string[] {
  const at = isoAt(atMs);
  const callId = `call_${turn}`;
  const output = `src/checkout/tax.ts:${turn}: const total = round(subtotal * rate);\n`.repeat(24);
  const item = (payload: object) => JSON.stringify({ timestamp: at, type: "response_item", payload });
  return [
    item({ type: "reasoning", summary: [{ type: "summary_text", text: "Looking at how tax is rounded." }] }),
    item({ type: "function_call", name: "shell", arguments: '{"command":["rg","round("]}', call_id: callId }),
    item({ type: "function_call_output", call_id: callId, output: JSON.stringify({ output, metadata: {} }) }),
    item({ type: "message", role: "assistant", content: [{ type: "output_text", text: "Rounding happens twice." }] }),
    tokenCountLine(atMs, turn % 90, 40 + (turn % 50)),
  ];
}

function buildPaddingBlock(): Buffer {
  const lines: string[] = [];
  let bytes = 0;
  for (let turn = 0; bytes < PADDING_BLOCK_BYTES; turn++) {
    for (const line of turnLines(NEWEST_SESSION_START - DAY_MS + turn * 1000, turn)) {
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
    }
  }
  return Buffer.from(lines.join("\n") + "\n");
}

/** Whole padding blocks plus a prefix of one, cut at a line end, adding up to about `bytes`. */
function paddingBuffers(block: Buffer, bytes: number): Buffer[] {
  const buffers: Buffer[] = [];
  for (let left = bytes; left > 0; left -= block.length) {
    if (left >= block.length) {
      buffers.push(block);
      continue;
    }
    const cut = block.lastIndexOf(0x0a, left - 1);
    if (cut >= 0) buffers.push(block.subarray(0, cut + 1));
  }
  return buffers;
}

interface PlannedFile {
  file: string;
  id: string;
  startMs: number;
  mtimeMs: number;
  isNewest: boolean;
}

/**
 * File 0 is the oldest; the last one is the newest session. Sessions come at the same steady
 * rate in every home, so a larger home is a longer history, not a busier day.
 */
function planFiles(dir: string, files: number): PlannedFile[] {
  const spacingMs = DAY_MS / SESSIONS_PER_DAY;
  return Array.from({ length: files }, (_, index) => {
    const age = files - 1 - index;
    // Whole seconds, strictly older with age, so the newest file's mtime is unique.
    const startMs = NEWEST_SESSION_START - Math.ceil((age * spacingMs) / 1000) * 1000;
    const stamp = isoAt(startMs);
    const [year, month, day] = stamp.slice(0, 10).split("-");
    const id = uuidFor(index);
    const name = `rollout-${stamp.slice(0, 19).replace(/:/g, "-")}-${id}.jsonl`;
    const file = path.join(dir, "sessions", year, month, day, name);
    return { file, id, startMs, mtimeMs: startMs + 40 * 60_000, isNewest: age === 0 };
  });
}

async function writeBuffers(file: string, buffers: Buffer[]): Promise<void> {
  const handle = await open(file, "w");
  try {
    for (let index = 0; index < buffers.length; index += BUFFERS_PER_WRITEV) {
      await handle.writev(buffers.slice(index, index + BUFFERS_PER_WRITEV));
    }
  } finally {
    await handle.close();
  }
}

async function writeRollout(planned: PlannedFile, block: Buffer, bytesPerFile: number): Promise<void> {
  const header = Buffer.from(sessionMetaLine(planned.startMs, planned.id) + "\n");
  const closing = planned.isNewest ? NEWEST_SNAPSHOT_LINE : tokenCountLine(planned.mtimeMs - 1000, 20, 50);
  const footer = Buffer.from(closing + "\n");
  const padding = paddingBuffers(block, bytesPerFile - header.length - footer.length);
  await writeBuffers(planned.file, [header, ...padding, footer]);
  await utimes(planned.file, planned.mtimeMs / 1000, planned.mtimeMs / 1000);
}

async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Writes a synthetic Codex home under `dir` with `files` rollouts totalling about `totalBytes`.
 * The newest rollout (by folder and mtime) ends with sample A.
 */
export async function buildCodexHome(dir: string, files: number, totalBytes: number): Promise<void> {
  const planned = planFiles(dir, files);
  const folders = [...new Set(planned.map((entry) => path.dirname(entry.file)))];
  for (const folder of folders) await mkdir(folder, { recursive: true });
  const block = buildPaddingBlock();
  const bytesPerFile = Math.floor(totalBytes / Math.max(1, files));
  await runPool(planned, WRITE_CONCURRENCY, (entry) => writeRollout(entry, block, bytesPerFile));
}
