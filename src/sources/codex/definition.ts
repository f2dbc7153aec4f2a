import { settingsOf } from "../../model/settings";
import type { SourceDefinition } from "../definition";
import { readLocalCodex } from "./local";

/** One Codex account: which registry id it has and which preferences configure it. */
export type CodexAccount = Pick<
  SourceDefinition,
  "id" | "name" | "planTypePreference" | "folderPreference" | "folderVariable" | "defaultFolderName"
>;

/** A Codex CLI home (`~/.codex`): caps from its session logs, balance from ChatGPT's `wham/usage`. */
export function codexSource(account: CodexAccount): SourceDefinition {
  return {
    ...account,
    provider: "OpenAI",
    dashboard: { title: `Open ${account.name} Usage Dashboard`, url: "https://chatgpt.com/codex/settings/usage" },
    usageEndpoint: { url: "https://chatgpt.com/backend-api/wham/usage", variable: "AGENT_LIMITS_CODEX_USAGE_URL" },
    probeScript: "codex_billing_capture.sh",
    usageAdapter: "codex-usage",
    readLocal: (settings) => readLocalCodex(settings, account.id),
    describeLogin: (settings) => `${settingsOf(settings, account.id).folder}/auth.json`,
    probeInputs: (settings) => ({ CODEX_HOME: settingsOf(settings, account.id).folder }),
  };
}
