import { LocalStorage } from "@raycast/api";
import { usePromise } from "@raycast/utils";
import { loadActivity } from "../../billing/activity";

/**
 * The probe-run log, newest first, read from LocalStorage (where it is parsed) on every open: it is
 * not cached, so no unchecked copy of it is ever shown.
 */
export function useActivity() {
  const { data, isLoading, revalidate } = usePromise(() => loadActivity(LocalStorage), []);
  return { activity: data ?? [], isLoading, revalidate };
}
