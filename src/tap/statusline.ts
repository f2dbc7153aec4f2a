/**
 * Installs and removes the opt-in Claude Code status-line tap (probes/claude_statusline_tap.sh), which saves the
 * `rate_limits` Claude Code pipes to its status line, then runs the user's previous status-line command.
 *
 * Layout under the Claude Code folder:
 *   settings.json                               `statusLine` = {"type":"command","command":"/bin/bash '<tap>'"}
 *   settings.json.agent-limits-backup-<time>    the settings file as it was before an install (kept)
 *   agent-limits/claude_statusline_tap.sh       the tap (run through /bin/bash, no run bit needed)
 *   agent-limits/previous-statusline.json       the previous `statusLine`, exactly, for uninstall
 *   agent-limits/previous-command               the previous command string, which the tap runs
 *   agent-limits/rate-limits.json               written by the tap, read by claude-tap.ts
 * Uninstall removes the agent-limits files (and the folder when empty) and keeps the backups.
 *
 * settings.json is edited as text: only the `statusLine` member changes, so every other byte stays as it was.
 * Pure Node fs; no Raycast API.
 */
import type { Stats } from "fs";
import { chmod, mkdir, open, readFile, realpath, rename, rm, rmdir, stat } from "fs/promises";
import path from "path";
import { isDeepStrictEqual } from "util";
import * as z from "zod/mini";
import type { TapStatus } from "../model/types";
import { RATE_LIMITS_FILE_NAME, TAP_FOLDER_NAME } from "../sources/claude/tap-file";

export const TAP_SCRIPT_NAME = "claude_statusline_tap.sh";
const SETTINGS_FILE_NAME = "settings.json";
const PREVIOUS_STATUSLINE_FILE_NAME = "previous-statusline.json";
const PREVIOUS_COMMAND_FILE_NAME = "previous-command";
const BACKUP_INFIX = ".agent-limits-backup-";

const STATUS_LINE_KEY = "statusLine";
const DEFAULT_INDENT = "  ";
const PRIVATE_FOLDER_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;
const TAP_SCRIPT_MODE = 0o700;

interface TapPlan {
  settingsPath: string;
  tapPath: string;
  /** The current `statusLine` value, undefined when there is none. */
  before: unknown;
  /** The value after the change, undefined when the key is removed. */
  after: unknown;
  alreadyInstalled: boolean;
  /** What will change, for a confirmation. */
  summary: string;
}

export type PlanResult = { ok: true; plan: TapPlan } | { ok: false; message: string };
export type InstallResult = { ok: true; changed: boolean; backupPath?: string } | { ok: false; message: string };
export type UninstallResult = { ok: true; changed: boolean } | { ok: false; message: string };

export interface TapPaths {
  settingsPath: string;
  folder: string;
  tapPath: string;
  previousStatusLinePath: string;
  previousCommandPath: string;
  rateLimitsPath: string;
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

// ---------------------------------------------------------------------------------------------------------------
// Reading settings.json: the parsed object plus where each top-level member sits in the text.

type JsonObject = Record<string, unknown>;

interface Member {
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

interface TopLevel {
  openBrace: number;
  closeBrace: number;
  members: Member[];
}

interface SettingsDocument {
  exists: boolean;
  /** The file's exact text; empty when it does not exist. */
  text: string;
  object: JsonObject;
  /** Null for a blank file, which counts as `{}`. */
  layout: TopLevel | null;
  mode: number;
}

type LoadResult = { ok: true; doc: SettingsDocument } | { ok: false; message: string };

const BOM = "\uFEFF";

function withoutBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** The line a JSON.parse error points at; V8 names a position or, in newer versions, a line. */
function jsonErrorLine(text: string, error: unknown): number | null {
  const message = error instanceof Error ? error.message : "";
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line) return Number(line[1]);
  const position = /at position (\d+)/.exec(message);
  if (position) return lineAt(text, Number(position[1]));
  if (/end of JSON input/i.test(message)) return lineAt(text, text.length);
  return null;
}

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && /\s/.test(text[index])) index++;
  return index;
}

function stringEnd(text: string, quote: number): number {
  for (let index = quote + 1; index < text.length; index++) {
    if (text[index] === "\\") index++;
    else if (text[index] === '"') return index + 1;
  }
  return text.length;
}

