import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { confirmAlert, launchCommand, LocalStorage, type LaunchProps } from "@raycast/api";
import RefreshBillingCommand from "../../src/refresh-billing";
import MenuBarCommand from "../../src/menu-bar";
import { EMPTY_SOURCE, loadSource, saveSource } from "../../src/billing/storage";
import { mockControl, shownToasts } from "../support/raycast-api";
import { render } from "../support/render";
import { respond, startMockServer, type MockServer } from "../support/mock-http-server";
import { makeTempDir } from "../support/temp";
import { fixturePath } from "../support/paths";

const fixtures = fixturePath();
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");
const CODEX_TOKEN = JSON.parse(fixture("codex-auth/chatgpt.json")).tokens.access_token as string;
const CLAUDE_TOKEN = JSON.parse(fixture("claude-credentials/full.json")).claudeAiOauth.accessToken as string;

let codex: MockServer;
let claude: MockServer;
let codexHome: string;
let claudeDir: string;
const savedEnv = { ...process.env };

function homes() {
  const root = makeTempDir("agent-limits-refresh-");
  const codexFolder = path.join(root, "codex home");
  const claudeFolder = path.join(root, "claude");
  mkdirSync(codexFolder);
  mkdirSync(claudeFolder);
  copyFileSync(path.join(fixtures, "codex-auth/chatgpt.json"), path.join(codexFolder, "auth.json"));
  copyFileSync(path.join(fixtures, "claude-credentials/full.json"), path.join(claudeFolder, ".credentials.json"));
  return { codexFolder, claudeFolder };
}

const launch = () => RefreshBillingCommand({ launchContext: undefined } as unknown as LaunchProps);

beforeAll(async () => {
  codex = await startMockServer();
  claude = await startMockServer();
});

afterAll(async () => {
  await Promise.all([codex.close(), claude.close()]);
});

beforeEach(() => {
  ({ codexFolder: codexHome, claudeFolder: claudeDir } = homes());
  process.env.AGENT_LIMITS_CODEX_USAGE_URL = codex.url("/backend-api/wham/usage");
  process.env.AGENT_LIMITS_CLAUDE_USAGE_URL = claude.url("/api/oauth/usage");
  delete process.env.CLAUDE_CODE_OAUTH_TOKEN;
  codex.requests.length = 0;
  claude.requests.length = 0;
  codex.reply(
    respond(200, fixture("codex-usage/pro-with-credits-and-spark.json"), { "content-type": "application/json" }),
  );
  claude.reply(
    respond(200, fixture("claude-usage/eur-with-limits-and-spend.json"), { "content-type": "application/json" }),
  );
  mockControl.setPreferences({ codexHome, claudeConfigDir: claudeDir, allowKeychain: false });
});

afterEach(() => {
  process.env = { ...savedEnv };
});

test("cancel: nothing runs, nothing is stored, no toast", async () => {
  mockControl.answerAlerts(false);
  await launch();
  expect(confirmAlert).toHaveBeenCalledTimes(1);
  expect(codex.requests).toHaveLength(0);
  expect(claude.requests).toHaveLength(0);
  expect(mockControl.storage.size).toBe(0);
  expect(shownToasts).toHaveLength(0);
  expect(launchCommand).not.toHaveBeenCalled();
});

test("the confirmation names the providers it contacts and the logins it reads", async () => {
  mockControl.answerAlerts(false);
  await launch();
  const [options] = jest.mocked(confirmAlert).mock.calls[0];
  expect(options.title).toBe("Refresh Codex and Claude Billing?");
  // The hosts it will really contact: here the endpoint overrides point at the loopback servers.
  expect(options.message).toContain(`127.0.0.1:${codex.port} (OpenAI)`);
  expect(options.message).toContain(`127.0.0.1:${claude.port} (Anthropic)`);
  expect(options.message).toContain(path.join(codexHome, "auth.json"));
  expect(options.primaryAction?.title).toBe("Contact Provider");
});

