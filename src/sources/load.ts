import { performance } from "node:perf_hooks";
import { settingsOf, type Settings } from "../model/settings";
import { capsSnapshotSchema } from "../model/schemas";
import type { CapsSnapshot } from "../model/types";
import { EMPTY_SOURCE, loadSource, type KeyValueStore, type LoadedSource } from "../billing/storage";
import { withinBudget, type Bounded } from "./budget";
import type { LocalProblem, LocalReading, SourceDefinition } from "./definition";
import { isNewReading, loadLastGood, saveLastGood, type LastGoodReading } from "./last-good";
import { recordReadings } from "../history/ledger";
import { balanceOfSnapshot } from "../history/readings";
import { SOURCES } from "./registry";
import { buildSourceState, snapshotOf, type SourceInputs, type SourceState } from "./state";

/**
 * How long one source may take to load: its local read and its stored records. A reader stuck on a
 * special file or a slow disk costs its own source this much at most, and never hides another source.
 */
export const SOURCE_LOAD_BUDGET_MS = 1500;

const RETRY_HINT = "Trying again at the next refresh";
const KEPT_HINT = "Showing the last caps read; trying again at the next refresh";

/** `(EIO)` for a file-system error, nothing for anything else: an error's message may hold a path. */
function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && /^[A-Z0-9_]{1,24}$/.test(code) ? ` (${code})` : "";
}

function readFailure(name: string, outcome: Bounded<unknown>, kept: boolean): LocalProblem {
  const message =
    outcome.status === "timedOut"
      ? `Reading ${name}'s folder took too long`
      : `Could not read ${name}'s folder${outcome.status === "failed" ? errorCode(outcome.error) : ""}`;
  return { message, hint: kept ? KEPT_HINT : RETRY_HINT };
}

type LocalInputs = Pick<
  SourceInputs,
  "localCaps" | "localProblem" | "tapStatus" | "localPlanName" | "localNotice" | "localCapsKept" | "localReadFailed"
>;

/** New caps when the read gave some; otherwise the last good ones, if any, and why there are no new ones. */
function localInputs(name: string, reading: Bounded<LocalReading>, kept: CapsSnapshot | null): LocalInputs {
  const keptFlag = kept ? { localCapsKept: true } : {};
  if (reading.status !== "done") {
    return {
      localCaps: kept,
      localProblem: readFailure(name, reading, kept !== null),
      localReadFailed: true,
      ...keptFlag,
    };
  }
  const { caps, problem, tapStatus, planName, notice } = reading.value;
  const plan = { ...(planName ? { localPlanName: planName } : {}), ...(notice ? { localNotice: notice } : {}) };
  if (caps) return { localCaps: caps, localProblem: problem, tapStatus, ...plan };
  return { localCaps: kept, localProblem: problem, tapStatus, ...plan, ...keptFlag };
}

/**
 * A reader's answer, checked: readers are the project's own code, but the menu must not depend on
 * every one of them being perfect. Caps that could not be stored or cached count as a failed read.
 */
async function checkedReading(definition: SourceDefinition, settings: Settings): Promise<LocalReading> {
  const reading: unknown = await definition.readLocal(settings);
  if (typeof reading !== "object" || reading === null) throw new Error("the reader gave no reading");
  const { caps } = reading as LocalReading;
  if (caps !== null && !capsSnapshotSchema.safeParse(caps).success) throw new Error("the reader gave unusable caps");
  return reading as LocalReading;
}

/** Remembers a new good reading, within what is left of the source's budget. */
async function rememberReading(
  store: KeyValueStore,
  definition: SourceDefinition,
  reading: LastGoodReading,
  stored: LastGoodReading | null,
  budgetMs: number,
) {
  if (isNewReading(reading, stored)) await withinBudget(() => saveLastGood(store, definition.id, reading), budgetMs);
}

async function loadOneSource(definition: SourceDefinition, store: KeyValueStore, settings: Settings) {
  const started = performance.now();
  const [reading, lastGood, billing] = await Promise.all([
    withinBudget(() => checkedReading(definition, settings), SOURCE_LOAD_BUDGET_MS),
    withinBudget(() => loadLastGood(store, definition.id), SOURCE_LOAD_BUDGET_MS),
    withinBudget(() => loadSource(store, definition.id), SOURCE_LOAD_BUDGET_MS),
  ]);
  const folder = settingsOf(settings, definition.id).folder;
  const stored = lastGood.status === "done" ? lastGood.value : null;
  const kept = stored && stored.folder === folder ? stored.caps : null;
  if (reading.status === "done" && reading.value.caps) {
    const left = SOURCE_LOAD_BUDGET_MS - (performance.now() - started);
    await rememberReading(store, definition, { folder, caps: reading.value.caps }, stored, left);
  }
  const loaded: LoadedSource =
    billing.status === "done"
      ? billing.value
      : { stored: EMPTY_SOURCE, problem: "Stored billing data could not be read." };
  const inputs: SourceInputs = {
    source: definition.id,
    folder,
    ...localInputs(definition.name, reading, kept),
    stored: loaded.stored,
  };
  if (loaded.problem) inputs.storageProblem = loaded.problem;
  return inputs;
}

/**
 * What the menu shows, from local files and LocalStorage only: the menu bar's whole data path. It
 * never spawns a probe, never touches the network, writes only the extension's own LocalStorage, and
 * never rejects. Each source loads on its own, within SOURCE_LOAD_BUDGET_MS.
 */
export function loadSourceInputs(
  store: KeyValueStore,
  settings: Settings,
  now: number = Date.now(),
): Promise<SourceInputs[]> {
  return Promise.all(
    SOURCES.map(async (definition) =>
      withHistory(store, await loadOneSource(definition, store, settings), settings, now),
    ),
  );
}

/** How long recording a reading in the local history may add to a source's load. */
const HISTORY_BUDGET_MS = 500;

/**
 * Records the caps and balance this load shows in the local history (`src/history`) and gives the
 * source its history, for pace and runway. A ledger that cannot be read or written in time costs only
 * the estimates.
 */
async function withHistory(
  store: KeyValueStore,
  inputs: SourceInputs,
  settings: Settings,
  now: number,
): Promise<SourceInputs> {
  const snapshot = snapshotOf(inputs, settings, now);
  const readings = { caps: snapshot.caps, balance: balanceOfSnapshot(snapshot.credits) };
  // Nothing to record and nothing to estimate: the history is not even read.
  if (!readings.caps && !readings.balance) return inputs;
  const history = await withinBudget(() => recordReadings(store, inputs.source, readings, now), HISTORY_BUDGET_MS);
  return history.status === "done" ? { ...inputs, history: history.value } : inputs;
}

/** The states the menu and the billing view show, derived from the inputs with the current settings and time. */
export function deriveStates(inputs: readonly SourceInputs[], settings: Settings, now: number): SourceState[] {
  return inputs.map((source) => buildSourceState(source, settings, now));
}
