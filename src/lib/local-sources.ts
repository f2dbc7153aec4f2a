import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readCodexCaps } from "./codex-sessions";
import type { CapsSnapshot, SourceId } from "./model";
import type { Settings } from "./settings";
import type { LocalProblem } from "./sources";

export interface LocalReading {
  caps: CapsSnapshot | null;
  problem?: LocalProblem;
}

/** Codex caps from the newest session log: local files only, no network, no tokens. */
export async function readLocalCodex(settings: Settings): Promise<LocalReading> {
  const result = await readCodexCaps(settings.codexHome);
  if (result.ok) return { caps: result.caps };
  return { caps: null, problem: { message: result.message, hint: result.hint } };
}

async function isFolder(folder: string) {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

/** Claude has no free caps source yet: point a Claude Code user at Refresh Billing. */
export async function readLocalClaude(settings: Settings): Promise<LocalReading> {
  if (!(await isFolder(settings.claudeConfigDir))) {
    // Without Claude Code there is nothing to say, unless the user pointed us at a folder that is not there.
    if (settings.claudeConfigDir === path.join(os.homedir(), ".claude")) return { caps: null };
    return {
      caps: null,
      problem: { message: "Claude folder not found", hint: "Check the Claude Config Folder preference." },
    };
  }
  return {
    caps: null,
    problem: {
      message: "No Claude data yet",
      hint: "Refresh Billing fetches Claude's caps and extra usage",
      action: { type: "refreshBilling" },
    },
  };
}

export const LOCAL_READERS: Record<SourceId, (settings: Settings) => Promise<LocalReading>> = {
  codex: readLocalCodex,
  claude: readLocalClaude,
};
