import { Alert, confirmAlert, environment, LocalStorage, showToast, Toast, updateCommandMetadata } from "@raycast/api";
import { loadSourceStates } from "../sources/load";
import { billingSubtitle } from "../view/subtitle";
import type { Settings } from "../model/settings";
import { refreshConfirmation } from "../view/confirmation";
import type { SourceId } from "../model/types";
import { SOURCE_IDS } from "../sources/registry";
import { probeRunner } from "../billing/probe-runner";
import { refreshSources, type RefreshOutcome } from "../billing/refresh";
import { summarizeOutcomes } from "../view/refresh-summary";
import { refreshMenuBar } from "./menu-bar";
import { getSettings } from "./settings";

async function updateSubtitle(settings: Settings) {
  const now = Date.now();
  const states = await loadSourceStates(LocalStorage, settings, now);
  await updateCommandMetadata({ subtitle: billingSubtitle(states, settings, now) });
}

/**
 * The only path to the network: one confirmation naming the providers, then the probes
 * side by side, one toast with the outcome, and a menu-bar refresh.
 */
export async function confirmAndRefreshBilling(
  sources: readonly SourceId[] = SOURCE_IDS,
  trigger = "Refresh Billing command",
): Promise<RefreshOutcome[] | null> {
  const settings = getSettings();
  const copy = refreshConfirmation(sources, settings);
  const confirmed = await confirmAlert({
    title: copy.title,
    message: copy.message,
    primaryAction: { title: copy.primaryTitle, style: Alert.ActionStyle.Default },
  });
  if (!confirmed) return null;

  const toast = await showToast({ style: Toast.Style.Animated, title: "Refreshing billing…" });
  const outcomes = await refreshSources(sources, {
    store: LocalStorage,
    runProbe: probeRunner(environment.assetsPath, settings),
    ttlMs: settings.creditTtlMs,
    now: Date.now,
    trigger,
  });
  const summary = summarizeOutcomes(outcomes);
  toast.style = summary.success ? Toast.Style.Success : Toast.Style.Failure;
  toast.title = summary.title;
  toast.message = summary.message;
  await updateSubtitle(settings);
  await refreshMenuBar();
  return outcomes;
}
