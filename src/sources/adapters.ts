export type { AdapterError, AdapterOutcome, AdapterResult } from "./parse";
export { adaptCodexUsage } from "./codex/usage-adapter";
export { adaptClaudeUsage, HUNDREDFOLD_WARNING, NO_MONTHLY_LIMIT_WARNING } from "./claude/usage-adapter";
