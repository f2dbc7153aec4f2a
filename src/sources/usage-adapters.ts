/**
 * The providers' usage answers, adapted: each registry entry names its adapter (`usageAdapter`), and only
 * the refresh imports this table, so the menu bar's bundle carries neither the adapters nor their schemas.
 */
import type { SourceDefinition, UsageAdapterName } from "./definition";
import { adaptClaudeUsage } from "./claude/usage-adapter";
import { adaptCodexUsage } from "./codex/usage-adapter";
import type { AdapterOutcome } from "./parse";

const USAGE_ADAPTERS: Record<UsageAdapterName, (stdout: string, fetchedAt: number) => AdapterOutcome> = {
  "codex-usage": adaptCodexUsage,
  "claude-usage": adaptClaudeUsage,
};

/** Turns a source's probe stdout into caps and credits. */
export function adaptUsage(definition: SourceDefinition, stdout: string, fetchedAt: number): AdapterOutcome {
  return USAGE_ADAPTERS[definition.usageAdapter](stdout, fetchedAt);
}
