/**
 * What the tap status needs of Claude Code's settings.json, read the way Claude Code reads it: a strict
 * `JSON.parse` of a bounded, regular file. Editing the file (settings-file.ts) needs a parse tree and
 * jsonc-parser; telling whether the tap is installed does not, so the menu bar's bundle leaves it out.
 */
import { decodeUtf8, describeReadFailure, readRegularFile } from "./bounded-read";

export const STATUS_LINE_KEY = "statusLine";
/** Claude Code's settings are a few KiB; anything past this is not read. */
export const MAX_SETTINGS_BYTES = 1024 * 1024;

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The `statusLine` Claude Code would run: `{ ok: true, statusLine }` (undefined when there is none, when
 * the file is missing, or when it is not a JSON object Claude Code would accept), or `{ ok: false }` with
 * why the file could not be read at all. Never throws, never hangs.
 */
export async function readStatusLineSetting(
  settingsPath: string,
): Promise<{ ok: true; statusLine: unknown } | { ok: false; problem: string }> {
  const read = await readRegularFile(settingsPath, MAX_SETTINGS_BYTES);
  if (!read.ok) {
    if (read.reason === "missing") return { ok: true, statusLine: undefined };
    return { ok: false, problem: describeReadFailure("settings.json", read, MAX_SETTINGS_BYTES) };
  }
  const text = decodeUtf8(read.bytes);
  if (text === null) return { ok: true, statusLine: undefined };
  try {
    const object: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    return { ok: true, statusLine: isPlainObject(object) ? object[STATUS_LINE_KEY] : undefined };
  } catch {
    // Claude Code ignores settings that are not JSON: no status line runs.
    return { ok: true, statusLine: undefined };
  }
}
