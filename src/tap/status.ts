/**
 * Whether the status-line tap is installed, for the menu (which asks on every render). Reads settings.json
 * and previous-statusline.json the safe way (bounded-read.ts) within a time budget; a status that cannot
 * be determined is "unknown", with the reason, never a throw and never a wait.
 */
import { stat } from "fs/promises";
import type { TapStatus } from "../model/types";
import { withDeadline } from "./bounded-read";
import { tapCommand, tapPaths } from "./paths";
import { readSavedState } from "./saved-state";
import { readStatusLineSetting } from "./settings-json";
import { claudeFolderProblem } from "./settings-write";
import { isTapValue } from "./status-line-value";

/** The whole status, every file included, takes at most this long. */
const STATUS_TIME_BUDGET_MS = 1000;

export interface TapStatusReading {
  status: TapStatus;
  /** Why the status is "unknown". */
  problem?: string;
}

async function isRegularFile(file: string): Promise<boolean> {
  // stat, not open: it never waits on a FIFO.
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}

async function readStatus(claudeConfigDir: string): Promise<TapStatusReading> {
  if (await claudeFolderProblem(claudeConfigDir)) return { status: "no-claude" };
  const paths = tapPaths(claudeConfigDir);
  const [settings, saved] = await Promise.all([
    readStatusLineSetting(paths.settingsPath),
    readSavedState(paths.previousStatusLinePath),
  ]);
  if (!settings.ok) return { status: "unknown", problem: settings.problem };
  const ours = isTapValue(settings.statusLine, tapCommand(paths.tapPath));
  if (ours) return { status: (await isRegularFile(paths.tapPath)) ? "installed" : "modified" };
  if (saved.problem) return { status: "unknown", problem: saved.problem };
  return { status: saved.state ? "modified" : "not-installed" };
}

/** The tap's status. Never throws, never takes longer than its budget. */
export function tapStatus(claudeConfigDir: string): Promise<TapStatusReading> {
  const failed = (problem: string): TapStatusReading => ({ status: "unknown", problem });
  return withDeadline(
    readStatus(claudeConfigDir).catch((error: NodeJS.ErrnoException) =>
      failed(`Can't read ${claudeConfigDir} (${error?.code ?? error})`),
    ),
    STATUS_TIME_BUDGET_MS,
    () => failed(`Reading ${claudeConfigDir} took too long`),
  );
}
