import { endpointHost } from "../billing/activity";
import type { SourceId } from "../model/types";
import { SOURCE_NAMES } from "../model/types";
import type { Settings } from "../model/settings";

const PROVIDERS: Record<SourceId, string> = { codex: "OpenAI", claude: "Anthropic" };

/** The alert copy: which providers are contacted and which local logins are read. */
export function refreshConfirmation(
  sources: readonly SourceId[],
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
) {
  const names = sources.map((source) => SOURCE_NAMES[source]).join(" and ");
  const hosts = sources.map((source) => `${endpointHost(source, env)} (${PROVIDERS[source]})`).join(" and ");
  const logins = sources.map((source) =>
    source === "codex"
      ? `${settings.codexHome}/auth.json`
      : `Claude Code's login (${settings.claudeConfigDir}/.credentials.json${settings.allowKeychain ? " or the Keychain" : ""})`,
  );
  return {
    title: `Refresh ${names} Billing?`,
    message:
      `This contacts ${hosts} once, using the login already on this Mac: ${logins.join("; ")}. ` +
      "It fetches your balance and caps, spends no tokens, and nothing runs again until you ask.",
    primaryTitle: "Contact Provider",
  };
}
