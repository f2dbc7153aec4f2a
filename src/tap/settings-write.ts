/**
 * The last step of an install or uninstall: replace (or delete) settings.json, unless someone else changed
 * it since it was read. Plus the shared result types and failure wording of both.
 */
import { createHash } from "crypto";
import { rm, stat } from "fs/promises";
import path from "path";
import { decodeUtf8, readRegularFile } from "./bounded-read";
import { PRIVATE_FILE_MODE, writeFileAtomic } from "./files";
import type { SettingsDocument } from "./settings-file";
import { MAX_SETTINGS_BYTES } from "./settings-json";

export interface TapPlan {
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

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export async function claudeFolderProblem(claudeConfigDir: string): Promise<string | null> {
  try {
    const stats = await stat(path.resolve(claudeConfigDir));
    return stats.isDirectory() ? null : `Claude Code folder is not a folder: ${claudeConfigDir}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === "ENOENT") return `Claude Code folder not found: ${claudeConfigDir}`;
    throw error;
  }
}

class SettingsChangedError extends Error {
  constructor() {
    super("settings.json changed while Agent Limits was editing it; nothing was changed, try again");
  }
}

/** The file's text now, null when it is missing; throws when it cannot be read like the original was. */
async function currentText(settingsPath: string): Promise<string | null> {
  const read = await readRegularFile(settingsPath, MAX_SETTINGS_BYTES);
  if (!read.ok && read.reason === "missing") return null;
  const text = read.ok ? decodeUtf8(read.bytes) : null;
  if (text === null) throw new SettingsChangedError();
  return text;
}

async function fileMode(file: string): Promise<number> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch {
    return PRIVATE_FILE_MODE;
  }
}

/** Re-reads settings.json right before replacing it, so a concurrent edit by Claude Code is not lost. */
export async function replaceSettings(doc: SettingsDocument, settingsPath: string, text: string): Promise<void> {
  const current = await currentText(settingsPath);
  if (doc.exists ? current !== doc.text : current !== null) throw new SettingsChangedError();
  await writeFileAtomic(settingsPath, text, await fileMode(settingsPath));
}

export async function deleteSettings(doc: SettingsDocument, settingsPath: string): Promise<void> {
  if ((await currentText(settingsPath)) !== doc.text) throw new SettingsChangedError();
  await rm(settingsPath, { force: true });
}

export function failureMessage(action: string, error: unknown): string {
  if (error instanceof SettingsChangedError) return error.message;
  const code = (error as NodeJS.ErrnoException)?.code;
  const detail = code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? String(error));
  return `Couldn't ${action} the status-line tap (${detail})`;
}
