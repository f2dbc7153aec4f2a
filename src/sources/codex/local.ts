import type { Settings } from "../../model/settings";
import type { SourceId } from "../../model/types";
import { settingsOf } from "../../model/settings";
import type { LocalReading } from "../definition";
import { readCodexCaps } from "./session-logs";

/** Codex caps from the newest session log: local files only, no network, no tokens. */
export async function readLocalCodex(settings: Settings, sourceId: SourceId): Promise<LocalReading> {
  const { folder, folderIsDefault } = settingsOf(settings, sourceId);
  const result = await readCodexCaps(folder);
  const notice = result.futureDated ? { notice: result.futureDated.message } : {};
  if (result.ok) return { caps: result.caps, ...notice };
  // Someone without Codex hears nothing about it, unless they pointed us at a folder that is not there.
  if (result.reason === "no-home" && folderIsDefault) return { caps: null };
  return { caps: null, problem: { message: result.message, hint: result.hint }, ...notice };
}