function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== "{" && first !== "[") {
    let index = start;
    while (index < text.length && !/[\s,\]}]/.test(text[index])) index++;
    return index;
  }
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === '"') index = stringEnd(text, index) - 1;
    else if (char === "{" || char === "[") depth++;
    else if ((char === "}" || char === "]") && --depth === 0) return index + 1;
  }
  return text.length;
}

/** Locates the top-level members of text that JSON.parse already accepted as an object. */
function scanTopLevel(text: string): TopLevel {
  const openBrace = skipWhitespace(text, text.startsWith(BOM) ? 1 : 0);
  const members: Member[] = [];
  let index = skipWhitespace(text, openBrace + 1);
  while (text[index] === '"') {
    const keyStart = index;
    const keyEnd = stringEnd(text, keyStart);
    const valueStart = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    const end = valueEnd(text, valueStart);
    members.push({
      key: JSON.parse(text.slice(keyStart, keyEnd)) as string,
      keyStart,
      keyEnd,
      valueStart,
      valueEnd: end,
    });
    index = skipWhitespace(text, end);
    if (text[index] === ",") index = skipWhitespace(text, index + 1);
  }
  return { openBrace, closeBrace: index, members };
}

function parseSettingsText(text: string): { ok: true; object: JsonObject } | { ok: false; message: string } {
  if (withoutBom(text).trim() === "") return { ok: true, object: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutBom(text));
  } catch (error) {
    const line = jsonErrorLine(text, error);
    return { ok: false, message: `settings.json is not plain JSON${line === null ? "" : ` (line ${line})`}` };
  }
  if (!isPlainObject(parsed)) return { ok: false, message: "settings.json does not hold a JSON object" };
  return { ok: true, object: parsed };
}

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await stat(file);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function loadSettings(settingsPath: string): Promise<LoadResult> {
  const bytes = await readIfExists(settingsPath);
  const text = bytes?.toString("utf8") ?? "";
  // Writing back decoded text would turn invalid bytes elsewhere in the file into U+FFFD.
  if (bytes && !Buffer.from(text, "utf8").equals(bytes))
    return { ok: false, message: "settings.json is not valid UTF-8" };
  const exists = bytes !== null;
  const parsed = parseSettingsText(text);
  if (!parsed.ok) return parsed;
  const layout = withoutBom(text).trim() === "" ? null : scanTopLevel(text);
  const mode = ((await statOrNull(settingsPath))?.mode ?? PRIVATE_FILE_MODE) & 0o777;
  return { ok: true, doc: { exists, text, object: parsed.object, layout, mode } };
}

// ---------------------------------------------------------------------------------------------------------------
// Editing the `statusLine` member as text.

/** The value settings.json should end up with: present with a value, or absent. */
type Target = { present: true; value: unknown; sourceText?: string } | { present: false };

interface TextStyle {
  /** One indentation step, or null for a one-line (compact) file. */
  indentUnit: string | null;
  eol: string;
}

function leadingIndent(text: string, index: number): string {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  const indent = text.slice(lineStart, index);
  return /^[ \t]*$/.test(indent) ? indent : "";
}

const DEFAULT_STYLE: TextStyle = { indentUnit: DEFAULT_INDENT, eol: "\n" };

function detectStyle(text: string, layout: TopLevel | null): TextStyle {
  const first = layout?.members[0];
  if (!layout || !first) return DEFAULT_STYLE;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const gap = text.slice(layout.openBrace + 1, first.keyStart);
  if (!gap.includes("\n")) return { indentUnit: null, eol };
  const indent = leadingIndent(text, first.keyStart);
  return { indentUnit: indent === "" ? null : indent, eol };
}

function formatValue(value: unknown, style: TextStyle, baseIndent: string): string {
  if (style.indentUnit === null) return JSON.stringify(value);
  return JSON.stringify(value, null, style.indentUnit).split("\n").join(`${style.eol}${baseIndent}`);
}

