import type { Settings } from "../model/settings";
import { loadSource, type KeyValueStore } from "../billing/storage";
import { recordReadings } from "../history/ledger";
import { balanceOfSnapshot } from "../history/readings";
import { SOURCES } from "./registry";
import { buildSourceState, type SourceState } from "./state";

/**
 * Everything the menu shows, from local files and LocalStorage only. This is the menu bar's
 * whole data path: it never spawns a probe and never touches the network.
 */
export async function loadSourceStates(store: KeyValueStore, settings: Settings, now: number): Promise<SourceState[]> {
  return withHistory(store, await readSourceStates(store, settings, now), now);
}

/** The sources' states from their local files and stored records, before the local history. */
export async function readSourceStates(store: KeyValueStore, settings: Settings, now: number): Promise<SourceState[]> {
  return Promise.all(
    SOURCES.map(async (definition) => {
      const [local, loaded] = await Promise.all([definition.readLocal(settings), loadSource(store, definition.id)]);
      return buildSourceState(
        {
          source: definition.id,
          localCaps: local.caps,
          localProblem: local.problem,
          tapStatus: local.tapStatus,
          stored: loaded.stored,
          storageProblem: loaded.problem,
        },
        settings,
        now,
      );
    }),
  );
}

/** Records the caps and balance this load saw in the local history, and gives each state its history. */
async function withHistory(store: KeyValueStore, states: SourceState[], now: number): Promise<SourceState[]> {
  return Promise.all(
    states.map(async (state) => {
      const readings = { caps: state.snapshot.caps, balance: balanceOfSnapshot(state.snapshot.credits) };
      // Nothing to record and nothing to estimate: the history is not even read.
      if (!readings.caps && !readings.balance) return state;
      return { ...state, history: await recordReadings(store, state.source, readings, now) };
    }),
  );
}
