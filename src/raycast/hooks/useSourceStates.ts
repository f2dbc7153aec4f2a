import { LocalStorage } from "@raycast/api";
import { useCachedState, usePromise } from "@raycast/utils";
import { loadSourceStates } from "../../sources/load";
import type { Settings } from "../../model/settings";
import type { SourceState } from "../../sources/state";

/**
 * The sources' states, cached per settings so the menu paints at once from the last render while
 * local files are read again. `useCachedPromise` would do the same but hashes the loader's source
 * and the settings on every render, which cost the menu bar's cold launch about 3 ms of 40
 * (`npm run bench`). A key holding folder paths is fine: Cache keys are any string.
 */
export function useSourceStates(settings: Settings, onData?: (states: SourceState[]) => void) {
  const [cached, setCached] = useCachedState<SourceState[] | undefined>(
    `source-states:${JSON.stringify(settings)}`,
    undefined,
  );
  const { isLoading, error, revalidate } = usePromise(
    (current: Settings) => loadSourceStates(LocalStorage, current, Date.now()),
    [settings],
    {
      failureToastOptions: { title: "Could not read usage data" },
      onData: (states) => {
        setCached(states);
        onData?.(states);
      },
    },
  );
  return { states: cached ?? [], isLoading, error, revalidate };
}
