import { LocalStorage } from "@raycast/api";
import { usePromise } from "@raycast/utils";
import { useMemo, useState } from "react";
import { deriveStates, loadSourceInputs } from "../../sources/load";
import type { Settings } from "../../model/settings";
import type { SourceState } from "../../sources/state";
import { readCachedInputs, writeCachedInputs } from "../cache";

/**
 * The sources' states. The menu paints at once from the inputs the last load cached (checked before
 * use), while local files are read again. States are derived from the inputs with the settings and the
 * clock of the render that first sees them, so the cached ones are judged by the current settings; a
 * render that brings neither new inputs nor new settings (usePromise's loading flag) reuses them.
 * Loading never fails and ends within the load budget.
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
  const inputs = data ?? cached;
  const states = useMemo(() => deriveStates(inputs ?? [], settings, Date.now()), [inputs, settings]);
  return { states, isLoading, revalidate };
}
