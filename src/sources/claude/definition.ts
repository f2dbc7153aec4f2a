import { settingsOf } from "../../model/settings";
import type { SourceDefinition } from "../definition";
import { readLocalClaude } from "./local";

/** One Claude Code account: which registry id it has and which preferences configure it. */
export type ClaudeAccount = Pick<
  SourceDefinition,
  "id" | "name" | "planTypePreference" | "folderPreference" | "folderVariable" | "defaultFolderName"
>;

/**
 * A Claude Code folder (`~/.claude`): caps from the opt-in status-line tap, caps and extra usage
 * from the OAuth `usage` endpoint.
 */
export function claudeSource(account: ClaudeAccount): SourceDefinition {
  return {
    ...account,
    provider: "Anthropic",
    dashboard: { title: `Open ${account.name} Usage Settings`, url: "https://claude.ai/settings/usage" },
    usageEndpoint: { url: "https://api.anthropic.com/api/oauth/usage", variable: "AGENT_LIMITS_CLAUDE_USAGE_URL" },
    probeScript: "claude_billing_capture.sh",
    statusLineTap: true,
    usageAdapter: "claude-usage",
    readLocal: (settings) => readLocalClaude(settings, account.id),
    describeLogin: (settings) => {
      const keychain = settings.allowKeychain ? " or the Keychain" : "";
      return `Claude Code's login (${settingsOf(settings, account.id).folder}/.credentials.json${keychain})`;
    },
    probeInputs: (settings) => ({
      CLAUDE_CONFIG_DIR: settingsOf(settings, account.id).folder,
      AGENT_LIMITS_ALLOW_KEYCHAIN: settings.allowKeychain ? "1" : "0",
    }),
  };
}