/** The saved source text when it still says the same, so that a restore is byte for byte. */
function targetText(target: Target & { present: true }, style: TextStyle, baseIndent: string): string {
  if (target.sourceText !== undefined && isDeepStrictEqual(parseOrUndefined(target.sourceText), target.value)) {
    return target.sourceText;
  }
  return formatValue(target.value, style, baseIndent);
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function lastMember(layout: TopLevel, key: string): Member | undefined {
  return [...layout.members].reverse().find((member) => member.key === key);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function replaceValue(doc: SettingsDocument, member: Member, target: Target & { present: true }): string {
  const { text } = doc;
  const oldValue = text.slice(member.valueStart, member.valueEnd);
  const fileStyle = detectStyle(text, doc.layout);
  const keepsOneLine = !oldValue.includes("\n") && /^[{[]/.test(oldValue);
  const style = keepsOneLine ? { ...fileStyle, indentUnit: null } : fileStyle;
  const value = targetText(target, style, leadingIndent(text, member.keyStart));
  return splice(text, member.valueStart, member.valueEnd, value);
}

function insertMember(doc: SettingsDocument, target: Target & { present: true }): string {
  const key = JSON.stringify(STATUS_LINE_KEY);
  const layout = doc.layout;
  const member = `${key}: ${targetText(target, DEFAULT_STYLE, DEFAULT_INDENT)}`;
  if (!layout) return `{\n${DEFAULT_INDENT}${member}\n}\n`;
  const first = layout.members[0];
  if (!first) return splice(doc.text, layout.openBrace, layout.closeBrace + 1, `{\n${DEFAULT_INDENT}${member}\n}`);
  const gap = doc.text.slice(layout.openBrace + 1, first.keyStart);
  const separator = doc.text.slice(first.keyEnd, first.valueStart);
  const value = targetText(target, detectStyle(doc.text, layout), leadingIndent(doc.text, first.keyStart));
  return splice(doc.text, layout.openBrace + 1, layout.openBrace + 1, `${gap}${key}${separator}${value},`);
}

/** Removes a member with the separators an insertion after `{` would have added, so a round trip is exact. */
function removeMember(doc: SettingsDocument, member: Member): string {
  const { members, openBrace, closeBrace } = doc.layout as TopLevel;
  const index = members.indexOf(member);
  if (members.length === 1) return splice(doc.text, openBrace, closeBrace + 1, "{}");
  if (index < members.length - 1) return splice(doc.text, member.keyStart, members[index + 1].keyStart, "");
  return splice(doc.text, members[index - 1].valueEnd, member.valueEnd, "");
}

function sameOtherMembers(before: JsonObject, after: JsonObject): boolean {
  const others = (object: JsonObject) => Object.keys(object).filter((key) => key !== STATUS_LINE_KEY);
  const keys = others(before);
  if (!isDeepStrictEqual(keys, others(after))) return false;
  return keys.every((key) => isDeepStrictEqual(before[key], after[key]));
}

function meetsTarget(before: JsonObject, text: string, target: Target): boolean {
  const parsed = parseSettingsText(text);
  if (!parsed.ok || !sameOtherMembers(before, parsed.object)) return false;
  if (!target.present) return !Object.prototype.hasOwnProperty.call(parsed.object, STATUS_LINE_KEY);
  return isDeepStrictEqual(parsed.object[STATUS_LINE_KEY], target.value);
}

function reserialize(doc: SettingsDocument, target: Target): string {
  const object: JsonObject = { ...doc.object };
  if (target.present) object[STATUS_LINE_KEY] = target.value;
  else delete object[STATUS_LINE_KEY];
  const { indentUnit } = detectStyle(doc.text, doc.layout);
  const bom = doc.text.startsWith(BOM) ? BOM : "";
  const newline = doc.text.endsWith("\n") || !doc.exists ? "\n" : "";
  return `${bom}${JSON.stringify(object, null, indentUnit ?? undefined)}${newline}`;
}

function editedSettings(doc: SettingsDocument, target: Target): string {
  const member = doc.layout ? lastMember(doc.layout, STATUS_LINE_KEY) : undefined;
  let text: string;
  if (target.present) text = member ? replaceValue(doc, member, target) : insertMember(doc, target);
  else text = member ? removeMember(doc, member) : doc.text;
  return meetsTarget(doc.object, text, target) ? text : reserialize(doc, target);
}

// ---------------------------------------------------------------------------------------------------------------
// Files: atomic writes, backups and the saved previous value.

/** Writes through a temp file in the same folder plus rename; a symlinked file keeps its link. */
async function writeFileAtomic(file: string, content: string | Buffer, mode: number): Promise<void> {
  let target = file;
  try {
    target = await realpath(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.agent-limits-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(content);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function backupStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
}

async function writeBackup(settingsPath: string, text: string, now: Date): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const suffix = attempt === 0 ? "" : `-${attempt}`;
    const backupPath = `${settingsPath}${BACKUP_INFIX}${backupStamp(now)}${suffix}`;
    try {
      const handle = await open(backupPath, "wx", PRIVATE_FILE_MODE);
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      return backupPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code !== "EEXIST" || attempt >= 99) throw error;
    }
  }
}

const SavedStateSchema = z.object({
  version: z.literal(1),
  installedCommand: z.string(),
  hadStatusLine: z.boolean(),
  /** The previous value, exactly; absent when there was none. */
  statusLine: z.optional(z.unknown()),
  /** Its source text, so that uninstall restores it byte for byte. */
  statusLineText: z.optional(z.string()),
  settingsExisted: z.boolean(),
  /** The whole original file when it had no members (blank or `{}`), restored when it is empty again. */
  emptyOriginalText: z.optional(z.string()),
  backupPath: z.optional(z.string()),
  installedAt: z.string(),
});

type SavedState = z.infer<typeof SavedStateSchema>;

async function readSavedState(file: string): Promise<SavedState | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  const parsed = SavedStateSchema.safeParse(parseOrUndefined(text));
  return parsed.success ? parsed.data : null;
}

async function removeFiles(files: string[]): Promise<void> {
  for (const file of files) await rm(file, { force: true });
}

async function ensurePrivateFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  await chmod(folder, PRIVATE_FOLDER_MODE);
}

/** Copies the shipped tap unless an identical copy is there; true when the file changed. */
async function copyTapInto(paths: TapPaths, tapSource: string): Promise<boolean> {
  await ensurePrivateFolder(paths.folder);
  const source = await readFile(tapSource);
  const current = await readIfExists(paths.tapPath);
  if (current?.equals(source)) return false;
  await writeFileAtomic(paths.tapPath, source, TAP_SCRIPT_MODE);
  return true;
}

class SettingsChangedError extends Error {
  constructor() {
    super("settings.json changed while Agent Limits was editing it; nothing was changed, try again");
  }
}

/** Re-reads settings.json right before replacing it, so a concurrent edit by Claude Code is not lost. */
async function replaceSettings(doc: SettingsDocument, settingsPath: string, text: string): Promise<void> {
  const current = await readIfExists(settingsPath);
  const unchanged = doc.exists ? current?.toString("utf8") === doc.text : current === null;
  if (!unchanged) throw new SettingsChangedError();
  await writeFileAtomic(settingsPath, text, doc.mode);
}

async function deleteSettings(doc: SettingsDocument, settingsPath: string): Promise<void> {
  const current = await readIfExists(settingsPath);
  if (current?.toString("utf8") !== doc.text) throw new SettingsChangedError();
  await rm(settingsPath, { force: true });
}

function failureMessage(action: string, error: unknown): string {
  if (error instanceof SettingsChangedError) return error.message;
  const code = (error as NodeJS.ErrnoException)?.code;
  const detail = code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? String(error));
  return `Couldn't ${action} the status-line tap (${detail})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Plans.

function isTapValue(value: unknown, command: string): boolean {
  return isPlainObject(value) && value.type === "command" && value.command === command;
}

function commandOf(value: unknown): string | null {
  if (!isPlainObject(value) || value.type !== "command" || typeof value.command !== "string") return null;
  return value.command.trim() === "" ? null : value.command;
}

function describe(value: unknown): string {
  const command = commandOf(value);
  return command === null ? JSON.stringify(value) : `\`${command}\``;
}

