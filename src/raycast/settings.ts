import { getPreferenceValues } from "@raycast/api";
import { parseSettings, type RawPreferences, type Settings } from "../model/settings";

export function getSettings(): Settings {
  return parseSettings(getPreferenceValues<RawPreferences>());
}
