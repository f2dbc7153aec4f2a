import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const created: string[] = [];

/** A private temporary folder that is removed after the test file (see setup.ts). */
export function makeTempDir(prefix: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(folder);
  return folder;
}

export function removeTempDirs(): void {
  for (const folder of created.splice(0)) rmSync(folder, { recursive: true, force: true });
}
