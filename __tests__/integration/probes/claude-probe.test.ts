/**
 * Runs probes/claude_billing_capture.sh for real against a scripted server on 127.0.0.1
 * (SPEC §4, provider-formats §4). The Keychain is never read: AGENT_LIMITS_ALLOW_KEYCHAIN=0, and the
 * tests run on Linux, where the probe does not look for it at all.
 */
import path from "node:path";
import {
  refusedUrl,
  respond,
  startMockServer,
  type MockReply,
  type MockServer,
  type RecordedRequest,
} from "../../support/mock-http-server";
import {
  baseEnv,
  expectNoSecrets,
  fixture,
  hasCommand,
  hasProc,
  parseEnvelope,
  processArgvs,
  runProbe,
  Sandbox,
  type Envelope,
  type ProbeResult,
} from "./harness";

interface Credentials {
  claudeAiOauth: { accessToken: string; refreshToken: string };
}
const FILE_TOKEN = (JSON.parse(fixture("claude-credentials", "full.json")) as Credentials).claudeAiOauth.accessToken;
const EXPIRED_TOKEN = (JSON.parse(fixture("claude-credentials", "expired.json")) as Credentials).claudeAiOauth
  .accessToken;
const ENV_TOKEN = "sk-ant-oat01-SYNTHETIC-env-token-8d1e5b3c";
const SECRETS = [
  FILE_TOKEN,
  EXPIRED_TOKEN,
  ENV_TOKEN,
  "sk-ant-ort01-SYNTHETIC-do-not-use",
  "mcp-SYNTHETIC-access-token-91c4",
];
const USAGE_PATH = "/api/oauth/usage";
const JSON_HEADERS = { "Content-Type": "application/json" };

// provider-formats §4.4: "Max 5x, session + weekly + Sonnet-only, extra usage off" (pretty, trailing newline).
const MAX_BODY = `{
  "five_hour": {"utilization": 37.0, "resets_at": "2026-10-12T16:40:59.581404+00:00"},
  "seven_day": {"utilization": 61.0, "resets_at": "2026-10-16T09:12:43.771647+00:00"},
  "seven_day_oauth_apps": null,
  "seven_day_opus": null,
  "seven_day_sonnet": {"utilization": 18.0, "resets_at": "2026-10-16T09:12:43.771647+00:00"},
  "iguana_necktie": null,
  "extra_usage": {"is_enabled": false, "monthly_limit": null, "used_credits": null, "utilization": null}
}
`;
// provider-formats §4.4: "2026-style payload with limits, scoped model, extra usage on (EUR), spend block".
const BODY_2026 = JSON.stringify({
  five_hour: { utilization: 12.0, resets_at: "2026-10-12T16:40:59.581404+00:00", limit_dollars: null },
  seven_day: { utilization: 43.0, resets_at: "2026-10-16T09:12:43.771690+00:00", limit_dollars: null },
  seven_day_opus: null,
  seven_day_sonnet: null,
  limits: [
    {
      kind: "session",
      group: "session",
      percent: 12,
      severity: "normal",
      resets_at: "2026-10-12T16:40:59.581404+00:00",
      scope: null,
      is_active: true,
    },
    {
      kind: "weekly_scoped",
      group: "weekly",
      percent: 57,
      severity: "warning",
      resets_at: "2026-10-16T09:12:43.772011+00:00",
      scope: { model: { id: null, display_name: "Fable" }, surface: null },
      is_active: false,
    },
  ],
  extra_usage: {
    is_enabled: true,
    monthly_limit: 5000,
    used_credits: 1285,
    utilization: 25.7,
    currency: "EUR",
    decimal_places: 2,
  },
  spend: {
    used: { amount_minor: 1285, currency: "EUR", exponent: 2 },
    limit: { amount_minor: 5000, currency: "EUR", exponent: 2 },
    disclaimer: 'Usage credits are billed "separately" from your plan.',
  },
});
// provider-formats §4.4: "Enterprise / seat with spend limit only (no plan windows)".
const ENTERPRISE_BODY =
  '{"five_hour": null, "seven_day": null, "seven_day_opus": null, "seven_day_sonnet": null, "extra_usage": {"is_enabled": true, "monthly_limit": 20000, "used_credits": 7630, "utilization": 38.15, "currency": "USD"}}';

