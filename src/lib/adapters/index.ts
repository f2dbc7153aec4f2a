export type { AdapterError, AdapterOutcome, AdapterResult } from "./common";
export { adaptCodexUsage } from "./codex-usage";
export { adaptClaudeUsage, HUNDREDFOLD_WARNING, NO_MONTHLY_LIMIT_WARNING } from "./claude-usage";
