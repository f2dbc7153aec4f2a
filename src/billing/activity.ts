import * as z from "zod/mini";
import type { RefreshOutcome } from "./outcome";
import { instantSchema } from "../model/schemas";
import type { KeyValueStore } from "./storage";
import { oneAtATime } from "./one-at-a-time";

/** Every probe run, kept so the user can see that nothing runs behind their back. */
export const ACTIVITY_KEY = "activity-v1";
export const ACTIVITY_LIMIT = 50;

const activitySchema = z.object({
  at: instantSchema,
  /** A registry id; an entry of a source the registry no longer has is shown by its id. */
  source: z.string().check(z.minLength(1), z.maxLength(40)),
  /** Null when no request left the Mac (not set up, cooling down, failed before the request). */
  host: z.nullable(z.string().check(z.maxLength(255))),
  outcome: z.string().check(z.maxLength(300)),
  durationMs: z.number().check(z.nonnegative()),
  trigger: z.string().check(z.maxLength(100)),
});
export type ActivityEntry = z.infer<typeof activitySchema>;

/** Whether a request left the machine for this outcome; a failure before its request did not (refresh.ts). */
export function touchedNetwork(outcome: RefreshOutcome): boolean {
  return outcome.status === "updated" || (outcome.status === "failed" && outcome.requestSent);
}

export function describeActivity(outcome: RefreshOutcome): string {
  switch (outcome.status) {
    case "updated":
      return "updated";
    case "failed":
      return `failed: ${outcome.error.message}${outcome.error.httpStatus ? ` (HTTP ${outcome.error.httpStatus})` : ""}`;
    case "notSetUp":
      return "skipped: not set up";
    case "coolingDown":
      return "skipped: rate limited";
  }
}

/** A log this long cannot have been written by the extension (50 entries of a few hundred bytes). */
const MAX_ACTIVITY_CHARS = 256 * 1024;

/** The stored log, or an empty one when it is missing, damaged, from another version or oversized. */
export async function loadActivity(store: KeyValueStore): Promise<ActivityEntry[]> {
  try {
    const raw = await store.getItem<string>(ACTIVITY_KEY);
    if (typeof raw !== "string" || raw.length > MAX_ACTIVITY_CHARS) return [];
    const parsed = z.array(activitySchema).check(z.maxLength(ACTIVITY_LIMIT)).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * Newest first, capped at ACTIVITY_LIMIT. Appends run one after another: each is a read-modify-write
 * of the whole log, so two refreshes finishing together would otherwise drop one's entries.
 */
export function appendActivity(store: KeyValueStore, entries: ActivityEntry[]): Promise<void> {
  return oneAtATime(ACTIVITY_KEY, async () => {
    const kept = [...entries, ...(await loadActivity(store))].slice(0, ACTIVITY_LIMIT);
    await store.setItem(ACTIVITY_KEY, JSON.stringify(kept));
  });
}

/** The newest entry that actually contacted a provider. */
export function lastNetworkActivity(entries: ActivityEntry[]): ActivityEntry | null {
  return entries.find((entry) => entry.host !== null) ?? null;
}
