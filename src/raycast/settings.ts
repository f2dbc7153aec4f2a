import { getPreferenceValues } from "@raycast/api";
import { parseSettings, type Settings } from "../model/settings";
import { SOURCES } from "../sources/registry";

export function getSettings(): Settings {
  return parseSettings(getPreferenceValues<Preferences>(), SOURCES);
}
