import { LaunchType, launchCommand, open, openExtensionPreferences } from "@raycast/api";
import type { MenuAction } from "../model/types";

export async function runMenuAction(action: MenuAction): Promise<void> {
  switch (action.type) {
    case "refreshBilling":
      return launchCommand({
        name: "refresh-billing",
        type: LaunchType.UserInitiated,
        context: { trigger: "Menu bar", ...(action.sources ? { sources: action.sources } : {}) },
      });
    case "openBilling":
      return launchCommand({
        name: "billing",
        type: LaunchType.UserInitiated,
        ...(action.intent ? { context: { intent: action.intent, source: action.source } } : {}),
      });
    case "openPreferences":
      return openExtensionPreferences();
    case "openUrl":
      return open(action.url);
  }
}
