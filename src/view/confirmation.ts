import { refusalHint, resolveEndpoint } from "../billing/endpoint";
import type { Settings } from "../model/settings";
import type { SourceId } from "../model/types";
import { sourceDefinition } from "../sources/registry";

/**
 * The alert copy: which hosts are contacted (the hosts curl will really contact, overrides
 * included) and which local logins are read. A source whose endpoint override is refused is named
 * as skipped, with the reason; its probe does not run.
 */
export function refreshConfirmation(
  sources: readonly SourceId[],
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
) {
  const definitions = sources.map(sourceDefinition);
  const names = definitions.map((source) => source.name).join(" and ");
  const contacted: string[] = [];
  const logins: string[] = [];
  const skipped: string[] = [];
  for (const source of definitions) {
    const endpoint = resolveEndpoint(source.id, env);
    if (endpoint.ok) {
      contacted.push(`${endpoint.host} (${source.provider})`);
      logins.push(source.describeLogin(settings));
    } else {
      skipped.push(`${source.name} is skipped: ${refusalHint(endpoint)}`);
    }
  }
  const contacts =
    contacted.length > 0
      ? `This contacts ${contacted.join(" and ")} once, using the login already on this Mac: ${logins.join("; ")}. ` +
        "It fetches your balance and caps, spends no tokens, and nothing runs again until you ask."
      : "No provider is contacted.";
  return {
    title: `Refresh ${names} Billing?`,
    message: [contacts, ...skipped].join(" "),
    primaryTitle: contacted.length > 0 ? "Contact Provider" : "Continue",
  };
}
