import { stat } from "node:fs/promises";
import type { Settings } from "../../model/settings";
import type { SourceId, TapStatus } from "../../model/types";
import { settingsOf } from "../../model/settings";
import { tapStatus } from "../../tap/status";
import type { LocalReading } from "../definition";
import { readClaudePlan } from "./credentials";
import { readClaudeTap, type ClaudeTapReading } from "./tap-file";

async function isFolder(folder: string) {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

const TAP_WAIT_HINT = "Caps appear after Claude Code's next response";

/**
 * Claude's free caps come from the opt-in status-line tap; without it, Refresh Billing is the
 * only source, and the menu offers both.
 */
export async function readLocalClaude(settings: Settings, sourceId: SourceId): Promise<LocalReading> {
  const { folder, folderIsDefault } = settingsOf(settings, sourceId);
  if (!(await isFolder(folder))) {
    // Without Claude Code there is nothing to say, unless the user pointed us at a folder that is not there.
    if (folderIsDefault) return { caps: null };
    return {
      caps: null,
      problem: { message: "Claude folder not found", hint: "Check the Claude Config Folder preference." },
    };
  }
  const [tap, { status, problem: statusProblem }, plan] = await Promise.all([
    readClaudeTap(folder),
    tapStatus(folder),
    readClaudePlan(folder),
  ]);
  return { ...tapReading(tap, status, statusProblem, sourceId), ...(plan ? { planName: plan } : {}) };
}

function tapReading(
  tap: ClaudeTapReading,
  status: TapStatus,
  statusProblem: string | undefined,
  sourceId: SourceId,
): LocalReading {
  if (tap.caps) return { caps: tap.caps, tapStatus: status };
  if (tap.problem) return { caps: null, tapStatus: status, problem: { message: tap.problem, hint: TAP_WAIT_HINT } };
  if (status === "unknown") {
    const message = `Status-line tap unknown: ${statusProblem ?? "its files could not be read"}`;
    return { caps: null, tapStatus: status, problem: { message, hint: "Check the Claude Config Folder" } };
  }
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
      action: { type: "refreshBilling", sources: [sourceId] },
    },
  };
}
