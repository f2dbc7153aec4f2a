import { LocalStorage } from "@raycast/api";
import { usePromise } from "@raycast/utils";
import { useState } from "react";
import { deriveStates, loadSourceInputs } from "../../sources/load";
import type { Settings } from "../../model/settings";
import type { SourceState } from "../../sources/state";
import { readCachedInputs, writeCachedInputs } from "../cache";

/**
 * The sources' states. The menu paints at once from the inputs the last load cached (checked before
 * use), while local files are read again; states are derived on every render, so the cached ones
 * are judged by the current settings and clock. Loading never fails and ends within the load budget.
 */
export function useSourceStates(settings: Settings, onData?: (states: SourceState[]) => void) {
  const [cached] = useState(() => readCachedInputs(settings));
  const { data, isLoading, revalidate } = usePromise(
    async (current: Settings) => {
      const inputs = await loadSourceInputs(LocalStorage, current);
      writeCachedInputs(inputs);
      return inputs;
    },
    [settings],
    {
      failureToastOptions: { title: "Could not read usage data" },
      onData: onData && ((inputs) => onData(deriveStates(inputs, settings, Date.now()))),
    },
  );
  return { states: deriveStates(data ?? cached ?? [], settings, Date.now()), isLoading, revalidate };
}
