import * as z from "zod/mini";
import type { CapsSnapshot, CreditReading, SourceId } from "../model/types";
import { capsSnapshotSchema, creditReadingSchema, instantSchema, probeErrorSchema } from "../model/schemas";
import { oneAtATime } from "./one-at-a-time";

/** The subset of Raycast's LocalStorage this module needs, so it stays testable without Raycast. */
export interface KeyValueStore {
  getItem<T extends string | number | boolean>(key: string): Promise<T | undefined>;
  setItem(key: string, value: string | number | boolean): Promise<void>;
  removeItem(key: string): Promise<void>;
}

export type ProbeError = z.infer<typeof probeErrorSchema>;

/** What one source keeps across relaunches (SPEC §5). */
export interface StoredSource {
  /** The last good balance; a failed refresh never clears it. */
  credits: CreditReading | null;
  /** updatedAt + TTL at the time of the fetch; readers recompute it with the current TTL. */
  freshUntilCredits: number | null;
  /** Caps the billing probe returned. */
  caps: CapsSnapshot | null;
  lastError: ProbeError | null;
  lastAttemptAt: number | null;
  /** No probe for this source before this instant (HTTP 429). */
  coolDownUntil: number | null;
}

const STORAGE_VERSION = 2;
export const storageKey = (source: SourceId) => `source-v${STORAGE_VERSION}:${source}`;

/** A StoredSource as any reader parses it back: the menu's cache holds these too. */
export const storedSourceSchema = z.object({
  credits: z.nullable(creditReadingSchema),
  freshUntilCredits: z.nullable(z.number()),
  caps: z.nullable(capsSnapshotSchema),
  lastError: z.nullable(probeErrorSchema),
  lastAttemptAt: z.nullable(instantSchema),
  coolDownUntil: z.nullable(instantSchema),
});
const storedRecordSchema = z.extend(storedSourceSchema, { version: z.literal(STORAGE_VERSION) });

export const EMPTY_SOURCE: StoredSource = {
  credits: null,
  freshUntilCredits: null,
  caps: null,
  lastError: null,
  lastAttemptAt: null,
  coolDownUntil: null,
};

export interface LoadedSource {
  stored: StoredSource;
  /** Set when the stored value was unreadable and was ignored. */
  problem?: string;
}

/** Stored values larger than this are not parsed: nothing the extension writes comes close. */
const MAX_STORED_CHARS = 256 * 1024;

export function parseStoredSource(raw: unknown): LoadedSource {
  if (raw === undefined) return { stored: EMPTY_SOURCE };
  if (typeof raw !== "string" || raw.length > MAX_STORED_CHARS) {
    return { stored: EMPTY_SOURCE, problem: "Stored billing data was unreadable and was ignored." };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { stored: EMPTY_SOURCE, problem: "Stored billing data was corrupt and was ignored." };
  }
  const parsed = storedRecordSchema.safeParse(json);
  if (!parsed.success) {
    return { stored: EMPTY_SOURCE, problem: "Stored billing data is from another version and was ignored." };
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { version, ...stored } = parsed.data;
  return { stored };
}

export async function loadSource(store: KeyValueStore, source: SourceId): Promise<LoadedSource> {
  try {
    return parseStoredSource(await store.getItem<string>(storageKey(source)));
  } catch {
    return { stored: EMPTY_SOURCE, problem: "Stored billing data could not be read." };
  }
}

/** One `setItem` per source: a reader sees either the old or the new whole record, never a mix. */
export async function saveSource(store: KeyValueStore, source: SourceId, stored: StoredSource): Promise<void> {
  await store.setItem(storageKey(source), JSON.stringify({ version: STORAGE_VERSION, ...stored }));
}

/**
 * Read-modify-write of one source's record, one at a time per source in this process: the
 * update sees the record as the previous update left it, so two refreshes finishing together
 * cannot drop each other's balance. `update` gets the current record (EMPTY_SOURCE when damaged).
 */
export function updateSource<T>(
  store: KeyValueStore,
  source: SourceId,
  update: (current: StoredSource) => { next: StoredSource; result: T },
): Promise<T> {
  return oneAtATime(storageKey(source), async () => {
    const { stored } = await loadSource(store, source);
    const { next, result } = update(stored);
    await saveSource(store, source, next);
    return result;
  });
}
