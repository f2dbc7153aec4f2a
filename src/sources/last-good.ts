/**
 * The last good local caps reading of each source, kept in the extension's LocalStorage so that a
 * passing read failure (a folder briefly unreadable, a read that stalls) shows the old caps with
 * their age instead of nothing.
 */
import * as z from "zod/mini";
import type { KeyValueStore } from "../billing/storage";
import { capsSnapshotSchema } from "../model/schemas";
import type { CapsSnapshot, SourceId } from "../model/types";

const LAST_GOOD_VERSION = 1;
export const lastGoodKey = (source: SourceId) => `last-local-v${LAST_GOOD_VERSION}:${source}`;

/** A record this long cannot have been written by the extension (50 windows take a few KiB). */
const MAX_LAST_GOOD_CHARS = 32 * 1024;
const MAX_FOLDER_CHARS = 4096;

const lastGoodSchema = z.object({
  version: z.literal(LAST_GOOD_VERSION),
  folder: z.string().check(z.maxLength(MAX_FOLDER_CHARS)),
  caps: capsSnapshotSchema,
});

export interface LastGoodReading {
  /** The folder the caps were read from: after the folder preference changes, they no longer apply. */
  folder: string;
  caps: CapsSnapshot;
}

function parseLastGood(raw: unknown): LastGoodReading | null {
  if (typeof raw !== "string" || raw.length > MAX_LAST_GOOD_CHARS) return null;
  try {
    const parsed = lastGoodSchema.safeParse(JSON.parse(raw));
    return parsed.success ? { folder: parsed.data.folder, caps: parsed.data.caps } : null;
  } catch {
    return null;
  }
}

/** The stored reading, or null when there is none or it is damaged, oversized or from another version. */
export async function loadLastGood(store: KeyValueStore, source: SourceId): Promise<LastGoodReading | null> {
  try {
    return parseLastGood(await store.getItem<string>(lastGoodKey(source)));
  } catch {
    return null;
  }
}

/** Whether `reading` says something `stored` does not: only then is it worth a write. */
export function isNewReading(reading: LastGoodReading, stored: LastGoodReading | null): boolean {
  return !stored || stored.folder !== reading.folder || stored.caps.capturedAt !== reading.caps.capturedAt;
}

/** Saves one whole record; a reading that could not be read back (too large, out of range) is not saved. */
export async function saveLastGood(store: KeyValueStore, source: SourceId, reading: LastGoodReading): Promise<void> {
  const record = { version: LAST_GOOD_VERSION, folder: reading.folder, caps: reading.caps };
  const text = JSON.stringify(record);
  if (text.length > MAX_LAST_GOOD_CHARS || !lastGoodSchema.safeParse(record).success) return;
  await store.setItem(lastGoodKey(source), text);
}

/** Removes the source's record, e.g. once its caps can no longer come back (the tap was uninstalled). */
export async function forgetLastGood(store: KeyValueStore, source: SourceId): Promise<void> {
  await store.removeItem(lastGoodKey(source));
}
