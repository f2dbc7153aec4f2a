/**
 * Runs probes/codex_billing_capture.sh for the codex probe tests: a sandboxed CODEX_HOME with an auth.json
 * from fixtures/codex-auth, the probe pointed at the file's loopback server, and the checks every run shares.
 */
import path from "node:path";
import { respond, type MockReply, type RecordedRequest } from "../../support/mock-http-server";
import { baseEnv, fixture, runChecked, useProbeWorld, type ProbeWorld, type Run } from "./harness";

const auth = JSON.parse(fixture("codex-auth", "chatgpt.json")) as {
  tokens: { id_token: string; access_token: string; refresh_token: string; account_id: string };
};
const TOKEN = auth.tokens.access_token;
const ACCOUNT_ID = auth.tokens.account_id;
export const camel = JSON.parse(fixture("codex-auth", "camelcase.json")) as {
  tokens: { accessToken: string; accountId: string };
};
export const noAccount = JSON.parse(fixture("codex-auth", "no-account-id.json")) as {
  tokens: { access_token: string };
};
const API_KEYS = ["sk-proj-SYNTHETIC-api-key-do-not-use-5e8a1c", "sk-proj-SYNTHETIC-legacy-api-key-3d7f2b"];
const SECRETS = [
  TOKEN,
  auth.tokens.id_token,
  auth.tokens.refresh_token,
  camel.tokens.accessToken,
  noAccount.tokens.access_token,
  ...API_KEYS,
];
export const USAGE_PATH = "/backend-api/wham/usage";
export const JSON_HEADERS = { "Content-Type": "application/json" };

// provider-formats §3.4: "Pro, 5 h + weekly, credits, Spark model limit" (pretty, with a trailing newline).
export const PRO_BODY = `{
  "user_id": "user-3Fq9XmPLb2cT",
  "account_id": "7c1e0d52-5a3f-4b8e-9d21-2f6a4c9b0e13",
  "email": "alex@example.com",
  "plan_type": "pro",
  "rate_limit": {
    "allowed": true,
    "limit_reached": false,
    "primary_window": {"used_percent": 37, "limit_window_seconds": 18000, "reset_after_seconds": 9453, "reset_at": 1791823260},
    "secondary_window": {"used_percent": 61, "limit_window_seconds": 604800, "reset_after_seconds": 328157, "reset_at": 1792141964}
  },
  "credits": {"has_credits": true, "unlimited": false, "overage_limit_reached": false, "balance": "412.5"},
  "additional_rate_limits": [
    {
      "limit_name": "GPT-5.3-Codex-Spark",
      "metered_feature": "codex_bengalfox",
      "rate_limit": {
        "allowed": true,
        "limit_reached": false,
        "primary_window": {"used_percent": 5, "limit_window_seconds": 18000, "reset_after_seconds": 11193, "reset_at": 1791825000},
        "secondary_window": null
      }
    }
  ],
  "rate_limit_reached_type": null
}
`;

interface RunOptions {
  /** A file in fixtures/codex-auth written as $CODEX_HOME/auth.json; null = no auth.json. */
  authFixture?: string | null;
  reply?: MockReply;
  env?: Record<string, string>;
  url?: string;
  /** false = leave CODEX_HOME unset, so the probe must use ~/.codex. */
  setCodexHome?: boolean;
  /** The credentials the request must carry, when one is made: [token, account id or null]. */
  expectAuth?: [string, string | null];
}

/** Registers the calling file's probe world; `run` runs the probe in it and checks what every run must. */
export function useCodexProbe(): { world: ProbeWorld; run: (options?: RunOptions) => Promise<Run> } {
  const world = useProbeWorld();

  async function run(options: RunOptions = {}): Promise<Run> {
    const { authFixture = "chatgpt.json", setCodexHome = true } = options;
    const codexHome = setCodexHome
      ? path.join(world.sandbox.root, "codex-home")
      : path.join(world.sandbox.home, ".codex");
    world.sandbox.dir(path.relative(world.sandbox.root, codexHome));
    if (authFixture)
      world.sandbox.write(
        path.relative(world.sandbox.root, path.join(codexHome, "auth.json")),
        fixture("codex-auth", authFixture),
      );
    world.server.reply(options.reply ?? respond(200, PRO_BODY, JSON_HEADERS));
    const env = baseEnv(world.sandbox, {
      AGENT_LIMITS_CODEX_USAGE_URL: options.url ?? world.server.url(USAGE_PATH),
      ...(setCodexHome ? { CODEX_HOME: codexHome } : {}),
      ...options.env,
    });
    const [token, accountId] = options.expectAuth ?? [TOKEN, ACCOUNT_ID];
    return runChecked(world, "codex_billing_capture.sh", env, SECRETS, (request) =>
      expectCodexRequest(request, token, accountId),
    );
  }

  return { world, run };
}

function expectCodexRequest(request: RecordedRequest, token: string, accountId: string | null) {
  expect(request.method).toBe("GET");
  expect(request.path).toBe(USAGE_PATH);
  expect(request.headers.authorization).toBe(`Bearer ${token}`);
  if (accountId === null) expect(request.headers).not.toHaveProperty("chatgpt-account-id");
  else expect(request.headers["chatgpt-account-id"]).toBe(accountId);
  expect(request.headers["user-agent"]).toBe("codex-cli");
  expect(request.headers.accept).toBe("application/json");
}
