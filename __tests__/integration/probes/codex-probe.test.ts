/**
 * Runs probes/codex_billing_capture.sh for real against a scripted server on 127.0.0.1
 * (SPEC §4, provider-formats §3).
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

const auth = JSON.parse(fixture("codex-auth", "chatgpt.json")) as {
  tokens: { id_token: string; access_token: string; refresh_token: string; account_id: string };
};
const TOKEN = auth.tokens.access_token;
const ACCOUNT_ID = auth.tokens.account_id;
const camel = JSON.parse(fixture("codex-auth", "camelcase.json")) as {
  tokens: { accessToken: string; accountId: string };
};
const noAccount = JSON.parse(fixture("codex-auth", "no-account-id.json")) as { tokens: { access_token: string } };
const API_KEYS = ["sk-proj-SYNTHETIC-api-key-do-not-use-5e8a1c", "sk-proj-SYNTHETIC-legacy-api-key-3d7f2b"];
const SECRETS = [
  TOKEN,
  auth.tokens.id_token,
  auth.tokens.refresh_token,
  camel.tokens.accessToken,
  noAccount.tokens.access_token,
  ...API_KEYS,
];
const USAGE_PATH = "/backend-api/wham/usage";
const JSON_HEADERS = { "Content-Type": "application/json" };

// provider-formats §3.4: "Pro, 5 h + weekly, credits, Spark model limit" (pretty, with a trailing newline).
const PRO_BODY = `{
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
// provider-formats §3.4: "Enterprise, unlimited credits" (one line, no trailing newline).
const ENTERPRISE_BODY =
  '{"plan_type":"enterprise","rate_limit":{"allowed":true,"limit_reached":false,"primary_window":{"used_percent":4,"limit_window_seconds":18000,"reset_after_seconds":9453,"reset_at":1791823260},"secondary_window":{"used_percent":11,"limit_window_seconds":604800,"reset_after_seconds":328157,"reset_at":1792141964}},"credits":{"has_credits":true,"unlimited":true,"balance":null}}';
// provider-formats §3.4: "Business workspace: no windows, monthly credit pool via spend control".
const BUSINESS_BODY = `{
  "plan_type": "business",
  "rate_limit": null,
  "credits": {"has_credits": true, "unlimited": false, "balance": "9999"},
  "spend_control": {
    "reached": false,
    "reached_limit_type": null,
    "individual_limit": {"limit": "100000", "used": "7761", "remaining": "92239", "used_percent": 8, "remaining_percent": 92, "reset_after_seconds": 1677393, "reset_at": 1793491200}
  }
}`;

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

interface Run {
  result: ProbeResult;
  request?: RecordedRequest;
}

async function run(options: RunOptions = {}): Promise<Run> {
  const { authFixture = "chatgpt.json", setCodexHome = true } = options;
  const codexHome = setCodexHome ? path.join(sandbox.root, "codex-home") : path.join(sandbox.home, ".codex");
  sandbox.dir(path.relative(sandbox.root, codexHome));
  if (authFixture)
    sandbox.write(path.relative(sandbox.root, path.join(codexHome, "auth.json")), fixture("codex-auth", authFixture));
  server.reply(options.reply ?? respond(200, PRO_BODY, JSON_HEADERS));
  const env = baseEnv(sandbox, {
    AGENT_LIMITS_CODEX_USAGE_URL: options.url ?? server.url(USAGE_PATH),
    ...(setCodexHome ? { CODEX_HOME: codexHome } : {}),
    ...options.env,
  });
  const result = await runProbe("codex_billing_capture.sh", env);
  expectNoSecrets(result, SECRETS);
  expect(sandbox.leftovers()).toEqual([]);
  expect(server.requests.length).toBeLessThanOrEqual(1);
  const request = server.requests[0];
  if (request) {
    const [token, accountId] = options.expectAuth ?? [TOKEN, ACCOUNT_ID];
    expectCodexRequest(request, token, accountId);
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

function expectCodexRequest(
  request: RecordedRequest | undefined,
  token = TOKEN,
  accountId: string | null = ACCOUNT_ID,
) {
  expect(request).toBeDefined();
  expect(request?.method).toBe("GET");
  expect(request?.path).toBe(USAGE_PATH);
  expect(request?.headers.authorization).toBe(`Bearer ${token}`);
  if (accountId === null) expect(request?.headers).not.toHaveProperty("chatgpt-account-id");
  else expect(request?.headers["chatgpt-account-id"]).toBe(accountId);
  expect(request?.headers["user-agent"]).toBe("codex-cli");
  expect(request?.headers.accept).toBe("application/json");
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

describe("codex probe: success", () => {
  test("prints a Pro wham/usage body exactly and sends the ChatGPT headers", async () => {
    const delayed = respond(200, PRO_BODY, JSON_HEADERS, 300);
    const r = await run({ reply: delayed });
    expectSuccess(r, PRO_BODY);
    expect(r.request).toBeDefined();
  });

  test("prints a one-line Enterprise body with a charset content type", async () => {
    const r = await run({
      reply: respond(200, ENTERPRISE_BODY, { "Content-Type": "application/json; charset=utf-8" }),
    });
    expectSuccess(r, ENTERPRISE_BODY);
    expect(r.request).toBeDefined();
  });

  test("accepts camelCase accessToken / accountId", async () => {
    const r = await run({
      authFixture: "camelcase.json",
      reply: respond(200, BUSINESS_BODY, JSON_HEADERS),
      expectAuth: [camel.tokens.accessToken, camel.tokens.accountId],
    });
    expect(r.request).toBeDefined();
    expectSuccess(r, BUSINESS_BODY);
  });

  test("omits ChatGPT-Account-Id when auth.json has none", async () => {
    const r = await run({ authFixture: "no-account-id.json", expectAuth: [noAccount.tokens.access_token, null] });
    expect(r.request?.headers).not.toHaveProperty("chatgpt-account-id");
    expectSuccess(r, PRO_BODY);
  });

  test("defaults CODEX_HOME to ~/.codex", async () => {
    const r = await run({ setCodexHome: false });
    expectSuccess(r, PRO_BODY);
    expect(r.request).toBeDefined();
  });

  test("expands a leading ~/ in CODEX_HOME", async () => {
    sandbox.write("home/custom-codex/auth.json", fixture("codex-auth", "chatgpt.json"));
    const r = await run({ authFixture: null, env: { CODEX_HOME: "~/custom-codex" } });
    expectSuccess(r, PRO_BODY);
    expect(r.request).toBeDefined();
  });

  test("reads auth.json with python3", async () => {
    const r = await run({ env: { AGENT_LIMITS_JSON_READERS: "python3" } });
    expectSuccess(r, PRO_BODY);
    expect(r.request).toBeDefined();
  });

  withJq("reads auth.json with jq", async () => {
    const r = await run({
      authFixture: "camelcase.json",
      env: { AGENT_LIMITS_JSON_READERS: "jq" },
      expectAuth: [camel.tokens.accessToken, camel.tokens.accountId],
    });
    expect(r.request).toBeDefined();
    expectSuccess(r, PRO_BODY);
  });
});

describe("codex probe: credentials", () => {
  test("no auth.json → 14 credentials_not_found, no request", async () => {
    const r = await run({ authFixture: null });
    expectFailure(r, 14, "credentials_not_found", undefined, /`codex`/);
    expect(r.request).toBeUndefined();
  });

  test("API-key login → 14 api_key_login with a hint that it has no ChatGPT usage data", async () => {
    const r = await run({ authFixture: "api-key.json" });
    expectFailure(r, 14, "api_key_login", undefined, /API-key logins have no ChatGPT usage data/);
    expect(r.request).toBeUndefined();
  });

  test("older API-key auth.json without auth_mode → 14 api_key_login", async () => {
    const r = await run({ authFixture: "api-key-legacy.json" });
    expectFailure(r, 14, "api_key_login", undefined, /codex login/);
    expect(r.request).toBeUndefined();
  });

  test("auth.json without tokens → 14 credentials_not_found", async () => {
    const r = await run({ authFixture: "no-tokens.json" });
    expectFailure(r, 14, "credentials_not_found", undefined, /no ChatGPT login tokens/);
    expect(r.request).toBeUndefined();
  });

  test("a token that could inject curl config → 14 credentials_invalid, no request", async () => {
    const r = await run({ authFixture: "damaged-token.json" });
    expectFailure(r, 14, "credentials_invalid", undefined);
    expect(r.request).toBeUndefined();
    expect(r.result.stdout).not.toContain("SYNTHETIC-damaged");
  });

  test("no JSON reader → 14 tool_missing", async () => {
    const r = await run({ env: { AGENT_LIMITS_JSON_READERS: "none" } });
    expectFailure(r, 14, "tool_missing", undefined, /jq or python3/);
    expect(r.request).toBeUndefined();
  });
});

describe("codex probe: HTTP errors", () => {
  test("401 → 13 auth_expired, run codex to refresh", async () => {
    const r = await run({ reply: respond(401, fixture("probe-errors", "chatgpt-401.json"), JSON_HEADERS, 200) });
    expectFailure(r, 13, "auth_expired", 401, /Run `codex` once to refresh your login/);
    expect(r.request).toBeDefined();
  });

  test("403 JSON → 13 auth_forbidden quoting the provider's message", async () => {
    const r = await run({ reply: respond(403, fixture("probe-errors", "chatgpt-403.json"), JSON_HEADERS) });
    expectFailure(r, 13, "auth_forbidden", 403, /You do not have access to this workspace\./);
    expect(r.request).toBeDefined();
  });

  test("403 HTML challenge → 16 unparsable_body", async () => {
    const html = fixture("probe-errors", "cloudflare-challenge.html");
    const r = await run({ reply: respond(403, html, { "Content-Type": "text/html; charset=UTF-8" }) });
    expectFailure(r, 16, "unparsable_body", 403, /Try again later/);
    expect(r.request).toBeDefined();
  });

  test("403 without a body → 11 http_error", async () => {
    const r = await run({ reply: respond(403, "") });
    expectFailure(r, 11, "http_error", 403);
  });

  test("429 with Retry-After seconds → 17 rate_limited with retry_after", async () => {
    const body = fixture("probe-errors", "chatgpt-429.json");
    const r = await run({ reply: respond(429, body, { ...JSON_HEADERS, "Retry-After": "300" }) });
    const envelope = expectFailure(r, 17, "rate_limited", 429, /Try again in 5 minutes/);
    expect(envelope.retry_after).toBe(300);
  });

  test("429 with an HTTP-date Retry-After → retry_after in seconds", async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const r = await run({ reply: respond(429, "", { "Retry-After": at }) });
    const envelope = expectFailure(r, 17, "rate_limited", 429, /Try again in 2 minutes/);
    expect(envelope.retry_after).toBeGreaterThanOrEqual(100);
    expect(envelope.retry_after).toBeLessThanOrEqual(120);
  });

  test("429 without Retry-After → 17 rate_limited, no retry_after", async () => {
    const r = await run({ reply: respond(429, fixture("probe-errors", "chatgpt-429.json"), JSON_HEADERS) });
    const envelope = expectFailure(r, 17, "rate_limited", 429, /Try again in about 5 minutes/);
    expect(envelope).not.toHaveProperty("retry_after");
  });

  test("500 → 11 http_error", async () => {
    const r = await run({ reply: respond(500, '{"detail":"Internal Server Error"}', JSON_HEADERS) });
    expectFailure(r, 11, "http_error", 500, /server error/);
  });

  test("502 HTML maintenance page → 11 http_error", async () => {
    const html = fixture("probe-errors", "maintenance.html");
    const r = await run({ reply: respond(502, html, { "Content-Type": "text/html" }) });
    expectFailure(r, 11, "http_error", 502);
  });

  test("404 → 11 http_error", async () => {
    const r = await run({ reply: respond(404, '{"detail":"Not Found"}', JSON_HEADERS) });
    expectFailure(r, 11, "http_error", 404, /Not Found/);
  });

  test("a redirect is not followed → 11 http_error after one request", async () => {
    const r = await run({ reply: respond(302, "", { Location: server.url("/elsewhere") }) });
    expectFailure(r, 11, "http_error", 302);
    expect(server.requests).toHaveLength(1);
  });

  test("200 HTML → 16 unparsable_body", async () => {
    const html = fixture("probe-errors", "cloudflare-challenge.html");
    const r = await run({ reply: respond(200, html, { "Content-Type": "text/html" }) });
    expectFailure(r, 16, "unparsable_body", 200, /web page/);
  });

  test("200 with a non-JSON body → 16 unparsable_body", async () => {
    const r = await run({ reply: respond(200, "upstream said: ok", { "Content-Type": "text/plain" }) });
    expectFailure(r, 16, "unparsable_body", 200, /not JSON/);
  });

  test("200 with an empty body → 16 unparsable_body", async () => {
    const r = await run({ reply: respond(200, "", JSON_HEADERS) });
    expectFailure(r, 16, "unparsable_body", 200, /empty/);
  });
});

describe("codex probe: network", () => {
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