let server: MockServer;
let sandbox: Sandbox;
/** Every process's argv, captured while the probe's request was waiting for its answer. */
let inFlightArgvs: string[][][] = [];

beforeAll(async () => {
  server = await startMockServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  sandbox = new Sandbox();
  server.requests.length = 0;
  inFlightArgvs = [];
  server.onRequest(() => {
    inFlightArgvs.push(processArgvs());
  });
});

afterEach(() => {
  sandbox.cleanup();
});

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

interface Run {
  result: ProbeResult;
  request?: RecordedRequest;
}

async function run(options: RunOptions = {}): Promise<Run> {
  const { credentials = "full.json", setConfigDir = true } = options;
  const configDir = setConfigDir ? path.join(sandbox.root, "claude-config") : path.join(sandbox.home, ".claude");
  sandbox.dir(path.relative(sandbox.root, configDir));
  if (credentials) {
    sandbox.write(
      path.relative(sandbox.root, path.join(configDir, ".credentials.json")),
      fixture("claude-credentials", credentials),
    );
  }
  server.reply(options.reply ?? respond(200, MAX_BODY, JSON_HEADERS));
  const env = baseEnv(sandbox, {
    AGENT_LIMITS_CLAUDE_USAGE_URL: options.url ?? server.url(USAGE_PATH),
    ...(setConfigDir ? { CLAUDE_CONFIG_DIR: configDir } : {}),
    ...(options.envToken !== undefined ? { CLAUDE_CODE_OAUTH_TOKEN: options.envToken } : {}),
    ...options.env,
  });
  const result = await runProbe("claude_billing_capture.sh", env);
  expectNoSecrets(result, SECRETS);
  expect(sandbox.leftovers()).toEqual([]);
  expect(server.requests.length).toBeLessThanOrEqual(1);
  const request = server.requests[0];
  if (request) {
    expectClaudeRequest(request, options.expectToken ?? options.envToken ?? FILE_TOKEN);
    expectArgvClean();
  }
  return { result, request };
}

function expectSuccess({ result }: Run, body: string): void {
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(body);
  expect(result.stderr).toBe("");
}