test("confirm: both probes run for real, balances persist, one toast, the menu bar is refreshed", async () => {
  await launch();
  expect(codex.requests).toHaveLength(1);
  expect(claude.requests).toHaveLength(1);
  expect(codex.requests[0].headers.authorization).toBe(`Bearer ${CODEX_TOKEN}`);
  expect(claude.requests[0].headers["anthropic-beta"]).toBe("oauth-2025-04-20");

  const codexStored = (await loadSource(LocalStorage, "codex")).stored;
  expect(codexStored.credits?.balance).toEqual({ kind: "codexCredits", credits: 412.5 });
  expect(codexStored.freshUntilCredits).toBe(codexStored.credits!.updatedAt + 6 * 3600_000);
  const claudeStored = (await loadSource(LocalStorage, "claude")).stored;
  expect(claudeStored.credits?.balance).toEqual({ kind: "money", money: { amount: 37.15, currency: "EUR" } });
  expect(claudeStored.caps?.windows.map((window) => window.id)).toContain("5h");

  expect(shownToasts).toHaveLength(1);
  expect(shownToasts[0]).toMatchObject({ style: "SUCCESS", title: "Billing refreshed: Codex and Claude" });
  expect(launchCommand).toHaveBeenCalledWith({ name: "menu-bar", type: "background" });
});

test("persists across a relaunch: a new menu-bar render shows the fetched balances", async () => {
  await launch();
  mockControl.setPreferences({
    codexHome,
    claudeConfigDir: claudeDir,
    codexPlanType: "mixed",
    claudePlanType: "mixed",
  });
  const view = await render(<MenuBarCommand />);
  const titles = view.findAll("menubar-item").map((item) => item.props.title);
  expect(titles).toEqual(expect.arrayContaining(["Credits: $16.50", "Credits: €37.15"]));
});

test("partial failure: the failed source keeps its last good balance and the toast says why", async () => {
  const previous = {
    balance: { kind: "money" as const, money: { amount: 20, currency: "USD" } },
    usable: true,
    updatedAt: 1,
  };
  await saveSource(LocalStorage, "claude", { ...EMPTY_SOURCE, credits: previous });
  claude.reply(respond(401, fixture("probe-errors/claude-401-expired.json"), { "content-type": "application/json" }));
  await launch();
  const claudeStored = (await loadSource(LocalStorage, "claude")).stored;
  expect(claudeStored.credits).toEqual(previous);
  expect(claudeStored.lastError).toMatchObject({ code: "auth_expired", httpStatus: 401 });
  expect(shownToasts[0]).toMatchObject({ style: "FAILURE", title: "Billing partly refreshed" });
  expect(shownToasts[0].message).toMatch(/^Codex updated\nClaude failed: login expired or rejected\. /);
});

test("a source that is not set up is skipped with a hint, not stored as an error", async () => {
  mockControl.setPreferences({ codexHome, claudeConfigDir: path.join(claudeDir, "missing"), allowKeychain: false });
  await launch();
  expect(claude.requests).toHaveLength(0);
  expect((await loadSource(LocalStorage, "claude")).stored.lastError).toBeNull();
  expect(shownToasts[0].message).toMatch(/Claude skipped: .*CLAUDE_CODE_OAUTH_TOKEN/);
});

test("a disabled menu bar does not fail the refresh", async () => {
  jest.mocked(launchCommand).mockRejectedValueOnce(new Error("command disabled"));
  await expect(launch()).resolves.toBeUndefined();
  expect(shownToasts[0].style).toBe("SUCCESS");
});

test("a launch context can refresh one source only", async () => {
  await RefreshBillingCommand({ launchContext: { sources: ["claude"] } } as unknown as LaunchProps);
  expect(codex.requests).toHaveLength(0);
  expect(claude.requests).toHaveLength(1);
});

test("no token reaches storage, toasts or alerts", async () => {
  claude.reply(respond(403, fixture("probe-errors/claude-403-scope.json"), { "content-type": "application/json" }));
  await launch();
  const written = [
    JSON.stringify([...mockControl.storage.entries()]),
    JSON.stringify(shownToasts),
    JSON.stringify(jest.mocked(confirmAlert).mock.calls),
  ].join("\n");
  expect(written).not.toContain(CODEX_TOKEN);
  expect(written).not.toContain(CLAUDE_TOKEN);
});
