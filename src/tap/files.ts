/** Writes for the tap's installer: atomic replacements, settings backups, private folders. */
import { chmod, mkdir, open, realpath, rename, rm } from "fs/promises";
import path from "path";

const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const BACKUP_INFIX = ".agent-limits-backup-";

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === "ENOENT";
}

/** Writes through a temp file in the same folder plus rename; a symlinked file keeps its link. */
export async function writeFileAtomic(file: string, content: string | Buffer, mode: number): Promise<void> {
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

/** A new 0600 file `settings.json.agent-limits-backup-<time>` with the given text; never overwrites one. */
export async function writeBackup(settingsPath: string, text: string, now: Date): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const suffix = attempt === 0 ? "" : `-${attempt}`;
    const backupPath = `${settingsPath}${BACKUP_INFIX}${backupStamp(now)}${suffix}`;
    try {
      const handle = await open(backupPath, "wx", PRIVATE_FILE_MODE);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return backupPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code !== "EEXIST" || attempt >= 99) throw error;
    }
  }
}

export async function removeFiles(files: string[]): Promise<void> {
  for (const file of files) await rm(file, { force: true });
}

export async function ensurePrivateFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  await chmod(folder, PRIVATE_FOLDER_MODE);
}
