/**
 * What each launch finds in LocalStorage and the Cache: what the menu's launch every 5 minutes leaves there
 * after a week of use. The week's ledger and a fetched balance are written by the product's own modules
 * (`stored-week.ts`); one launch of the built menu on the home then adds what it reads there (its last good
 * caps, this launch's readings in the ledger, the cached inputs for the first paint). Every measured launch
 * starts from that state, so it has nothing new to record, like most launches of a steady user.
 */
import { isDeepStrictEqual } from "node:util";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CACHE_DIR } from "./build";
import type { HomeKind } from "./homes";
import { launchOnce, BENCH_NOW } from "./launches";
import type { StoredState } from "./launcher/raycast-api";
import { weekOfStorage } from "./stored-week";

const readState = (file: string) => JSON.parse(readFileSync(file, "utf8")) as StoredState;

/** The storage file a home's launches start from, primed by launching `bundle` once on it. */
export async function primeStorage(
  kind: HomeKind,
  launcher: string,
  bundle: string,
  preferences: Record<string, unknown>,
): Promise<string> {
  const dir = path.join(CACHE_DIR, "storage");
  mkdirSync(dir, { recursive: true });
  const week = path.join(dir, `${kind}-week.json`);
  const primed = path.join(dir, `${kind}.json`);
  const again = path.join(dir, `${kind}-again.json`);
  const seed: StoredState = { localStorage: await weekOfStorage(BENCH_NOW), cache: {} };
  writeFileSync(week, JSON.stringify(seed));
  await launchOnce(launcher, bundle, preferences, { storageIn: week, storageOut: primed });
  // A second launch from there must find nothing to change: else the launches would not all do the same work.
  await launchOnce(launcher, bundle, preferences, { storageIn: primed, storageOut: again });
  if (!isDeepStrictEqual(readState(primed).localStorage, readState(again).localStorage)) {
    throw new Error(`on the ${kind} home, a launch still changes LocalStorage after the priming launch`);
  }
  return primed;
}
