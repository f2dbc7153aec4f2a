/**
 * Runs probes/codex_billing_capture.sh for real against a scripted server on 127.0.0.1
 * (SPEC §4, provider-formats §3): successful runs, and the credentials it refuses before any request.
 */
import { respond } from "../../support/mock-http-server";
import { expectFailure, expectSuccess, fixture, hasCommand } from "./harness";
import { camel, JSON_HEADERS, noAccount, PRO_BODY, useCodexProbe } from "./codex-probe-run";

const { world, run } = useCodexProbe();

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
    world.sandbox.write("home/custom-codex/auth.json", fixture("codex-auth", "chatgpt.json"));
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
