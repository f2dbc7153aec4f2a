import { LocalStorage } from "@raycast/api";
import { useCachedPromise } from "@raycast/utils";
import { loadActivity } from "../../billing/activity";

/** The probe-run log, newest first. */
export function useActivity() {
  const { data, isLoading, revalidate } = useCachedPromise(() => loadActivity(LocalStorage), [], {
    keepPreviousData: true,
  });
  return { activity: data ?? [], isLoading, revalidate };
}
