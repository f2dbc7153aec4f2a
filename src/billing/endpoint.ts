import type { SourceId } from "../model/types";
import { sourceDefinition } from "../sources/registry";

/** The host a probe contacts: the override the extension passes through, or the provider's. */
export function endpointHost(source: SourceId, env: NodeJS.ProcessEnv = process.env): string {
  const { variable, url } = sourceDefinition(source).usageEndpoint;
  try {
    return new URL(env[variable] || url).host;
  } catch {
    return new URL(url).host;
  }
}
