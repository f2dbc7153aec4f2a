/**
 * Secret hygiene. Refreshes run the real probes against loopback servers, for a success and every
 * error class, including a hostile server that echoes the token back. Then everything the extension
 * wrote or printed is scanned: LocalStorage (balances, errors, the activity log), toasts, console
 * output, the confirmation alert, command metadata, launches, the menu it renders, the probes' own
 * stdout and stderr, and every process's arguments while a request is in flight. No credential from
 * the fixtures, nor CLAUDE_CODE_OAUTH_TOKEN, nor any 20-character piece of one may appear. Files the
 * probes create while running are private (0700 folder, 0600 files) and gone afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createElement } from "react";
import { confirmAlert, launchCommand, updateCommandMetadata, type LaunchProps } from "@raycast/api";
import MenuBarCommand from "../../../src/menu-bar";
import RefreshBillingCommand from "../../../src/refresh-billing";
import { sourceDefinition, SOURCES } from "../../../src/sources/registry";
import type { SourceId } from "../../../src/model/types";
import { fixture, hasProc, processArgvs, REPO_ROOT, runProbe, type ProbeName } from "../probes/harness";
import { respond, startMockServer, type MockReply, type MockServer } from "../../support/mock-http-server";
import { mockControl, shownToasts } from "../../support/raycast-api";
import { render } from "../../support/render";
import { allSecrets, captureConsole, ENV_OAUTH_TOKEN, expectNoSecrets, findSecrets } from "../../support/secrets";

const CODEX_TOKEN = JSON.parse(fixture("codex-auth", "chatgpt.json")).tokens.access_token as string;
const CLAUDE_TOKEN = JSON.parse(fixture("claude-credentials", "full.json")).claudeAiOauth.accessToken as string;
const JSON_TYPE = { "content-type": "application/json" };
const HTML_TYPE = { "content-type": "text/html; charset=utf-8" };

let codex: MockServer;
let claude: MockServer;
let root: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  [codex, claude] = await Promise.all([startMockServer(), startMockServer()]);
  root = fs.mkdtempSync(path.join(os.tmpdir(), "agent-limits-secrets-"));
});
afterAll(async () => {
  await Promise.all([codex.close(), claude.close()]);
  fs.rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  process.env = { ...savedEnv };
  codex.onRequest(undefined);
  claude.onRequest(undefined);
  jest.restoreAllMocks();
});

test("the scanner itself finds a whole token, a piece of one, and nothing in clean text", () => {
  expect(allSecrets()).toEqual(expect.arrayContaining([CODEX_TOKEN, CLAUDE_TOKEN, ENV_OAUTH_TOKEN]));
  expect(allSecrets().length).toBeGreaterThanOrEqual(10);
  expect(findSecrets([`Bearer ${CODEX_TOKEN}`])).toHaveLength(1);
  expect(findSecrets([`token …${CLAUDE_TOKEN.slice(9, 31)}… rejected`])).toHaveLength(1);
  expect(findSecrets(["Claude rejected the saved login. Open Claude Code to refresh its login."])).toEqual([]);
});

interface Homes {
  codexHome: string;
  claudeDir: string;
  tmp: string;
}

function makeHomes(codexAuth: string | null, claudeCredentials: string | null): Homes {
  const base = fs.mkdtempSync(path.join(root, "case-"));
  const homes = {
    codexHome: path.join(base, "codex"),
    claudeDir: path.join(base, "claude"),
    tmp: path.join(base, "tmp"),
  };
  for (const dir of Object.values(homes)) fs.mkdirSync(dir);
  if (codexAuth) fs.writeFileSync(path.join(homes.codexHome, "auth.json"), fixture("codex-auth", codexAuth));
  if (claudeCredentials) {
    fs.writeFileSync(path.join(homes.claudeDir, ".credentials.json"), fixture("claude-credentials", claudeCredentials));
  }
  return homes;
}

/** What the probe's private temporary folder looks like while curl waits for the answer. */
interface TempCheck {
  dirs: string[];
  badModes: string[];
}

function inspectTemp(tmp: string, into: TempCheck) {
  for (const name of fs.readdirSync(tmp)) {
    const dir = path.join(tmp, name);
    into.dirs.push(name);
    const mode = fs.statSync(dir).mode & 0o777;
    if (mode !== 0o700) into.badModes.push(`${name}: ${mode.toString(8)}`);
    for (const file of fs.readdirSync(dir)) {
      const fileMode = fs.statSync(path.join(dir, file)).mode & 0o777;
      if (fileMode !== 0o600) into.badModes.push(`${name}/${file}: ${fileMode.toString(8)}`);
    }
  }
}

interface Scenario {
  codexAuth: string | null;
  claudeCredentials: string | null;
  codexReply?: MockReply;
  claudeReply?: MockReply;
  envToken?: boolean;
}

