/**
 * Runs probes/codex_billing_capture.sh for real against a scripted server on 127.0.0.1
 * (SPEC §4, provider-formats §3): HTTP errors and network failures, each with its exit code and envelope.
 */
import { respond } from "../../support/mock-http-server";
import { expectFailure, fixture } from "./harness";
import { describeNetworkFailures } from "./network-failures";
import { JSON_HEADERS, USAGE_PATH, useCodexProbe } from "./codex-probe-run";

const { world, run } = useCodexProbe();

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
    const r = await run({ reply: respond(302, "", { Location: world.server.url("/elsewhere") }) });
    expectFailure(r, 11, "http_error", 302);
    expect(world.server.requests).toHaveLength(1);
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

describeNetworkFailures("codex", USAGE_PATH, world, run);
