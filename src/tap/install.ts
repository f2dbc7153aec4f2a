/**
 * Installs the opt-in Claude Code status-line tap (probes/claude_statusline_tap.sh), which saves the
 * `rate_limits` Claude Code pipes to its status line, then runs the user's previous status-line command.
 *
 * Only `statusLine` in settings.json changes, after a backup of the whole file. What changed is saved
 * (saved-state.ts) so that uninstall.ts can put back the original bytes. Pure Node fs; no Raycast API.
 */
import { readFile, stat } from "fs/promises";
import { ensurePrivateFolder, removeFiles, writeBackup, writeFileAtomic } from "./files";
import { TAP_SCRIPT_MODE, tapCommand, tapPaths, type TapPaths } from "./paths";
import { savePrevious, type SavedState } from "./saved-state";
import {
  changesOnlyStatusLine,
  differenceEdit,
  hasStatusLine,
  memberCount,
  readSettings,
  statusLineText,
  withStatusLine,
  type SettingsDocument,
} from "./settings-file";
import { isPlainObject, STATUS_LINE_KEY } from "./settings-json";
import {
  claudeFolderProblem,
  failureMessage,
  replaceSettings,
  sha256,
  type PlanResult,
  type TapPlan,
} from "./settings-write";
import { commandOf, describeStatusLine, isTapValue } from "./status-line-value";

export type InstallResult = { ok: true; changed: boolean; backupPath?: string } | { ok: false; message: string };

interface PreparedInstall {
  plan: TapPlan;
  paths: TapPaths;
  doc: SettingsDocument;
  newText: string;
  state: SavedState;
}

type Prepared = { ok: true; prepared: PreparedInstall } | { ok: false; message: string; leftAlone?: boolean };

async function tapSourceProblem(tapSource: string): Promise<string | null> {
  const stats = await stat(tapSource).catch(() => null);
  return stats?.isFile() ? null : `The tap script is missing: ${tapSource}`;
}

/** Copies the shipped tap unless an identical copy is there; true when the file changed. */
async function copyTapInto(paths: TapPaths, tapSource: string): Promise<boolean> {
  await ensurePrivateFolder(paths.folder);
  const source = await readFile(tapSource);
  const current = await readFile(paths.tapPath).catch(() => null);
  if (current?.equals(source)) return false;
  await writeFileAtomic(paths.tapPath, source, TAP_SCRIPT_MODE);
  return true;
}

function manualInstallHint(paths: TapPaths): string {
  const value = JSON.stringify({ type: "command", command: tapCommand(paths.tapPath) });
  return (
    `edit statusLine by hand: "statusLine": ${value}, and to keep your current status line, ` +
    `put its command into ${paths.previousCommandPath}`
  );
}

function previousStatusLineNote(before: unknown): string {
  if (before === undefined) return "You have no status line now; the tap prints nothing, so it stays empty.";
  if (commandOf(before)) {
    return `Your status line ${describeStatusLine(before)} keeps running after the tap, unchanged.`;
  }
  return `The current statusLine ${describeStatusLine(before)} is not a command; it is saved and restored on uninstall.`;
}

function installSummary(paths: TapPaths, doc: SettingsDocument, before: unknown): string {
  const edit = doc.exists ? "Back up and edit" : "Create";
  return [
    `Copy the status-line tap to ${paths.tapPath}.`,
    `${edit} ${paths.settingsPath}: statusLine → \`${tapCommand(paths.tapPath)}\`.`,
    previousStatusLineNote(before),
    "Claude Code then saves its rate limits to a local file on every status-line update; no network.",
  ].join("\n");
}

