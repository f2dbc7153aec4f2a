import { endpointHost } from "../billing/endpoint";
import type { Settings } from "../model/settings";
import type { SourceId } from "../model/types";
import { sourceDefinition } from "../sources/registry";

/** The alert copy: which providers are contacted and which local logins are read. */
export function refreshConfirmation(
  sources: readonly SourceId[],
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
) {
  const definitions = sources.map(sourceDefinition);
  const names = definitions.map((source) => source.name).join(" and ");
  const hosts = definitions.map((source) => `${endpointHost(source.id, env)} (${source.provider})`).join(" and ");
  const logins = definitions.map((source) => source.describeLogin(settings));
  return {
    title: `Refresh ${names} Billing?`,
    message:
      `This contacts ${hosts} once, using the login already on this Mac: ${logins.join("; ")}. ` +
      "It fetches your balance and caps, spends no tokens, and nothing runs again until you ask.",
    primaryTitle: "Contact Provider",
  };
}
