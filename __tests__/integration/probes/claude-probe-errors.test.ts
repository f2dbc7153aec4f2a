/**
 * Runs probes/claude_billing_capture.sh for real against a scripted server on 127.0.0.1
 * (SPEC §4, provider-formats §4): HTTP errors and network failures, each with its exit code and envelope.
 */
import { respond } from "../../support/mock-http-server";
import { expectFailure, fixture } from "./harness";
import { describeNetworkFailures } from "./network-failures";
import { ENV_TOKEN, EXPIRED_TOKEN, JSON_HEADERS, USAGE_PATH, useClaudeProbe } from "./claude-probe-run";

const { world, run } = useClaudeProbe();

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

describeNetworkFailures("claude", USAGE_PATH, world, run);
