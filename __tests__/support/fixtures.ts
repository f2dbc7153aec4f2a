import { readFileSync } from "fs";
import { join } from "path";
import type { AdapterOutcome, AdapterResult } from "../../src/sources/parse";

/** The reference "now" of provider-formats.md: 2026-10-12T14:03:27Z. */
export const FETCHED_AT = 1791813807000;

type FixtureFolder = "codex-usage" | "claude-usage" | "real/codex-usage" | "real/claude-usage";

export function readFixture(folder: FixtureFolder, file: string): string {
  return readFileSync(join(__dirname, "..", "..", "fixtures", folder, file), "utf8");
}

export function expectOk(outcome: AdapterOutcome): AdapterResult {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.error}: ${outcome.message}`);
  return outcome.result;
}
