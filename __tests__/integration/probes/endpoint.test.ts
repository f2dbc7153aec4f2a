/**
 * The probes check an endpoint override themselves (for a run outside the extension), with the
 * extension's rules: every URL the extension would use, the probe uses, and every URL the probe
 * refuses, the extension refuses too; curl is held to https except for this machine (`--proto`).
 * Every URL here points at this machine, and a proxy on a closed loopback port catches anything that
 * would go further, so nothing leaves 127.0.0.1 even if a check were wrong.
 */
import path from "node:path";
import { resolveEndpoint } from "../../../src/billing/endpoint";
import { refusedUrl, respond, startMockServer, type MockServer } from "../../support/mock-http-server";
import { baseEnv, fixture, parseEnvelope, PROBES, runProbe, Sandbox, type ProbeName } from "./harness";

const VARIABLES: Record<ProbeName, string> = {
  "codex_billing_capture.sh": "AGENT_LIMITS_CODEX_USAGE_URL",
  "claude_billing_capture.sh": "AGENT_LIMITS_CLAUDE_USAGE_URL",
};
const SOURCES = { "codex_billing_capture.sh": "codex", "claude_billing_capture.sh": "claude" } as const;

let server: MockServer;
let sandbox: Sandbox;
let proxy: string;

beforeAll(async () => {
  server = await startMockServer();
  proxy = (await refusedUrl("")).replace(/\/$/, "");
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  sandbox = new Sandbox();
  server.requests.length = 0;
  server.reply(respond(200, '{"ok":true}', { "Content-Type": "application/json" }));
});
afterEach(() => {
  sandbox.cleanup();
});

async function runWithEndpoint(probe: ProbeName, url: string) {
  sandbox.write("codex/auth.json", fixture("codex-auth", "chatgpt.json"));
  sandbox.write("claude/.credentials.json", fixture("claude-credentials", "full.json"));
  const result = await runProbe(
    probe,
    baseEnv(sandbox, {
      CODEX_HOME: path.join(sandbox.root, "codex"),
      CLAUDE_CONFIG_DIR: path.join(sandbox.root, "claude"),
      [VARIABLES[probe]]: url,
      ALL_PROXY: proxy,
      HTTPS_PROXY: proxy,
      HTTP_PROXY: proxy,
      AGENT_LIMITS_PROBE_TIMEOUT: "3",
    }),
  );
  expect(result.stderr).toBe("");
  expect(sandbox.leftovers()).toEqual([]);
  return result;
}

/** `PORT` stands for the loopback server's port. */
const withPort = (url: string) => url.replace("PORT", String(server.port));
/** Refused by both the extension and the probes. */
const REFUSED = [
  "http://user@127.0.0.1:PORT/u",
  "http://127.0.0.1:PORT\\@localhost/u",
  "http://127.0.0.1:PORT/a b",
  "http://127.0.0.1:PORT/\tu",
  "http://127.0.0.1:PORT/ü",
  "http://127.1:PORT/u",
  "http://0x7f.0.0.1:PORT/u",
  "http://2130706433:PORT/u",
  "http://0177.0.0.1:PORT/u",
  "http://127.0.0.1.:PORT/u",
  "http://localhost.localdomain:PORT/u",
  "HTTP://127.0.0.1:PORT/u",
  "ftp://127.0.0.1:PORT/u",
  "file:///etc/hostname",
  "http:127.0.0.1:PORT/u",
];

describe.each(PROBES)("%s", (probe) => {
  test.each(REFUSED)("refuses %j like the extension does: exit 15, no request", async (template) => {
    const url = withPort(template);
    expect(resolveEndpoint(SOURCES[probe], { [VARIABLES[probe]]: url })).toMatchObject({ ok: false });
    const result = await runWithEndpoint(probe, url);
    expect(result.code).toBe(15);
    const envelope = parseEnvelope(result.stdout);
    expect(envelope.error).toBe("endpoint_refused");
    expect(envelope.hint).toContain(`${VARIABLES[probe]} was not used: `);
    expect(server.requests).toHaveLength(0);
  });

  test.each([["127.0.0.1"], ["localhost"]])("uses plain http to %s, as the extension does", async (host) => {
    const url = withPort(`http://${host}:PORT/u`);
    expect(resolveEndpoint(SOURCES[probe], { [VARIABLES[probe]]: url })).toMatchObject({ ok: true });
    const result = await runWithEndpoint(probe, url);
    expect(result.code).not.toBe(15);
  });
});
