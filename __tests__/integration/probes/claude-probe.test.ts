/**
 * Runs probes/claude_billing_capture.sh for real against a scripted server on 127.0.0.1
 * (SPEC §4, provider-formats §4): successful runs, and the credentials it refuses before any request.
 */
import { respond } from "../../support/mock-http-server";
import { expectFailure, expectSuccess, hasCommand } from "./harness";
import { ENV_TOKEN, EXPIRED_TOKEN, JSON_HEADERS, MAX_BODY, useClaudeProbe } from "./claude-probe-run";

const { run } = useClaudeProbe();

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
