import { LOCAL_READERS } from "./local";
import { SOURCES } from "../model/types";
import type { Settings } from "../model/settings";
import { buildSourceState, type SourceState } from "./state";
import { loadSource, type KeyValueStore } from "../billing/storage";

/**
 * Everything the menu shows, from local files and LocalStorage only. This is the menu bar's
 * whole data path: it never spawns a probe and never touches the network.
 */
export async function loadSourceStates(store: KeyValueStore, settings: Settings, now: number): Promise<SourceState[]> {
  return Promise.all(
    SOURCES.map(async (source) => {
      const [local, loaded] = await Promise.all([LOCAL_READERS[source](settings), loadSource(store, source)]);
      return buildSourceState(
        {
          source,
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
