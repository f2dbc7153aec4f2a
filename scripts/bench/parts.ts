/**
 * The benchmark's parts other than the cold launch live in their own modules, written separately:
 * `scripts/bench-tap.ts` exporting `benchTap()` and `scripts/bench-refresh.ts` exporting `benchRefresh()`.
 * Each (that export, or the module's default export) is called with no arguments, prints its own figures
 * and resolves to `false` (or `{ ok: false }`) when it missed a target. A part whose module or export is not
 * there yet is reported as not available.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export interface OptionalPart {
  name: string;
  module: string;
  exportName: string;
}

export const OPTIONAL_PARTS: OptionalPart[] = [
  { name: "tap", module: "bench-tap", exportName: "benchTap" },
  { name: "refresh", module: "bench-refresh", exportName: "benchRefresh" },
];

type PartRun = () => Promise<unknown>;

async function load(part: OptionalPart): Promise<PartRun | string> {
  const base = path.join(__dirname, "..", part.module);
  const file = [".ts", ".tsx"].map((extension) => base + extension).find((candidate) => existsSync(candidate));
  if (!file) return `not available yet (scripts/${part.module}.ts is missing)`;
  const loaded: Record<string, unknown> = await import(file);
  const run = [loaded[part.exportName], loaded.default].find((candidate) => typeof candidate === "function");
  return run ? (run as PartRun) : `not available yet (no ${part.exportName} export)`;
}

function passed(result: unknown): boolean {
  if (result === false) return false;
  return !(typeof result === "object" && result !== null && (result as { ok?: unknown }).ok === false);
}

/** Runs one optional part; false when it ran and missed a target. */
export async function runOptionalPart(part: OptionalPart): Promise<boolean> {
  console.log(`\n== ${part.name} ==`);
  const run = await load(part);
  if (typeof run === "string") {
    console.log(`${part.name}: ${run}`);
    return true;
  }
  return passed(await run());
}
