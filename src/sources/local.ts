import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readClaudeTap } from "./claude/tap-file";
import { readCodexCaps } from "./codex/session-logs";
import type { CapsSnapshot, SourceId } from "../model/types";
import type { Settings } from "../model/settings";
import type { LocalProblem } from "./state";
import { tapStatus, type TapStatus } from "../tap/statusline";

export interface LocalReading {
  caps: CapsSnapshot | null;
  problem?: LocalProblem;
  tapStatus?: TapStatus;
}

/** Codex caps from the newest session log: local files only, no network, no tokens. */
export async function readLocalCodex(settings: Settings): Promise<LocalReading> {
  const result = await readCodexCaps(settings.codexHome);
  if (result.ok) return { caps: result.caps };
  // Someone without Codex hears nothing about it, unless they pointed us at a folder that is not there.
  if (result.reason === "no-home" && isDefaultFolder(settings.codexHome, ".codex")) return { caps: null };
  return { caps: null, problem: { message: result.message, hint: result.hint } };
}

function isDefaultFolder(folder: string, name: string): boolean {
  return folder === path.join(os.homedir(), name);
}

async function isFolder(folder: string) {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Claude's free caps come from the opt-in status-line tap; without it, Refresh Billing is the
 * only source, and the menu offers both.
 */
export async function readLocalClaude(settings: Settings): Promise<LocalReading> {
  if (!(await isFolder(settings.claudeConfigDir))) {
    // Without Claude Code there is nothing to say, unless the user pointed us at a folder that is not there.
    if (isDefaultFolder(settings.claudeConfigDir, ".claude")) return { caps: null };
    return {
      caps: null,
      problem: { message: "Claude folder not found", hint: "Check the Claude Config Folder preference." },
    };
  }
  const [tap, status] = await Promise.all([
    readClaudeTap(settings.claudeConfigDir),
    tapStatus(settings.claudeConfigDir),
  ]);
  if (tap.caps) return { caps: tap.caps, tapStatus: status };
  if (tap.problem) return { caps: null, tapStatus: status, problem: { message: tap.problem, hint: TAP_WAIT_HINT } };
  if (status === "installed") {
    return {
      caps: null,
      tapStatus: status,
      problem: { message: "Waiting for Claude Code's status line", hint: TAP_WAIT_HINT },
    };
  }
  return {
    caps: null,
    tapStatus: status,
    problem: {
      message: "No Claude data yet",
      hint: "Refresh Billing fetches Claude's caps and extra usage",
      action: { type: "refreshBilling", sources: ["claude"] },
    },
  };
}

const TAP_WAIT_HINT = "Caps appear after Claude Code's next response";

export const LOCAL_READERS: Record<SourceId, (settings: Settings) => Promise<LocalReading>> = {
  codex: readLocalCodex,
  claude: readLocalClaude,
};
