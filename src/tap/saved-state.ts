/**
 * agent-limits/previous-statusline.json: what the install changed, so that uninstall can put it back.
 * Written by install, read by uninstall and by the tap status (which reads it with the same care as
 * settings.json: regular files only, size-capped, time-bounded).
 */
import { rm } from "fs/promises";
import * as z from "zod/mini";
import { decodeUtf8, describeReadFailure, readRegularFile } from "./bounded-read";
import { PRIVATE_FILE_MODE, writeFileAtomic } from "./files";
import type { TapPaths } from "./paths";
import { MAX_SETTINGS_BYTES } from "./settings-json";
import { commandOf } from "./status-line-value";

const SAVED_STATE_NAME = "agent-limits/previous-statusline.json";
const count = z.number().check(z.int(), z.nonnegative());

const SavedStateSchema = z.object({
  version: z.literal(2),
  installedCommand: z.string(),
  hadStatusLine: z.boolean(),
  /** The previous value, exactly; absent when there was none. */
  statusLine: z.optional(z.unknown()),
  /** Its source text, so that uninstall restores it byte for byte even after other edits. */
  statusLineText: z.optional(z.string()),
  settingsExisted: z.boolean(),
  /** The whole original file when it had no members (blank or `{}`), restored when it is empty again. */
  emptyOriginalText: z.optional(z.string()),
  /** SHA-256 of settings.json as the install wrote it ... */
  installedSha256: z.string(),
  /** ... and the edit that turns exactly that text back into the original. */
  undo: z.object({ offset: count, length: count, content: z.string() }),
  backupPath: z.optional(z.string()),
  installedAt: z.string(),
});

export type SavedState = z.infer<typeof SavedStateSchema>;

/** state null: nothing (or nothing usable) was recorded. problem: the file could not be read at all. */
export interface SavedStateRead {
  state: SavedState | null;
  problem?: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function readSavedState(file: string): Promise<SavedStateRead> {
  const read = await readRegularFile(file, MAX_SETTINGS_BYTES);
  if (!read.ok) {
    if (read.reason === "missing") return { state: null };
    return { state: null, problem: describeReadFailure(SAVED_STATE_NAME, read, MAX_SETTINGS_BYTES) };
  }
  const text = decodeUtf8(read.bytes);
  const parsed = SavedStateSchema.safeParse(text === null ? undefined : parseJson(text));
  return { state: parsed.success ? parsed.data : null };
}

/** Writes the saved state, and the previous command the tap runs (removed when there is none). */
export async function savePrevious(paths: TapPaths, state: SavedState): Promise<void> {
  await writeFileAtomic(paths.previousStatusLinePath, `${JSON.stringify(state, null, 2)}\n`, PRIVATE_FILE_MODE);
  const previousCommand = commandOf(state.statusLine);
  if (previousCommand === null) await rm(paths.previousCommandPath, { force: true });
  else await writeFileAtomic(paths.previousCommandPath, previousCommand, PRIVATE_FILE_MODE);
}
