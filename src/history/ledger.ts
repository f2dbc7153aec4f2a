/**
 * The history in LocalStorage: one versioned key per source, read through a zod/mini schema like
 * every stored value. A damaged or oversized ledger is dropped (the next reading starts a new one),
 * never fatal.
 *
 * Concurrency: writes are read-modify-write, one at a time per source in this process. LocalStorage
 * has no compare-and-set, so across processes (a menu launch beside a refresh or the billing view)
 * the last writer wins. Every write is one whole, valid ledger, so a race can only drop a reading,
 * never damage the ledger; after writing, a writer reads back and merges its readings again into
 * whatever another process wrote meanwhile, which repairs most overlaps. A reading a race still
 * drops comes back at the next load while it is the newest: each load records the caps it reads
 * and the balance stored with the source again, and a reading already in the ledger costs nothing.
 */
import * as z from "zod/mini";
import type { KeyValueStore } from "../billing/storage";
import type { SourceId } from "../model/types";
import { AMOUNT_SERIES, packPoints, PERCENT_SERIES, unpackPoints } from "./packed";
import {
  EMPTY_HISTORY,
  MAX_POINTS_PER_SERIES,
  MAX_WINDOW_MINUTES,
  MAX_WINDOW_SERIES,
  historyOf,
  holdsAll,
  inTimeOrder,
  mergeHistories,
  normalizeHistory,
  type Readings,
  type SourceHistory,
} from "./readings";
import { oneAtATime } from "../billing/one-at-a-time";

const LEDGER_VERSION = 1;
export const ledgerKey = (source: SourceId) => `history-v${LEDGER_VERSION}:${source}`;

/** The stored ledger of one source stays under this many characters; older readings go first. */
export const MAX_LEDGER_CHARS = 48 * 1024;
/** Write, read back, merge again: a few rounds settle any realistic overlap of launches. */
const MAX_WRITE_ROUNDS = 3;

/** A series' readings, packed (see `packed.ts`): at most MAX_POINTS_PER_SERIES of about 24 characters. */
const packedSeries = (pattern: RegExp) => z.string().check(z.maxLength(MAX_POINTS_PER_SERIES * 32), z.regex(pattern));

const ledgerSchema = z.object({
  version: z.literal(LEDGER_VERSION),
  windows: z
    .array(
      z.object({
        id: z.string().check(z.minLength(1), z.maxLength(100)),
        minutes: z.number().check(z.positive(), z.maximum(MAX_WINDOW_MINUTES)),
        points: packedSeries(PERCENT_SERIES),
      }),
    )
    .check(z.maxLength(MAX_WINDOW_SERIES)),
  balance: z.nullable(
    z.object({ unit: z.string().check(z.minLength(1), z.maxLength(10)), points: packedSeries(AMOUNT_SERIES) }),
  ),
});

/** The stored ledger, or an empty one when it is missing, damaged, from another version or oversized. */
export function parseLedger(raw: unknown): SourceHistory {
  if (typeof raw !== "string" || raw.length > MAX_LEDGER_CHARS) return EMPTY_HISTORY;
  try {
    const parsed = ledgerSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return EMPTY_HISTORY;
    const { windows, balance } = parsed.data;
    return {
      windows: windows.map((series) => ({ ...series, points: inTimeOrder(unpackPoints(series.points)) })),
      balance: balance && { unit: balance.unit, points: inTimeOrder(unpackPoints(balance.points)) },
    };
  } catch {
    return EMPTY_HISTORY;
  }
}

function serialize(history: SourceHistory): string {
  return JSON.stringify({
    version: LEDGER_VERSION,
    windows: history.windows.map((series) => ({ ...series, points: packPoints(series.points) })),
    balance: history.balance && { unit: history.balance.unit, points: packPoints(history.balance.points) },
  });
}

/** The oldest quarter of the longest series goes, until the ledger fits its byte budget. */
function dropOldest(history: SourceHistory): SourceHistory {
  const series = [...history.windows, ...(history.balance ? [history.balance] : [])];
  const longest = series.reduce((a, b) => (b.points.length > a.points.length ? b : a));
  const trimmed = { ...longest, points: longest.points.slice(Math.ceil(longest.points.length / 4)) };
  return {
    windows: history.windows.map((window) => (window === longest ? { ...window, points: trimmed.points } : window)),
    balance: history.balance === longest ? { unit: history.balance.unit, points: trimmed.points } : history.balance,
  };
}

/** The history as stored: normalized and within the byte budget. */
function fitted(history: SourceHistory, now: number): { history: SourceHistory; text: string } {
  let current = normalizeHistory(history, now);
  let text = serialize(current);
  while (text.length > MAX_LEDGER_CHARS) {
    current = normalizeHistory(dropOldest(current), now);
    text = serialize(current);
  }
  return { history: current, text };
}

async function readRaw(store: KeyValueStore, source: SourceId): Promise<unknown> {
  try {
    return await store.getItem<string>(ledgerKey(source));
  } catch {
    return undefined;
  }
}

async function writeRaw(store: KeyValueStore, source: SourceId, text: string): Promise<boolean> {
  try {
    await store.setItem(ledgerKey(source), text);
    return true;
  } catch {
    return false;
  }
}

/** Adds one load's readings to the stored ledger; writes only when that changes it. */
async function record(store: KeyValueStore, source: SourceId, readings: Readings, now: number) {
  const additions = historyOf(readings, now);
  let raw = await readRaw(store, source);
  const stored = parseLedger(raw);
  // Most launches see nothing new (the same log line, the same balance): no merge, no write.
  // Pruning waits for the next write; readers only look at the time ranges they need.
  if (holdsAll(stored, additions)) return stored;
  let result = fitted(mergeHistories(stored, additions, now), now);
  for (let round = 0; round < MAX_WRITE_ROUNDS && result.text !== raw; round++) {
    if (!(await writeRaw(store, source, result.text))) break;
    // Another process may have written between our read and our write: merge into what is there now.
    raw = await readRaw(store, source);
    if (raw === result.text) break;
    result = fitted(mergeHistories(parseLedger(raw), additions, now), now);
  }
  return result.history;
}

/**
 * Records what a load or a refresh saw and returns the source's whole history, readings that could
 * not be stored included. Never rejects: storage that fails costs the history, never the menu.
 */
export function recordReadings(
  store: KeyValueStore,
  source: SourceId,
  readings: Readings,
  now: number,
): Promise<SourceHistory> {
  return oneAtATime(ledgerKey(source), () =>
    record(store, source, readings, now).catch(() => normalizeHistory(historyOf(readings, now), now)),
  );
}
