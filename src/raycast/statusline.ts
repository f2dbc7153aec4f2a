import path from "node:path";
import { Alert, confirmAlert, environment, LocalStorage, showToast, Toast } from "@raycast/api";
import { showFailureToast } from "@raycast/utils";
import { refreshMenuBar } from "./menu-bar";
import type { SourceId } from "../model/types";
import { forgetLastGood } from "../sources/last-good";
import { installTap, planInstall } from "../tap/install";
import { TAP_SCRIPT_NAME } from "../tap/paths";
import { planUninstall, uninstallTap } from "../tap/uninstall";
import { updateInstalledTap } from "../tap/update";
import { settingsOf, type Settings } from "../model/settings";
import { SOURCES } from "../sources/registry";

function shippedTapPath(): string {
  return path.join(environment.assetsPath, "probes", TAP_SCRIPT_NAME);
}

/** Shows exactly what will change in Claude's settings, then installs the tap. No network. */
export async function confirmAndInstallTap(claudeConfigDir: string): Promise<boolean> {
  const planned = await planInstall(claudeConfigDir, shippedTapPath());
  if (!planned.ok) {
    await showFailureToast(planned.message, { title: "Could not install the status-line tap" });
    return false;
  }
  if (planned.plan.alreadyInstalled) {
    await showToast({ style: Toast.Style.Success, title: "The status-line tap is already installed" });
    return false;
  }
  const confirmed = await confirmAlert({
    title: "Install the Claude Status-Line Tap?",
    message: `${planned.plan.summary}\n\nYour status line looks as before. Nothing is sent anywhere; a backup of settings.json is written first.`,
    primaryAction: { title: "Install", style: Alert.ActionStyle.Default },
  });
  if (!confirmed) return false;
  const result = await installTap(claudeConfigDir, shippedTapPath());
  if (!result.ok) {
    await showFailureToast(result.message, { title: "Could not install the status-line tap" });
    return false;
  }
  await showToast({
    style: Toast.Style.Success,
    title: "Status-line tap installed",
    message: "Claude's caps appear after its next response",
  });
  await refreshMenuBar();
  return true;
}

/**
 * Shows what goes back, then restores the previous status line exactly. The source's last tap caps
 * are forgotten: kept, they would be shown with their age as if the tap might write again.
 */
export async function confirmAndUninstallTap(claudeConfigDir: string, source: SourceId): Promise<boolean> {
  const planned = await planUninstall(claudeConfigDir);
  if (!planned.ok) {
    await showFailureToast(planned.message, { title: "Could not uninstall the status-line tap" });
    return false;
  }
  const confirmed = await confirmAlert({
    title: "Uninstall the Claude Status-Line Tap?",
    message: planned.plan.summary,
    primaryAction: { title: "Uninstall", style: Alert.ActionStyle.Destructive },
  });
  if (!confirmed) return false;
  const result = await uninstallTap(claudeConfigDir);
  if (!result.ok) {
    await showFailureToast(result.message, { title: "Could not uninstall the status-line tap" });
    return false;
  }
  await forgetLastGood(LocalStorage, source);
  await showToast({ style: Toast.Style.Success, title: "Status-line tap uninstalled" });
  await refreshMenuBar();
  return true;
}

/**
 * Brings every installed tap to this version's (an extension update does not touch the copy Claude Code
 * runs), and says so when one changed. Local files only; settings.json is never touched.
 */
export async function updateInstalledTaps(settings: Settings): Promise<void> {
  const folders = SOURCES.filter((source) => source.statusLineTap).map(
    (source) => settingsOf(settings, source.id).folder,
  );
  const results = await Promise.all(folders.map((folder) => updateInstalledTap(folder, shippedTapPath())));
  if (results.includes("updated")) {
    await showToast({ style: Toast.Style.Success, title: "Status-line tap updated to this version" });
  }
}
