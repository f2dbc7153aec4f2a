import { SOURCE_NAMES, type SourceId } from "./model";
import type { Settings } from "./settings";

export const PROVIDER_HOSTS: Record<SourceId, string> = {
  codex: "chatgpt.com (OpenAI)",
  claude: "api.anthropic.com (Anthropic)",
};

/** The alert copy: which providers are contacted and which local logins are read. */
export function refreshConfirmation(sources: readonly SourceId[], settings: Settings) {
  const names = sources.map((source) => SOURCE_NAMES[source]).join(" and ");
  const hosts = sources.map((source) => PROVIDER_HOSTS[source]).join(" and ");
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
