import { LocalStorage } from "@raycast/api";
import { useCachedPromise } from "@raycast/utils";
import { loadSourceStates } from "../../sources/load";
import type { Settings } from "../../model/settings";
import type { SourceState } from "../../sources/state";

/**
 * The sources' states, cached so the menu paints at once from the last render while
 * local files are read again.
 */
export function useSourceStates(settings: Settings, onData?: (states: SourceState[]) => void) {
  const { data, isLoading, error, revalidate } = useCachedPromise(
    (current: Settings) => loadSourceStates(LocalStorage, current, Date.now()),
    [settings],
    { keepPreviousData: true, failureToastOptions: { title: "Could not read usage data" }, onData },
  );
  return { states: data ?? [], isLoading, error, revalidate };
}
