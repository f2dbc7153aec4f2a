/**
 * Removes the status-line tap: statusLine goes back to exactly what it was (the original bytes when
 * settings.json is still as the install left it), the tap's files go, the backups stay.
 * Refuses when statusLine no longer runs the tap: the user changed it since, and that change wins.
 */
import { rmdir } from "fs/promises";
import { isDeepStrictEqual } from "util";
import { removeFiles } from "./files";
import { tapCommand, tapPaths, type TapPaths } from "./paths";
import { readSavedState, type SavedState } from "./saved-state";
import {
  applyEdit,
  changesOnlyStatusLine,
  memberCount,
  readSettings,
  withStatusLine,
  withStatusLineText,
  type SettingsDocument,
} from "./settings-file";
import { STATUS_LINE_KEY } from "./settings-json";
import {
  claudeFolderProblem,
  deleteSettings,
  failureMessage,
  replaceSettings,
  sha256,
  type PlanResult,
  type TapPlan,
} from "./settings-write";
import { describeStatusLine, isTapValue } from "./status-line-value";

export type UninstallResult = { ok: true; changed: boolean } | { ok: false; message: string };

/** The value settings.json should end up with: present with a value, or absent. */
type Target = { present: true; value: unknown; sourceText?: string } | { present: false };

interface PreparedUninstall {
  plan: TapPlan;
  paths: TapPaths;
  doc: SettingsDocument;
  /** Null: nothing to change in settings.json. "delete": remove the file the install created. */
  newText: string | null | "delete";
}

type Prepared = { ok: true; prepared: PreparedUninstall } | { ok: false; message: string };

function restoreTarget(state: SavedState | null): Target {
  if (!state?.hadStatusLine) return { present: false };
  return { present: true, value: state.statusLine, sourceText: state.statusLineText };
}

function parsesTo(text: string, value: unknown): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(text), value);
  } catch {
    return false;
  }
}

/** The previous value back in place of the tap: its saved source text when that still says the same. */
function restoredText(doc: SettingsDocument, target: Target): string | null {
  if (!target.present) return withStatusLine(doc, undefined);
  if (target.sourceText !== undefined && parsesTo(target.sourceText, target.value)) {
    return withStatusLineText(doc, target.sourceText);
  }
  return withStatusLine(doc, target.value);
}

/** The text settings.json gets back; null when it cannot be restored without touching other settings. */
function uninstallText(doc: SettingsDocument, state: SavedState | null, target: Target): string | "delete" | null {
  const value = target.present ? target.value : undefined;
  const verified = (text: string | null) =>
    text !== null && changesOnlyStatusLine(doc.object, text, value) ? text : null;
  // Untouched since the install: the original bytes come back exactly.
  if (state && sha256(doc.text) === state.installedSha256) {
    return state.settingsExisted ? verified(applyEdit(doc.text, state.undo)) : "delete";
  }
  // Settings that hold only the tap go back to the memberless file (or no file) the install started from.
  const onlyTapLeft = !target.present && memberCount(doc) === 1;
  if (onlyTapLeft && state && !state.settingsExisted) return "delete";
  if (onlyTapLeft && state?.emptyOriginalText !== undefined) return verified(state.emptyOriginalText);
  return verified(restoredText(doc, target));
}

function uninstallSummary(paths: TapPaths, state: SavedState | null, target: Target): string {
  const restore = target.present
    ? `statusLine goes back to ${describeStatusLine(target.value)}.`
    : `statusLine is removed${state ? " (there was none before)" : " (the previous value was not recorded)"}.`;
  return [`Edit ${paths.settingsPath}: ${restore}`, `Remove the tap and the files it saved from ${paths.folder}.`].join(
    "\n",
  );
}

async function prepareUninstall(claudeConfigDir: string): Promise<Prepared> {
  const folderProblem = await claudeFolderProblem(claudeConfigDir);
  if (folderProblem) return { ok: false, message: folderProblem };
  const paths = tapPaths(claudeConfigDir);
  const read = await readSettings(paths.settingsPath);
  if (!read.ok) return { ok: false, message: `${read.problem}; edit statusLine by hand` };
  const { doc } = read;
  const saved = await readSavedState(paths.previousStatusLinePath);
  if (saved.problem) return { ok: false, message: `${saved.problem}; edit statusLine by hand` };
  const { state } = saved;
  const before = doc.object[STATUS_LINE_KEY];
  const base = { settingsPath: paths.settingsPath, tapPath: paths.tapPath, before };
  if (!isTapValue(before, tapCommand(paths.tapPath))) {
    if (state) {
      const now = before === undefined ? "removed" : `now ${describeStatusLine(before)}`;
      return { ok: false, message: `statusLine was changed since the tap was installed (${now}); left as it is.` };
    }
    const plan = { ...base, after: before, alreadyInstalled: false, summary: "The status-line tap is not installed." };
    return { ok: true, prepared: { plan, paths, doc, newText: null } };
  }
  const target = restoreTarget(state);
  const newText = uninstallText(doc, state, target);
  if (newText === null) {
    const value = target.present ? JSON.stringify(target.value) : "nothing (remove it)";
    return { ok: false, message: `settings.json could not be restored safely; edit statusLine by hand: ${value}` };
  }
  const after = target.present ? target.value : undefined;
  const plan = { ...base, after, alreadyInstalled: true, summary: uninstallSummary(paths, state, target) };
  return { ok: true, prepared: { plan, paths, doc, newText } };
}

/** What an uninstall would change, for the confirmation. Touches nothing. Never throws. */
export async function planUninstall(claudeConfigDir: string): Promise<PlanResult> {
  try {
    const prepared = await prepareUninstall(claudeConfigDir);
    return prepared.ok ? { ok: true, plan: prepared.prepared.plan } : { ok: false, message: prepared.message };
  } catch (error) {
    return { ok: false, message: failureMessage("plan removing", error) };
  }
}

/** Restores the previous statusLine exactly; refuses when statusLine no longer runs the tap. Never throws. */
export async function uninstallTap(claudeConfigDir: string): Promise<UninstallResult> {
  try {
    const prepared = await prepareUninstall(claudeConfigDir);
    if (!prepared.ok) return prepared;
    const { paths, doc, newText } = prepared.prepared;
    if (newText === null) return { ok: true, changed: false };
    if (newText === "delete") await deleteSettings(doc, paths.settingsPath);
    else await replaceSettings(doc, paths.settingsPath, newText);
    await removeFiles([
      paths.previousStatusLinePath,
      paths.previousCommandPath,
      paths.tapPath,
      paths.rateLimitsPath,
      paths.rateLimitsSeenPath,
    ]);
    await rmdir(paths.folder).catch(() => undefined);
    return { ok: true, changed: true };
  } catch (error) {
    return { ok: false, message: failureMessage("remove", error) };
  }
}
