import path from "node:path";

/** The repository root, wherever a test file sits in the tree. */
export const REPO_ROOT = path.resolve(__dirname, "../..");

/** A file under `fixtures/`. */
export function fixturePath(...parts: string[]): string {
  return path.join(REPO_ROOT, "fixtures", ...parts);
}