/** What uninstall needs to put the file back: the previous value, its text, and the exact undo edit. */
function savedState(doc: SettingsDocument, command: string, newText: string): SavedState {
  const hadStatusLine = hasStatusLine(doc);
  const valueText = statusLineText(doc);
  return {
    version: 2,
    installedCommand: command,
    hadStatusLine,
    ...(hadStatusLine ? { statusLine: doc.object[STATUS_LINE_KEY] } : {}),
    ...(valueText !== undefined ? { statusLineText: valueText } : {}),
    settingsExisted: doc.exists,
    ...(doc.exists && memberCount(doc) === 0 ? { emptyOriginalText: doc.text } : {}),
    installedSha256: sha256(newText),
    undo: differenceEdit(newText, doc.text),
    installedAt: new Date().toISOString(),
  };
}

async function prepareInstall(claudeConfigDir: string): Promise<Prepared> {
  const folderProblem = await claudeFolderProblem(claudeConfigDir);
  if (folderProblem) return { ok: false, message: folderProblem };
  const paths = tapPaths(claudeConfigDir);
  const read = await readSettings(paths.settingsPath);
  if (!read.ok) return { ok: false, message: `${read.problem}; ${manualInstallHint(paths)}`, leftAlone: true };
  const { doc } = read;
  const command = tapCommand(paths.tapPath);
  const before = hasStatusLine(doc) ? doc.object[STATUS_LINE_KEY] : undefined;
  const alreadyInstalled = isTapValue(before, command);
  const after = alreadyInstalled ? before : { ...(isPlainObject(before) ? before : {}), type: "command", command };
  const newText = alreadyInstalled ? doc.text : withStatusLine(doc, after);
  if (!alreadyInstalled && !changesOnlyStatusLine(doc.object, newText, after)) {
    const message = `settings.json could not be edited without touching other settings; ${manualInstallHint(paths)}`;
    return { ok: false, message, leftAlone: true };
  }
  const summary = alreadyInstalled
    ? "The status-line tap is already installed; nothing changes."
    : installSummary(paths, doc, before);
  const plan = { settingsPath: paths.settingsPath, tapPath: paths.tapPath, before, after, alreadyInstalled, summary };
  return { ok: true, prepared: { plan, paths, doc, newText, state: savedState(doc, command, newText) } };
}

/** What an install would change, for the confirmation. Touches nothing. Never throws. */
export async function planInstall(claudeConfigDir: string, tapSource: string): Promise<PlanResult> {
  try {
    const sourceProblem = await tapSourceProblem(tapSource);
    if (sourceProblem) return { ok: false, message: sourceProblem };
    const prepared = await prepareInstall(claudeConfigDir);
    return prepared.ok ? { ok: true, plan: prepared.prepared.plan } : { ok: false, message: prepared.message };
  } catch (error) {
    return { ok: false, message: failureMessage("plan", error) };
  }
}

/** Copies the tap and points statusLine at it, keeping the previous command running behind it. Never throws. */
export async function installTap(claudeConfigDir: string, tapSource: string): Promise<InstallResult> {
  try {
    const sourceProblem = await tapSourceProblem(tapSource);
    if (sourceProblem) return { ok: false, message: sourceProblem };
    const prepared = await prepareInstall(claudeConfigDir);
    if (!prepared.ok) {
      // With the tap in place, the hand edit the message describes works right away.
      if (prepared.leftAlone) await copyTapInto(tapPaths(claudeConfigDir), tapSource);
      return { ok: false, message: prepared.message };
    }
    const { plan, paths, doc, newText, state } = prepared.prepared;
    const tapChanged = await copyTapInto(paths, tapSource);
    if (plan.alreadyInstalled) return { ok: true, changed: tapChanged };
    const backupPath = doc.exists ? await writeBackup(paths.settingsPath, doc.text, new Date()) : undefined;
    await savePrevious(paths, { ...state, ...(backupPath ? { backupPath } : {}) });
    try {
      await replaceSettings(doc, paths.settingsPath, newText);
    } catch (error) {
      // Saved previous values without the settings edit would read as "changed since install".
      await removeFiles([paths.previousStatusLinePath, paths.previousCommandPath]);
      throw error;
    }
    return { ok: true, changed: true, ...(backupPath ? { backupPath } : {}) };
  } catch (error) {
    return { ok: false, message: failureMessage("install", error) };
  }
}