function expectFailure(
  { result }: Run,
  exitCode: number,
  error: string,
  httpStatus: number | undefined,
  hint?: RegExp,
): Envelope {
  expect(result.code).toBe(exitCode);
  expect(result.stderr).toBe("");
  const envelope = parseEnvelope(result.stdout);
  expect(envelope.error).toBe(error);
  expect(envelope.hint.trim().length).toBeGreaterThan(10);
  if (httpStatus === undefined) expect(envelope).not.toHaveProperty("http_status");
  else expect(envelope.http_status).toBe(httpStatus);
  if (hint) expect(envelope.hint).toMatch(hint);
  return envelope;
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

/** While curl waited for the answer, no process had a secret in its argv (and curl itself was seen). */
function expectArgvClean(): void {
  if (!hasProc) return;
  expect(inFlightArgvs).toHaveLength(1);
  const argvs = inFlightArgvs[0];
  const curl = argvs.find(
    (argv) => path.basename(argv[0]) === "curl" && argv.some((a) => a.includes(`:${server.port}/`)),
  );
  expect(curl).toBeDefined();
  for (const secret of SECRETS) expect(argvs.filter((argv) => argv.join(" ").includes(secret))).toEqual([]);
}

const withJq = hasCommand("jq") ? test : test.skip;

describe("claude probe: success", () => {
  test("credentials file token: prints a Max body exactly and sends the OAuth headers", async () => {
    const r = await run({ reply: respond(200, MAX_BODY, JSON_HEADERS, 300) });
    expectSuccess(r, MAX_BODY);
    expect(r.request).toBeDefined();
  });

  test("CLAUDE_CODE_OAUTH_TOKEN wins over the credentials file", async () => {
    const r = await run({ envToken: ENV_TOKEN, reply: respond(200, BODY_2026, JSON_HEADERS) });
    expectSuccess(r, BODY_2026);
    expect(r.request?.headers.authorization).toBe(`Bearer ${ENV_TOKEN}`);
  });

  test("CLAUDE_CODE_OAUTH_TOKEN alone, surrounding white space trimmed", async () => {
    const r = await run({
      credentials: null,
      envToken: ` ${ENV_TOKEN}\n`,
      expectToken: ENV_TOKEN,
      reply: respond(200, ENTERPRISE_BODY, JSON_HEADERS),
    });
    expectSuccess(r, ENTERPRISE_BODY);
  });

  test("defaults CLAUDE_CONFIG_DIR to ~/.claude", async () => {
    const r = await run({ setConfigDir: false });
    expectSuccess(r, MAX_BODY);
    expect(r.request).toBeDefined();
  });

  test("an expired stored token is still tried", async () => {
    const r = await run({ credentials: "expired.json", expectToken: EXPIRED_TOKEN });
    expectSuccess(r, MAX_BODY);
    expect(r.request).toBeDefined();
  });

  test("reads the credentials file with python3", async () => {
    const r = await run({ env: { AGENT_LIMITS_JSON_READERS: "python3" } });
    expectSuccess(r, MAX_BODY);
    expect(r.request).toBeDefined();
  });

  withJq("reads the credentials file with jq", async () => {
    const r = await run({ env: { AGENT_LIMITS_JSON_READERS: "jq" } });
    expectSuccess(r, MAX_BODY);
    expect(r.request).toBeDefined();
  });

  test("needs no JSON reader with CLAUDE_CODE_OAUTH_TOKEN", async () => {
    const r = await run({ credentials: null, envToken: ENV_TOKEN, env: { AGENT_LIMITS_JSON_READERS: "none" } });
    expectSuccess(r, MAX_BODY);
  });
});

describe("claude probe: credentials", () => {
  test("nothing found with the Keychain off → 14, hint: CLAUDE_CODE_OAUTH_TOKEN or a credentials file", async () => {
    const r = await run({ credentials: null });
    const envelope = expectFailure(r, 14, "credentials_not_found", undefined, /CLAUDE_CODE_OAUTH_TOKEN/);
    expect(envelope.hint).toMatch(/credentials file/);
    expect(envelope.hint).toMatch(/Keychain is turned off/);
    expect(r.request).toBeUndefined();
  });

  (process.platform === "darwin" ? test.skip : test)(
    "nothing found with the Keychain allowed (not macOS) → 14, log in with claude",
    async () => {
      const r = await run({ credentials: null, env: { AGENT_LIMITS_ALLOW_KEYCHAIN: "1" } });
      const envelope = expectFailure(r, 14, "credentials_not_found", undefined, /`claude`/);
      expect(envelope.hint).not.toMatch(/turned off/);
      expect(r.request).toBeUndefined();
    },
  );

  test("only mcpOAuth → 14 credentials_not_found (not logged in)", async () => {
    const r = await run({ credentials: "mcp-only.json" });
    expectFailure(r, 14, "credentials_not_found", undefined, /only MCP/);
    expect(r.request).toBeUndefined();
  });

  test("a token that could inject curl config → 14 credentials_invalid, no request", async () => {
    const r = await run({ envToken: 'sk-ant-oat01-bad"\nheader = "X-Injected: 1' });
    expectFailure(r, 14, "credentials_invalid", undefined, /CLAUDE_CODE_OAUTH_TOKEN/);
    expect(r.request).toBeUndefined();
    expect(r.result.stdout).not.toContain("sk-ant-oat01-bad");
  });

  test("a credentials file but no JSON reader → 14 tool_missing", async () => {
    const r = await run({ env: { AGENT_LIMITS_JSON_READERS: "none" } });
    expectFailure(r, 14, "tool_missing", undefined, /CLAUDE_CODE_OAUTH_TOKEN/);
    expect(r.request).toBeUndefined();
  });
});

describe("claude probe: HTTP errors", () => {
  test("401 → 13 auth_expired, open Claude Code to refresh", async () => {
    const r = await run({ reply: respond(401, fixture("probe-errors", "claude-401-invalid.json"), JSON_HEADERS, 200) });
    expectFailure(r, 13, "auth_expired", 401, /Open Claude Code to refresh its login/);
  });

  test("401 after expiresAt → 13 auth_expired, login expired", async () => {
    const r = await run({
      credentials: "expired.json",
      expectToken: EXPIRED_TOKEN,
      reply: respond(401, fixture("probe-errors", "claude-401-expired.json"), JSON_HEADERS),
    });
    expectFailure(r, 13, "auth_expired", 401, /expired\. Open Claude Code to refresh its login/);
  });

  test("401 for CLAUDE_CODE_OAUTH_TOKEN → 13, hint names the variable", async () => {
    const r = await run({
      envToken: ENV_TOKEN,
      reply: respond(401, fixture("probe-errors", "claude-401-invalid.json"), JSON_HEADERS),
    });
    expectFailure(r, 13, "auth_expired", 401, /CLAUDE_CODE_OAUTH_TOKEN/);
  });

  test("403 scope error → 13 auth_scope_missing: setup-token lacks user:profile, log in with claude", async () => {
    const r = await run({
      envToken: ENV_TOKEN,
      reply: respond(403, fixture("probe-errors", "claude-403-scope.json"), JSON_HEADERS),
    });
    const envelope = expectFailure(r, 13, "auth_scope_missing", 403, /`claude setup-token`/);
    expect(envelope.hint).toMatch(/user:profile/);
    expect(envelope.hint).toMatch(/log in with `claude`/);
  });

  test("other 403 JSON → 13 auth_forbidden, provider message quoted and escaped", async () => {
    const r = await run({ reply: respond(403, fixture("probe-errors", "claude-403-other.json"), JSON_HEADERS) });
    const envelope = expectFailure(r, 13, "auth_forbidden", 403);
    expect(envelope.hint).toContain('Your "organization" has disabled this \\ feature');
  });

  test("403 HTML challenge → 16 unparsable_body", async () => {
    const html = fixture("probe-errors", "cloudflare-challenge.html");
    const r = await run({ reply: respond(403, html, { "Content-Type": "text/html; charset=UTF-8" }) });
    expectFailure(r, 16, "unparsable_body", 403, /Try again later/);
  });

  test("429 with Retry-After → 17 rate_limited with retry_after", async () => {
    const body = fixture("probe-errors", "claude-429.json");
    const r = await run({ reply: respond(429, body, { ...JSON_HEADERS, "Retry-After": "90" }) });
    const envelope = expectFailure(r, 17, "rate_limited", 429, /Try again in 2 minutes/);
    expect(envelope.retry_after).toBe(90);
  });

  test("429 without Retry-After → 17 rate_limited, no retry_after", async () => {
    const r = await run({ reply: respond(429, fixture("probe-errors", "claude-429.json"), JSON_HEADERS) });
    const envelope = expectFailure(r, 17, "rate_limited", 429, /Try again in about 5 minutes/);
    expect(envelope).not.toHaveProperty("retry_after");
  });

  test("529 overloaded → 11 http_error", async () => {
    const r = await run({ reply: respond(529, fixture("probe-errors", "claude-529.json"), JSON_HEADERS) });
    expectFailure(r, 11, "http_error", 529, /overloaded/);
  });

  test("500 → 11 http_error", async () => {
    const r = await run({ reply: respond(500, '{"type":"error","error":{"type":"api_error"}}', JSON_HEADERS) });
    expectFailure(r, 11, "http_error", 500, /server error/);
  });

  test("200 HTML → 16 unparsable_body", async () => {
    const html = fixture("probe-errors", "cloudflare-challenge.html");
    const r = await run({ reply: respond(200, html, { "Content-Type": "text/html" }) });
    expectFailure(r, 16, "unparsable_body", 200, /web page/);
  });

  test("200 with a non-JSON body → 16 unparsable_body", async () => {
    const r = await run({ reply: respond(200, "[1,2,3]", JSON_HEADERS) });
    expectFailure(r, 16, "unparsable_body", 200, /not JSON/);
  });

  test("200 with an empty body → 16 unparsable_body", async () => {
    const r = await run({ reply: respond(200, "") });
    expectFailure(r, 16, "unparsable_body", 200, /empty/);
  });
});

describe("claude probe: network", () => {
  test("no answer within AGENT_LIMITS_PROBE_TIMEOUT → 12 timeout", async () => {
    const r = await run({ reply: { kind: "hang" }, env: { AGENT_LIMITS_PROBE_TIMEOUT: "2" } });
    expectFailure(r, 12, "timeout", undefined, /2 seconds/);
    expect(r.result.ms).toBeLessThan(6_000);
    expect(r.request).toBeDefined();
  }, 15_000);

  test("connection refused → 10 network", async () => {
    const r = await run({ url: await refusedUrl(USAGE_PATH) });
    expectFailure(r, 10, "network", undefined, /internet connection/);
  });

  test("socket closed without an answer → 10 network", async () => {
    const r = await run({ reply: { kind: "close" } });
    expectFailure(r, 10, "network", undefined);
    expect(r.request).toBeDefined();
  });
});
