/**
 * What a steady user's LocalStorage holds after a week of Agent Limits: the Codex ledger (local history for
 * pace and runway) written by a menu launch every 5 minutes, and a balance fetched by a refresh an hour ago.
 * Written with the product's own `recordReadings` and `saveSource`, so it is exactly what they store.
 */
import { saveSource, type KeyValueStore } from "../../src/billing/storage";
import { recordReadings } from "../../src/history/ledger";
import type { CapWindow } from "../../src/model/types";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A LocalStorage in memory, as the product's modules use it. */
function memoryStore(map: Map<string, string>): KeyValueStore {
  return {
    getItem: async <T extends string | number | boolean>(key: string) => map.get(key) as T | undefined,
    setItem: async (key, value) => void map.set(key, String(value)),
    removeItem: async (key) => void map.delete(key),
  };
}

/** A refresh an hour before `now` fetched 412.5 Codex credits. */
async function storeFetchedBalance(store: KeyValueStore, now: number) {
  const credits = { balance: { kind: "codexCredits" as const, credits: 412.5 }, usable: true, updatedAt: now - HOUR };
  await saveSource(store, "codex", {
    credits,
    freshUntilCredits: null,
    caps: null,
    lastError: null,
    lastAttemptAt: null,
    coolDownUntil: null,
  });
}

/**
 * The week before `now` (up to 10 minutes before it): a launch every 5 minutes, the 5h window cycling, the
 * weekly one climbing, a new balance every 6 hours.
 */
async function recordSimulatedWeek(store: KeyValueStore, now: number) {
  const weekStart = now - 7 * DAY;
  for (let at = weekStart; at < now - 10 * MINUTE; at += 5 * MINUTE) {
    const fiveHourStart = weekStart + Math.floor((at - weekStart) / (5 * HOUR)) * 5 * HOUR;
    const windows: CapWindow[] = [
      {
        id: "5h",
        label: "5h",
        usedPercent: Math.min(100, ((at - fiveHourStart) / MINUTE) * 0.3),
        windowMinutes: 300,
        resetsAt: fiveHourStart + 5 * HOUR,
      },
      {
        id: "weekly",
        label: "Weekly",
        usedPercent: ((at - weekStart) / (7 * DAY)) * 60,
        windowMinutes: 10080,
        resetsAt: weekStart + 7 * DAY,
      },
    ];
    const caps = { windows, capturedAt: at, origin: "codex-session-log" as const };
    const balance =
      (at - weekStart) % (6 * HOUR) === 0 ? { at, amount: 900 - (at - weekStart) / HOUR, unit: "credits" } : null;
    await recordReadings(store, "codex", { caps, balance }, at);
  }
}

/** LocalStorage after a week of use: the fetched balance and the week's ledger. */
export async function weekOfStorage(now: number): Promise<Record<string, string>> {
  const map = new Map<string, string>();
  const store = memoryStore(map);
  await storeFetchedBalance(store, now);
  await recordSimulatedWeek(store, now);
  return Object.fromEntries(map);
}
