/**
 * Runs probes/claude_billing_capture.sh for the claude probe tests: a sandboxed CLAUDE_CONFIG_DIR with a
 * credentials file from fixtures/claude-credentials, the probe pointed at the file's loopback server, and the
 * checks every run shares. The Keychain is never read: AGENT_LIMITS_ALLOW_KEYCHAIN=0, and the tests run on
 * Linux, where the probe does not look for it at all.
 */
import path from "node:path";
import { respond, type MockReply, type RecordedRequest } from "../../support/mock-http-server";
import { baseEnv, fixture, runChecked, useProbeWorld, type ProbeWorld, type Run } from "./harness";

interface Credentials {
  claudeAiOauth: { accessToken: string; refreshToken: string };
}
const FILE_TOKEN = (JSON.parse(fixture("claude-credentials", "full.json")) as Credentials).claudeAiOauth.accessToken;
export const EXPIRED_TOKEN = (JSON.parse(fixture("claude-credentials", "expired.json")) as Credentials).claudeAiOauth
  .accessToken;
export const ENV_TOKEN = "sk-ant-oat01-SYNTHETIC-env-token-8d1e5b3c";
const SECRETS = [
  FILE_TOKEN,
  EXPIRED_TOKEN,
  ENV_TOKEN,
  "sk-ant-ort01-SYNTHETIC-do-not-use",
  "mcp-SYNTHETIC-access-token-91c4",
];
export const USAGE_PATH = "/api/oauth/usage";
export const JSON_HEADERS = { "Content-Type": "application/json" };

// provider-formats §4.4: "Max 5x, session + weekly + Sonnet-only, extra usage off" (pretty, trailing newline).
export const MAX_BODY = `{
  "five_hour": {"utilization": 37.0, "resets_at": "2026-10-12T16:40:59.581404+00:00"},
  "seven_day": {"utilization": 61.0, "resets_at": "2026-10-16T09:12:43.771647+00:00"},
  "seven_day_oauth_apps": null,
  "seven_day_opus": null,
  "seven_day_sonnet": {"utilization": 18.0, "resets_at": "2026-10-16T09:12:43.771647+00:00"},
  "iguana_necktie": null,
  "extra_usage": {"is_enabled": false, "monthly_limit": null, "used_credits": null, "utilization": null}
}
`;

interface RunOptions {
  /** A file in fixtures/claude-credentials written as $CLAUDE_CONFIG_DIR/.credentials.json; null = none. */
  credentials?: string | null;
  /** CLAUDE_CODE_OAUTH_TOKEN. */
  envToken?: string;
  reply?: MockReply;
  env?: Record<string, string>;
  url?: string;
  /** false = leave CLAUDE_CONFIG_DIR unset, so the probe must use ~/.claude. */
  setConfigDir?: boolean;
  /** The token the request must carry, when one is made. */
  expectToken?: string;
}

/** Registers the calling file's probe world; `run` runs the probe in it and checks what every run must. */
export function useClaudeProbe(): { world: ProbeWorld; run: (options?: RunOptions) => Promise<Run> } {
  const world = useProbeWorld();

  async function run(options: RunOptions = {}): Promise<Run> {
    const { credentials = "full.json", setConfigDir = true } = options;
    const configDir = setConfigDir
      ? path.join(world.sandbox.root, "claude-config")
      : path.join(world.sandbox.home, ".claude");
    world.sandbox.dir(path.relative(world.sandbox.root, configDir));
    if (credentials) {
      world.sandbox.write(
        path.relative(world.sandbox.root, path.join(configDir, ".credentials.json")),
        fixture("claude-credentials", credentials),
      );
    }
    world.server.reply(options.reply ?? respond(200, MAX_BODY, JSON_HEADERS));
    const env = baseEnv(world.sandbox, {
      AGENT_LIMITS_CLAUDE_USAGE_URL: options.url ?? world.server.url(USAGE_PATH),
      ...(setConfigDir ? { CLAUDE_CONFIG_DIR: configDir } : {}),
      ...(options.envToken !== undefined ? { CLAUDE_CODE_OAUTH_TOKEN: options.envToken } : {}),
      ...options.env,
    });
    const token = options.expectToken ?? options.envToken ?? FILE_TOKEN;
    return runChecked(world, "claude_billing_capture.sh", env, SECRETS, (request) =>
      expectClaudeRequest(request, token),
    );
  }

  return { world, run };
}

function expectClaudeRequest(request: RecordedRequest, token: string): void {
  expect(request.method).toBe("GET");
  expect(request.path).toBe(USAGE_PATH);
  expect(request.headers.authorization).toBe(`Bearer ${token}`);
  expect(request.headers["anthropic-beta"]).toBe("oauth-2025-04-20");
  expect(request.headers.accept).toBe("application/json");
  expect(request.headers["content-type"]).toBe("application/json");
  expect(request.headers["user-agent"]).toBe("agent-limits");
}
