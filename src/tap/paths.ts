/**
 * Where the Claude status-line tap keeps its files, under the Claude Code folder:
 *   settings.json                               `statusLine` = {"type":"command","command":"/bin/bash '<tap>'"}
 *   settings.json.agent-limits-backup-<time>    the settings file as it was before an install (kept)
 *   agent-limits/claude_statusline_tap.sh       the tap (run through /bin/bash, no run bit needed)
 *   agent-limits/previous-statusline.json       the previous `statusLine`, exactly, for uninstall
 *   agent-limits/previous-command               the previous command string, which the tap runs
 *   agent-limits/rate-limits.json               written by the tap, read by sources/claude/tap-file.ts
 *   agent-limits/rate-limits.seen               touched by the tap when the input repeats rate-limits.json
 */
import path from "path";

export const TAP_FOLDER_NAME = "agent-limits";
export const TAP_SCRIPT_NAME = "claude_statusline_tap.sh";
/** The installed tap: private, run through /bin/bash (the run bit is not needed, but harmless). */
export const TAP_SCRIPT_MODE = 0o700;
export const RATE_LIMITS_FILE_NAME = "rate-limits.json";
export const RATE_LIMITS_SEEN_FILE_NAME = "rate-limits.seen";
const SETTINGS_FILE_NAME = "settings.json";
const PREVIOUS_STATUSLINE_FILE_NAME = "previous-statusline.json";
const PREVIOUS_COMMAND_FILE_NAME = "previous-command";

export interface TapPaths {
  settingsPath: string;
  folder: string;
  tapPath: string;
  previousStatusLinePath: string;
  previousCommandPath: string;
  rateLimitsPath: string;
  rateLimitsSeenPath: string;
}

export function tapPaths(claudeConfigDir: string): TapPaths {
  const root = path.resolve(claudeConfigDir);
  const folder = path.join(root, TAP_FOLDER_NAME);
  return {
    settingsPath: path.join(root, SETTINGS_FILE_NAME),
    folder,
    tapPath: path.join(folder, TAP_SCRIPT_NAME),
    previousStatusLinePath: path.join(folder, PREVIOUS_STATUSLINE_FILE_NAME),
    previousCommandPath: path.join(folder, PREVIOUS_COMMAND_FILE_NAME),
    rateLimitsPath: path.join(folder, RATE_LIMITS_FILE_NAME),
    rateLimitsSeenPath: path.join(folder, RATE_LIMITS_SEEN_FILE_NAME),
  };
}

/** Single-quotes a word for /bin/sh, which is how Claude Code runs a status-line command. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line written into settings.json. */
export function tapCommand(tapPath: string): string {
  return `/bin/bash ${shellQuote(tapPath)}`;
}