const echo = (status: number, message: string): MockReply =>
  respond(status, JSON.stringify({ detail: { message }, error: { message } }), JSON_TYPE);

const SCENARIOS: Record<string, Scenario> = {
  success: {
    codexAuth: "chatgpt.json",
    claudeCredentials: "full.json",
    codexReply: respond(200, fixture("codex-usage", "pro-with-credits-and-spark.json"), JSON_TYPE),
    claudeReply: respond(200, fixture("claude-usage", "eur-with-limits-and-spend.json"), JSON_TYPE),
  },
  "401 expired": {
    codexAuth: "chatgpt.json",
    claudeCredentials: "expired.json",
    codexReply: respond(401, fixture("probe-errors", "chatgpt-401.json"), JSON_TYPE),
    claudeReply: respond(401, fixture("probe-errors", "claude-401-expired.json"), JSON_TYPE),
  },
  "403 with a JSON reason": {
    codexAuth: "camelcase.json",
    claudeCredentials: "full.json",
    codexReply: respond(403, fixture("probe-errors", "chatgpt-403.json"), JSON_TYPE),
    claudeReply: respond(403, fixture("probe-errors", "claude-403-scope.json"), JSON_TYPE),
  },
  "403 browser check page": {
    codexAuth: "no-account-id.json",
    claudeCredentials: "full.json",
    codexReply: respond(403, fixture("probe-errors", "cloudflare-challenge.html"), HTML_TYPE),
    claudeReply: respond(403, fixture("probe-errors", "cloudflare-challenge.html"), HTML_TYPE),
  },
  "429 with Retry-After": {
    codexAuth: "chatgpt.json",
    claudeCredentials: "full.json",
    codexReply: respond(429, fixture("probe-errors", "chatgpt-429.json"), { ...JSON_TYPE, "retry-after": "120" }),
    claudeReply: respond(429, fixture("probe-errors", "claude-429.json"), { ...JSON_TYPE, "retry-after": "120" }),
  },
  "server errors": {
    codexAuth: "chatgpt.json",
    claudeCredentials: "full.json",
    codexReply: respond(500, "internal error", { "content-type": "text/plain" }),
    claudeReply: respond(529, fixture("probe-errors", "claude-529.json"), JSON_TYPE),
  },
  "200 with a maintenance page": {
    codexAuth: "chatgpt.json",
    claudeCredentials: "full.json",
    codexReply: respond(200, fixture("probe-errors", "maintenance.html"), HTML_TYPE),
    claudeReply: respond(200, "not json at all", { "content-type": "text/plain" }),
  },
  "a server that echoes the whole token": {
    codexAuth: "chatgpt.json",
    claudeCredentials: "full.json",
    codexReply: echo(404, `Unknown token Bearer ${CODEX_TOKEN}`),
    claudeReply: echo(400, `Unknown token Bearer ${CLAUDE_TOKEN}`),
  },
  "a server that echoes a piece of the token": {
    codexAuth: "chatgpt.json",
    claudeCredentials: "full.json",
    codexReply: echo(404, `Unknown token …${CODEX_TOKEN.slice(30, 70)}…`),
    claudeReply: echo(403, `Token ${CLAUDE_TOKEN.slice(0, 32)}… is not allowed here`),
  },
  "a connection closed without an answer": {
    codexAuth: "chatgpt.json",
    claudeCredentials: "full.json",
    codexReply: { kind: "close" },
    claudeReply: { kind: "close" },
  },
  "no login at all": { codexAuth: null, claudeCredentials: null },
  "an API-key login and an MCP-only login": { codexAuth: "api-key.json", claudeCredentials: "mcp-only.json" },
  "damaged and legacy credentials": { codexAuth: "damaged-token.json", claudeCredentials: "mcp-only.json" },
  "CLAUDE_CODE_OAUTH_TOKEN rejected": {
    codexAuth: "api-key-legacy.json",
    claudeCredentials: null,
    envToken: true,
    claudeReply: respond(401, fixture("probe-errors", "claude-401-invalid.json"), JSON_TYPE),
  },
  "CLAUDE_CODE_OAUTH_TOKEN echoed back": {
    codexAuth: null,
    claudeCredentials: "full.json",
    envToken: true,
    claudeReply: echo(418, `I am a teapot and your token is ${ENV_OAUTH_TOKEN}`),
  },
};

