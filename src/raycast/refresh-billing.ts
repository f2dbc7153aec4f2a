import { Alert, confirmAlert, environment, LocalStorage, showToast, Toast, updateCommandMetadata } from "@raycast/api";
import { loadSource } from "../billing/storage";
import { buildSourceState } from "../sources/state";
import { billingSubtitle } from "../view/subtitle";
import type { Settings } from "../model/settings";
import { refreshConfirmation } from "../view/confirmation";
import type { CapsSnapshot, SourceId } from "../model/types";
import { SOURCE_IDS, SOURCES } from "../sources/registry";
import { probeRunner } from "../billing/probe-runner";
import { refreshSources, type RefreshOutcome } from "../billing/refresh";
import { summarizeOutcomes } from "../view/refresh-summary";
import { refreshMenuBar } from "./menu-bar";
import { getSettings } from "./settings";

/** Every source's local caps (files only, no process), read while the probes run. */
function readLocalCaps(settings: Settings): Promise<(CapsSnapshot | null)[]> {
  return Promise.all(
    SOURCES.map((definition) =>
      definition.readLocal(settings).then(
        (reading) => reading.caps,
        () => null,
      ),
    ),
  );
}

/** The root-search subtitle from what the refresh stored and the local caps read meanwhile. */
async function updateSubtitle(settings: Settings, localCaps: Promise<(CapsSnapshot | null)[]>) {
  const caps = await localCaps;
  const now = Date.now();
  const states = await Promise.all(
    SOURCES.map(async (definition, index) => {
      const { stored } = await loadSource(LocalStorage, definition.id);
      return buildSourceState({ source: definition.id, localCaps: caps[index], stored }, settings, now);
    }),
  );
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
  const refreshed = refreshSources(sources, {
    store: LocalStorage,
    runProbe: probeRunner(environment.assetsPath, settings),
    ttlMs: settings.creditTtlMs,
    now: Date.now,
    trigger,
  });
  // Read while the probes wait on the network, so the subtitle costs only a storage read afterwards.
  const localCaps = readLocalCaps(settings);
  const outcomes = await refreshed;
  const summary = summarizeOutcomes(outcomes);
  toast.style = summary.success ? Toast.Style.Success : Toast.Style.Failure;
  toast.title = summary.title;
  toast.message = summary.message;
  await updateSubtitle(settings, localCaps);
  await refreshMenuBar();
  return outcomes;
}
