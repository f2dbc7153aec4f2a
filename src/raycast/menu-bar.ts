import { launchCommand, LaunchType } from "@raycast/api";

/** Lets the menu bar show new data at once; it throws when the menu bar command is disabled. */
export async function refreshMenuBar(): Promise<void> {
  try {
    await launchCommand({ name: "menu-bar", type: LaunchType.Background });
  } catch {
    // The menu bar command is disabled: nothing to update.
  }
}