describe("a confirmed Refresh Billing writes and prints no secret", () => {
  test.each(Object.entries(SCENARIOS))("%s", async (_name, scenario) => {
    const homes = makeHomes(scenario.codexAuth, scenario.claudeCredentials);
    process.env.AGENT_LIMITS_CODEX_USAGE_URL = codex.url("/backend-api/wham/usage");
    process.env.AGENT_LIMITS_CLAUDE_USAGE_URL = claude.url("/api/oauth/usage");
    process.env.TMPDIR = homes.tmp;
    if (scenario.envToken) process.env.CLAUDE_CODE_OAUTH_TOKEN = ENV_OAUTH_TOKEN;
    else delete process.env.CLAUDE_CODE_OAUTH_TOKEN;
    codex.reply(scenario.codexReply ?? respond(500, "unexpected request"));
    claude.reply(scenario.claudeReply ?? respond(500, "unexpected request"));
    const before = { codex: codex.requests.length, claude: claude.requests.length };

    const argvs: string[] = [];
    const temp: TempCheck = { dirs: [], badModes: [] };
    const whileWaiting = () => {
      argvs.push(...processArgvs().map((argv) => argv.join(" ")));
      inspectTemp(homes.tmp, temp);
    };
    codex.onRequest(whileWaiting);
    claude.onRequest(whileWaiting);

    const output = captureConsole();
    mockControl.setPreferences({ codexHome: homes.codexHome, claudeConfigDir: homes.claudeDir, allowKeychain: false });
    await RefreshBillingCommand({ launchContext: undefined } as unknown as LaunchProps);
    const menu = await render(createElement(MenuBarCommand));
    const menuText = menu.findAll("menubar-item").map((item) => JSON.stringify(item.props));
    await menu.unmount();

    const requests = codex.requests.length - before.codex + claude.requests.length - before.claude;
    expect(shownToasts.length).toBeGreaterThan(0);
    expectNoSecrets([
      JSON.stringify([...mockControl.storage.entries()]),
      ...shownToasts.map((toast) => JSON.stringify(toast)),
      ...output.lines,
      JSON.stringify(jest.mocked(confirmAlert).mock.calls),
      JSON.stringify(jest.mocked(updateCommandMetadata).mock.calls),
      JSON.stringify(jest.mocked(launchCommand).mock.calls),
      ...menuText,
      ...argvs,
    ]);
    // The probes' temporary folders were private while in use, and are gone now.
    expect(temp.badModes).toEqual([]);
    if (requests > 0) expect(temp.dirs.length).toBeGreaterThan(0);
    expect(fs.readdirSync(homes.tmp)).toEqual([]);
    // The probes wrote nothing next to the logins.
    expect(fs.readdirSync(homes.codexHome)).toEqual(scenario.codexAuth ? ["auth.json"] : []);
    expect(fs.readdirSync(homes.claudeDir)).toEqual(scenario.claudeCredentials ? [".credentials.json"] : []);
  });
});

describe("the probes' own stdout and stderr hold no secret", () => {
  const cases = Object.entries(SCENARIOS).flatMap(([name, scenario]) =>
    (["codex", "claude"] as SourceId[]).map((source): [string, SourceId, Scenario] => [name, source, scenario]),
  );
  const hangCase: [string, SourceId, Scenario][] = (["codex", "claude"] as SourceId[]).map((source) => [
    "a server that never answers (probe deadline 1 s)",
    source,
    {
      codexAuth: "chatgpt.json",
      claudeCredentials: "full.json",
      codexReply: { kind: "hang" },
      claudeReply: { kind: "hang" },
    },
  ]);

  test.concurrent.each([...cases, ...hangCase])("%s: %s probe", async (_name, source, scenario) => {
    const homes = makeHomes(scenario.codexAuth, scenario.claudeCredentials);
    const server = await startMockServer();
    try {
      server.reply((source === "codex" ? scenario.codexReply : scenario.claudeReply) ?? respond(500, "unexpected"));
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: homes.tmp,
        TMPDIR: homes.tmp,
        LANG: "C.UTF-8",
        CODEX_HOME: homes.codexHome,
        CLAUDE_CONFIG_DIR: homes.claudeDir,
        AGENT_LIMITS_ALLOW_KEYCHAIN: "0",
        AGENT_LIMITS_PROBE_TIMEOUT: "1",
        AGENT_LIMITS_CODEX_USAGE_URL: server.url("/backend-api/wham/usage"),
        AGENT_LIMITS_CLAUDE_USAGE_URL: server.url("/api/oauth/usage"),
        ...(scenario.envToken ? { CLAUDE_CODE_OAUTH_TOKEN: ENV_OAUTH_TOKEN } : {}),
      };
      const result = await runProbe(sourceDefinition(source).probeScript as ProbeName, env, 10_000);
      expect(result.code).not.toBeNull();
      expectNoSecrets([result.stdout, result.stderr]);
      expect(result.stderr).toBe("");
      expect(fs.readdirSync(homes.tmp)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

test("the shipped probes are the ones tested here", () => {
  for (const { probeScript: script } of SOURCES) {
    expect(fs.readFileSync(path.join(REPO_ROOT, "assets", "probes", script), "utf8")).toBe(
      fs.readFileSync(path.join(REPO_ROOT, "probes", script), "utf8"),
    );
  }
  expect(hasProc || process.platform === "darwin").toBe(true);
});
