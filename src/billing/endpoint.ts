import type { SourceId } from "../model/types";
import { sourceDefinition } from "../sources/registry";

/** Where a source's probe will send its request, as the confirmation names it. */
export type Endpoint =
  { ok: true; url: string; host: string; overridden: boolean } | { ok: false; variable: string; reason: string };

/**
 * What an override must look like: scheme, a host that is a plain DNS name, a dotted IPv4 address or
 * a bracketed IPv6 address, an optional port, then nothing or a path. The probes apply the same
 * pattern (probes/src/shared.sh `check_endpoint`), and curl enforces the scheme (`--proto`).
 */
const PLAIN_URL = /^(https?):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?(?:[/?#]|$)/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function refusal(variable: string, reason: string): Endpoint {
  return { ok: false, variable, reason };
}

/**
 * Checks an endpoint override so that the host the confirmation shows is the host curl contacts:
 * anything two URL parsers could read differently (a user name, backslashes, spaces, control or
 * non-ASCII characters, numeric hosts that are not plain dotted quads) is refused, and so is plain
 * http to anything but this machine.
 */
function checkOverride(variable: string, raw: string): Endpoint {
  if (/[^\x21-\x7e]/.test(raw)) return refusal(variable, "it has spaces, control or non-ASCII characters");
  if (/[@\\]/.test(raw)) return refusal(variable, "it has a user name (@) or a backslash");
  const match = PLAIN_URL.exec(raw);
  if (!match) return refusal(variable, "it is not a plain http(s)://host/path URL");
  const [, scheme, host] = match;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refusal(variable, "it is not a valid URL");
  }
  // A URL parser that rewrites the host (127.1, 0x7f.1, 2130706433, [0:0::1]) reads it as another one.
  if (url.hostname !== host.toLowerCase()) {
    return refusal(variable, `its host ${host} is not a plain name or IPv4 address`);
  }
  if (scheme !== "https" && !LOOPBACK_HOSTS.has(url.hostname)) {
    return refusal(variable, "it is not https, which only this Mac's own address may skip");
  }
  return { ok: true, url: raw, host: url.host, overridden: true };
}

/** The endpoint a source's probe will call: the provider's, or a checked override from the environment. */
export function resolveEndpoint(source: SourceId, env: NodeJS.ProcessEnv = process.env): Endpoint {
  const { variable, url } = sourceDefinition(source).usageEndpoint;
  const override = env[variable];
  if (override === undefined || override === "") return { ok: true, url, host: new URL(url).host, overridden: false };
  return checkOverride(variable, override);
}

/** The host a probe contacts, or null when its override is refused and the probe does not run. */
export function endpointHost(source: SourceId, env: NodeJS.ProcessEnv = process.env): string | null {
  const endpoint = resolveEndpoint(source, env);
  return endpoint.ok ? endpoint.host : null;
}

/** What the user reads when an override is refused: which variable, why, and what to do. */
export function refusalHint(endpoint: Extract<Endpoint, { ok: false }>): string {
  return `${endpoint.variable} was not used: ${endpoint.reason}. Remove it or set an https URL, then try again.`;
}
