import type { Settings } from "../model/settings";
import { loadSource, type KeyValueStore } from "../billing/storage";
import { SOURCES } from "./registry";
import { buildSourceState, type SourceState } from "./state";

/**
 * Everything the menu shows, from local files and LocalStorage only. This is the menu bar's
 * whole data path: it never spawns a probe and never touches the network.
 */
export async function loadSourceStates(store: KeyValueStore, settings: Settings, now: number): Promise<SourceState[]> {
  return Promise.all(
    SOURCES.map(async (definition) => {
      const [local, loaded] = await Promise.all([definition.readLocal(settings), loadSource(store, definition.id)]);
      return buildSourceState(
        {
          source: definition.id,
          localCaps: local.caps,
          localProblem: local.problem,
          tapStatus: local.tapStatus,
          localPlanName: local.planName,
          stored: loaded.stored,
          storageProblem: loaded.problem,
        },
        settings,
        now,
      );
    }),
  );
}
