/**
 * Keeps an installed status-line tap at the version this extension ships. Claude Code runs the copy in
 * the Claude folder (`agent-limits/claude_statusline_tap.sh`), which an extension update does not touch;
 * a fix to the tap reaches the user only when that copy is replaced. Only the copy changes, and only when
 * settings.json still runs it and it is our plain file: never settings.json, never through a link.
 */
import { lstat } from "fs/promises";
import { readRegularFile, withDeadline } from "./bounded-read";
import { writeFileAtomic } from "./files";
import { TAP_SCRIPT_MODE, tapCommand, tapPaths } from "./paths";
import { readStatusLineSetting } from "./settings-json";
import { claudeFolderProblem } from "./settings-write";
import { isTapValue } from "./status-line-value";

/** The tap is a few KiB; a larger file there is not one we wrote. */
const MAX_TAP_BYTES = 256 * 1024;
const UPDATE_TIME_BUDGET_MS = 2000;

/** `updated`: replaced by the shipped version; `current`: already it; `not-installed`: left alone. */
export type TapUpdate = "updated" | "current" | "not-installed" | "left-alone";

async function isPlainFile(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => null))?.isFile() ?? false;
}

async function update(claudeConfigDir: string, tapSource: string): Promise<TapUpdate> {
  if (await claudeFolderProblem(claudeConfigDir)) return "not-installed";
  const paths = tapPaths(claudeConfigDir);
  const settings = await readStatusLineSetting(paths.settingsPath);
  if (!settings.ok || !isTapValue(settings.statusLine, tapCommand(paths.tapPath))) return "not-installed";
  // A link or a special file in our folder was not put there by the installer: it is not replaced.
  if (!(await isPlainFile(paths.tapPath))) return "left-alone";
  const [shipped, installed] = await Promise.all([
    readRegularFile(tapSource, MAX_TAP_BYTES),
    readRegularFile(paths.tapPath, MAX_TAP_BYTES),
  ]);
  if (!shipped.ok || !installed.ok) return "left-alone";
  if (installed.bytes.equals(shipped.bytes)) return "current";
  await writeFileAtomic(paths.tapPath, shipped.bytes, TAP_SCRIPT_MODE);
  return "updated";
}

/** Replaces an installed tap that differs from `tapSource`. Never throws, never takes longer than its budget. */
export function updateInstalledTap(claudeConfigDir: string, tapSource: string): Promise<TapUpdate> {
  return withDeadline(
    update(claudeConfigDir, tapSource).catch((): TapUpdate => "left-alone"),
    UPDATE_TIME_BUDGET_MS,
    () => "left-alone",
  );
}