async function claudeFolderProblem(claudeConfigDir: string): Promise<string | null> {
  const stats = await statOrNull(path.resolve(claudeConfigDir));
  if (!stats) return `Claude Code folder not found: ${claudeConfigDir}`;
  return stats.isDirectory() ? null : `Claude Code folder is not a folder: ${claudeConfigDir}`;
}

async function tapSourceProblem(tapSource: string): Promise<string | null> {
  return (await statOrNull(tapSource))?.isFile() ? null : `The tap script is missing: ${tapSource}`;
}

function manualInstallHint(paths: TapPaths): string {
  const value = JSON.stringify({ type: "command", command: tapCommand(paths.tapPath) });
  return (
    `edit statusLine by hand: "statusLine": ${value}, and to keep your current status line, ` +
    `put its command into ${paths.previousCommandPath}`
  );
}

interface PreparedInstall {
  plan: TapPlan;
  paths: TapPaths;
  doc: SettingsDocument;
  newText: string;
  state: SavedState;
}

type Prepared<T> = { ok: true; prepared: T } | { ok: false; message: string; invalidSettings?: boolean };

function previousStatusLineNote(before: unknown): string {
  if (before === undefined) return "You have no status line now; the tap prints nothing, so it stays empty.";
  if (commandOf(before)) return `Your status line ${describe(before)} keeps running after the tap, unchanged.`;
  return `The current statusLine ${describe(before)} is not a command; it is saved and restored on uninstall.`;
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

async function prepareInstall(claudeConfigDir: string): Promise<Prepared<PreparedInstall>> {
  const folderProblem = await claudeFolderProblem(claudeConfigDir);
  if (folderProblem) return { ok: false, message: folderProblem };
  const paths = tapPaths(claudeConfigDir);
  const loaded = await loadSettings(paths.settingsPath);
  if (!loaded.ok) {
    return { ok: false, message: `${loaded.message}; ${manualInstallHint(paths)}`, invalidSettings: true };
  }
  const { doc } = loaded;
  const command = tapCommand(paths.tapPath);
  const hadStatusLine = Object.prototype.hasOwnProperty.call(doc.object, STATUS_LINE_KEY);
  const before = hadStatusLine ? doc.object[STATUS_LINE_KEY] : undefined;
  const alreadyInstalled = isTapValue(before, command);
  const after = alreadyInstalled
    ? before
    : { ...(isPlainObject(before) ? before : {}), type: "command", command: command };
  const member = doc.layout ? lastMember(doc.layout, STATUS_LINE_KEY) : undefined;
  const summary = alreadyInstalled
    ? "The status-line tap is already installed; nothing changes."
    : installSummary(paths, doc, before);
  const state: SavedState = {
    version: 1,
    installedCommand: command,
    hadStatusLine,
    ...(hadStatusLine ? { statusLine: before } : {}),
    ...(member ? { statusLineText: doc.text.slice(member.valueStart, member.valueEnd) } : {}),
    settingsExisted: doc.exists,
    ...(doc.exists && (!doc.layout || doc.layout.members.length === 0) ? { emptyOriginalText: doc.text } : {}),
    installedAt: new Date().toISOString(),
  };
  const newText = alreadyInstalled ? doc.text : editedSettings(doc, { present: true, value: after });
  const plan = { settingsPath: paths.settingsPath, tapPath: paths.tapPath, before, after, alreadyInstalled, summary };
  return { ok: true, prepared: { plan, paths, doc, newText, state } };
}

interface PreparedUninstall {
  plan: TapPlan;
  paths: TapPaths;
  doc: SettingsDocument;
  /** Null: nothing to change in settings.json. "delete": remove the file the install created. */
  newText: string | null | "delete";
}

function restoreTarget(state: SavedState | null): Target {
  if (!state?.hadStatusLine) return { present: false };
  return { present: true, value: state.statusLine, sourceText: state.statusLineText };
}

/** Settings that held only the tap go back to the memberless file (or no file) the install started from. */
function uninstallText(doc: SettingsDocument, state: SavedState | null, target: Target): string | "delete" {
  const onlyTapLeft = !target.present && Object.keys(doc.object).length === 1;
  if (onlyTapLeft && state && !state.settingsExisted) return "delete";
  if (onlyTapLeft && state?.emptyOriginalText !== undefined) return state.emptyOriginalText;
  return editedSettings(doc, target);
}

function uninstallSummary(paths: TapPaths, state: SavedState | null, target: Target): string {
  const restore = target.present
    ? `statusLine goes back to ${describe(target.value)}.`
    : `statusLine is removed${state ? " (there was none before)" : " (the previous value was not recorded)"}.`;
  return [`Edit ${paths.settingsPath}: ${restore}`, `Remove the tap and the files it saved from ${paths.folder}.`].join(
    "\n",
  );
}

async function prepareUninstall(claudeConfigDir: string): Promise<Prepared<PreparedUninstall>> {
  const folderProblem = await claudeFolderProblem(claudeConfigDir);
  if (folderProblem) return { ok: false, message: folderProblem };
  const paths = tapPaths(claudeConfigDir);
  const loaded = await loadSettings(paths.settingsPath);
  if (!loaded.ok) return { ok: false, message: `${loaded.message}; edit statusLine by hand` };
  const { doc } = loaded;
  const state = await readSavedState(paths.previousStatusLinePath);
  const before = doc.object[STATUS_LINE_KEY];
  const base = { settingsPath: paths.settingsPath, tapPath: paths.tapPath, before };
  if (!isTapValue(before, tapCommand(paths.tapPath))) {
    if (state) {
      const now = before === undefined ? "removed" : `now ${describe(before)}`;
      return { ok: false, message: `statusLine was changed since the tap was installed (${now}); left as it is.` };
    }
    const plan = { ...base, after: before, alreadyInstalled: false, summary: "The status-line tap is not installed." };
    return { ok: true, prepared: { plan, paths, doc, newText: null } };
  }
  const target = restoreTarget(state);
  const after = target.present ? target.value : undefined;
  const summary = uninstallSummary(paths, state, target);
  const plan = { ...base, after, alreadyInstalled: true, summary };
  return { ok: true, prepared: { plan, paths, doc, newText: uninstallText(doc, state, target) } };
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points. None of them throws.

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

async function savePrevious(paths: TapPaths, state: SavedState): Promise<void> {
  await writeFileAtomic(paths.previousStatusLinePath, `${JSON.stringify(state, null, 2)}\n`, PRIVATE_FILE_MODE);
  const previousCommand = commandOf(state.statusLine);
  if (previousCommand === null) await rm(paths.previousCommandPath, { force: true });
  else await writeFileAtomic(paths.previousCommandPath, previousCommand, PRIVATE_FILE_MODE);
}

/** Copies the tap and points statusLine at it, keeping the previous command running behind it. */
export async function installTap(claudeConfigDir: string, tapSource: string): Promise<InstallResult> {
  try {
    const sourceProblem = await tapSourceProblem(tapSource);
    if (sourceProblem) return { ok: false, message: sourceProblem };
    const prepared = await prepareInstall(claudeConfigDir);
    if (!prepared.ok) {
      // With the tap in place, the manual edit the message suggests works right away.
      if (prepared.invalidSettings) await copyTapInto(tapPaths(claudeConfigDir), tapSource);
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

export async function planUninstall(claudeConfigDir: string): Promise<PlanResult> {
  try {
    const prepared = await prepareUninstall(claudeConfigDir);
    return prepared.ok ? { ok: true, plan: prepared.prepared.plan } : { ok: false, message: prepared.message };
  } catch (error) {
    return { ok: false, message: failureMessage("plan removing", error) };
  }
}

/** Restores the previous statusLine exactly; refuses when statusLine no longer runs the tap. Keeps backups. */
export async function uninstallTap(claudeConfigDir: string): Promise<UninstallResult> {
  try {
    const prepared = await prepareUninstall(claudeConfigDir);
    if (!prepared.ok) return prepared;
    const { paths, doc, newText } = prepared.prepared;
    if (newText === null) return { ok: true, changed: false };
    if (newText === "delete") await deleteSettings(doc, paths.settingsPath);
    else await replaceSettings(doc, paths.settingsPath, newText);
    await removeFiles([paths.previousStatusLinePath, paths.previousCommandPath, paths.tapPath, paths.rateLimitsPath]);
    await rmdir(paths.folder).catch(() => undefined);
    return { ok: true, changed: true };
  } catch (error) {
    return { ok: false, message: failureMessage("remove", error) };
  }
}

export async function tapStatus(claudeConfigDir: string): Promise<TapStatus> {
  try {
    if (await claudeFolderProblem(claudeConfigDir)) return "no-claude";
    const paths = tapPaths(claudeConfigDir);
    const state = await readSavedState(paths.previousStatusLinePath).catch(() => null);
    const loaded = await loadSettings(paths.settingsPath);
    const ours = loaded.ok && isTapValue(loaded.doc.object[STATUS_LINE_KEY], tapCommand(paths.tapPath));
    if (ours) return (await statOrNull(paths.tapPath))?.isFile() ? "installed" : "modified";
    return state ? "modified" : "not-installed";
  } catch {
    return "not-installed";
  }
}
