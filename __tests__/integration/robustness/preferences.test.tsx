/**
 * Hostile preferences. Folder preferences full of shell syntax must stay plain paths: rendering the
 * menu and a confirmed refresh that runs the real probes (which get them as CODEX_HOME and
 * CLAUDE_CONFIG_DIR) never execute anything; a canary file proves it. Bad unit prices give one
 * clear message and a safe fallback, and the menu renders.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { confirmAlert, LocalStorage, type LaunchProps } from "@raycast/api";
import RefreshBillingCommand from "../../../src/refresh-billing";
import { DEFAULT_CODEX_CREDIT_PRICE } from "../../../src/model/settings";
import { EMPTY_SOURCE, loadSource, saveSource } from "../../../src/billing/storage";
import { HOUR, NOW } from "../../support/builders";
import { codexHomeWithCaps, renderMenu } from "../../support/hostile-menu";
import { refusedUrl, respond, startMockServer, type MockServer } from "../../support/mock-http-server";
import { mockControl, shownToasts } from "../../support/raycast-api";
import { fixturePath } from "../../support/paths";

const fixtures = fixturePath();
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");
const CODEX_TOKEN = JSON.parse(fixture("codex-auth/chatgpt.json")).tokens.access_token as string;
const CLAUDE_TOKEN = JSON.parse(fixture("claude-credentials/full.json")).claudeAiOauth.accessToken as string;

const launchRefresh = () => RefreshBillingCommand({ launchContext: undefined } as unknown as LaunchProps);

let sandbox: string;
let codex: MockServer;
let claude: MockServer;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sandbox = mkdtempSync(path.join(os.tmpdir(), "agent-limits-hostile-prefs-"));
  [codex, claude] = await Promise.all([startMockServer(), startMockServer()]);
});
afterAll(async () => {
  await Promise.all([codex.close(), claude.close()]);
  rmSync(sandbox, { recursive: true, force: true });
});
afterEach(() => {
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
});

let canaryCount = 0;
/** A path that must never come to exist; the payloads try to create it. */
function newCanary(): string {
  canaryCount += 1;
  return path.join(os.tmpdir(), `agent-limits-PWNED-${process.pid}-${canaryCount}`);
}

/** [label, payload maker]: each payload tries to create the canary if any shell ever evaluates it. */
const PAYLOADS: [string, (canary: string) => string][] = [
  ["spaces", () => "codex home/with  spaces"],
  ["double and single quotes", (c) => `q"uo'te" ; touch "${c}" '`],
  ["$(command substitution)", (c) => `$(touch ${c})`],
  ["`backticks`", (c) => `\`touch ${c}\``],
  ["a ; command separator", (c) => `dir; touch ${c}`],
  ["a newline and a command", (c) => `dir\ntouch ${c}\nx`],
  ["&& and a comment", (c) => `dir && touch ${c} #`],
  ["a pipe", (c) => `dir | touch ${c}`],
  ["a redirect", (c) => `dir > ${c}`],
  ["${parameter} with a command", (c) => `\${PATH:+$(touch ${c})}`],
  ["a glob", () => "*"],
  ["printf format directives", () => "%s%n%x%%d"],
  ["backslashes", (c) => `back\\slash\\$(touch ${c})`],
  ["a leading dash", () => "-rf --help"],
  ["emoji and right-to-left text", () => "📁 codex \u202ehome"],
];

describe("folder preferences full of shell syntax are plain paths", () => {
  beforeEach(() => {
    process.env.AGENT_LIMITS_CODEX_USAGE_URL = codex.url("/backend-api/wham/usage");
    process.env.AGENT_LIMITS_CLAUDE_USAGE_URL = claude.url("/api/oauth/usage");
    delete process.env.CLAUDE_CODE_OAUTH_TOKEN;
    codex.requests.length = 0;
    claude.requests.length = 0;
    codex.reply(respond(200, fixture("codex-usage/pro-with-credits-and-spark.json")));
    claude.reply(respond(200, fixture("claude-usage/eur-with-limits-and-spend.json")));
  });

  test.each(PAYLOADS)(
    "%s, in a folder that does not exist: menu and confirmed refresh run nothing",
    async (_label, payload) => {
      const canary = newCanary();
      // Relative on purpose: settings resolve it against the working folder, which holds no such path.
      const folder = payload(canary);
      const menu = await renderMenu({ codexHome: folder, claudeConfigDir: folder, allowKeychain: false });
      expect(menu.root.type).toBe("menubar-extra");
      expect(menu.titles).toContain("Codex folder not found");
      expect(existsSync(canary)).toBe(false);

      mockControl.setPreferences({ codexHome: folder, claudeConfigDir: folder, allowKeychain: false });
      await launchRefresh();
      expect(confirmAlert).toHaveBeenCalledTimes(1);
      expect(codex.requests).toHaveLength(0);
      expect(claude.requests).toHaveLength(0);
      expect(shownToasts.at(-1)?.message).toMatch(/Codex skipped: No Codex login found at .*auth\.json/);
      expect(existsSync(canary)).toBe(false);
    },
  );

  test.each(PAYLOADS)(
    "%s, as the name of a real folder: the probes read the login there and nothing runs",
    async (_label, payload) => {
      const canary = newCanary();
      const root = mkdtempSync(path.join(sandbox, "root-"));
      const codexHome = path.join(root, "codex", payload(canary));
      const claudeDir = path.join(root, "claude", payload(canary));
      mkdirSync(codexHome, { recursive: true });
      mkdirSync(claudeDir, { recursive: true });
      copyFileSync(path.join(fixtures, "codex-auth/chatgpt.json"), path.join(codexHome, "auth.json"));
      copyFileSync(path.join(fixtures, "claude-credentials/full.json"), path.join(claudeDir, ".credentials.json"));
      mockControl.setPreferences({ codexHome, claudeConfigDir: claudeDir, allowKeychain: false });

      await launchRefresh();
      const [alert] = jest.mocked(confirmAlert).mock.calls[0];
      expect(alert.message).toContain(path.join(codexHome, "auth.json"));
      expect(codex.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${CODEX_TOKEN}`]);
      expect(claude.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${CLAUDE_TOKEN}`]);
      expect(shownToasts.at(-1)).toMatchObject({ style: "SUCCESS", title: "Billing refreshed: Codex and Claude" });
      expect((await loadSource(LocalStorage, "codex")).stored.credits?.balance).toEqual({
        kind: "codexCredits",
        credits: 412.5,
      });
      expect(existsSync(canary)).toBe(false);

      const menu = await renderMenu({ codexHome, claudeConfigDir: claudeDir, claudePlanType: "mixed" });
      expect(menu.titles).toContain("Credits: €37.15");
      expect(existsSync(canary)).toBe(false);
    },
  );

  test("a login that cannot be reached stays a plain path in the error hint, with nothing run", async () => {
    const canary = newCanary();
    const folder = path.join(sandbox, `$(touch ${canary})`);
    process.env.AGENT_LIMITS_CODEX_USAGE_URL = await refusedUrl();
    mockControl.setPreferences({ codexHome: folder, claudeConfigDir: folder, allowKeychain: false });
    await RefreshBillingCommand({ launchContext: { sources: ["codex"] } } as unknown as LaunchProps);
    expect(shownToasts.at(-1)?.message).toContain(`No Codex login found at ${folder}/auth.json`);
    expect(existsSync(canary)).toBe(false);
  });
});

describe("hostile unit prices", () => {
  const codexCredits = {
    balance: { kind: "codexCredits" as const, credits: 412.5 },
    usable: true,
    updatedAt: NOW - HOUR,
  };
  let codexHome: string;
  beforeAll(() => {
    codexHome = codexHomeWithCaps();
  });
  beforeEach(async () => {
    jest.spyOn(Date, "now").mockReturnValue(NOW);
    await saveSource(LocalStorage, "codex", { ...EMPTY_SOURCE, credits: codexCredits });
  });

  const PRICE_PROBLEM = /^Codex credit price “.*” is not a price in US dollars \(like 0\.04\); using \$0\.04\.$/s;
  const fallback = `Credits: $${(412.5 * DEFAULT_CODEX_CREDIT_PRICE).toFixed(2)}`;

  test.each<[string, unknown]>([
    ["negative", "-0.04"],
    ["zero", "0"],
    ["zero with decimals", "0.000"],
    ["NaN", "NaN"],
    ["1e308", "1e308"],
    ["Infinity", "Infinity"],
    ["-Infinity", "-Infinity"],
    ["hex", "0x10"],
    ["a comma decimal", "0,05"],
    ["a fraction", "1/25"],
    ["words", "four cents"],
    ["two dots", "0.0.4"],
    ["above the sanity cap", "1000000"],
    ["Arabic-Indic digits", "٠٫٠٤"],
    ["a shell payload", "$(touch /tmp/agent-limits-PWNED-price)"],
    ["a newline inside", "0.04\n0.05"],
    ["a 5 MB string", "9".repeat(5 * 1024 * 1024)],
    ["a boolean instead of text", true],
    ["an object instead of text", { price: 0.05 }],
    ["NaN as a number", Number.NaN],
    ["a negative number", -1],
  ])("%s: one clear message, the $0.04 fallback, the menu renders", async (_label, price) => {
    const menu = await renderMenu({ codexHome, codexPlanType: "mixed", codexCreditUnitPrice: price });
    const problems = menu.titles.filter((title) => title.startsWith("Codex credit price"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(PRICE_PROBLEM);
    expect(problems[0].length).toBeLessThan(200);
    for (const control of ["\n", "\r", "\u0000"]) expect(problems[0]).not.toContain(control);
    expect(menu.titles).toContain(fallback);
    expect(menu.title).toBe("61%");
    expect(existsSync("/tmp/agent-limits-PWNED-price")).toBe(false);
  });

  test.each<[string, unknown, string]>([
    ["empty", "", fallback],
    ["only spaces", "   ", fallback],
    ["unset", undefined, fallback],
    ["padded with spaces", "  0.05 ", "Credits: $20.63"],
    ["with a dollar sign", "$0.05", "Credits: $20.63"],
    ["a number instead of text", 0.05, "Credits: $20.63"],
    ["a leading dot", ".05", "Credits: $20.63"],
  ])("%s: accepted without a message", async (_label, price, line) => {
    const menu = await renderMenu({ codexHome, codexPlanType: "mixed", codexCreditUnitPrice: price });
    expect(menu.titles.filter((title) => title.startsWith("Codex credit price"))).toEqual([]);
    expect(menu.titles).toContain(line);
  });

  test.each<[string, unknown]>([
    ["zero hours", "0"],
    ["negative hours", "-6"],
    ["hours as words", "six"],
    ["a huge number of hours", "1e308"],
    ["a newline payload", "6\n$(touch /tmp/agent-limits-PWNED-ttl)"],
  ])("balance freshness %s: one message, 6 hours, the menu renders", async (_label, ttl) => {
    const menu = await renderMenu({ codexHome, codexPlanType: "mixed", creditTtlHours: ttl });
    const problems = menu.titles.filter((title) => title.startsWith("Balance freshness"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toMatch(/\n/);
    expect(menu.titles).toContain(fallback);
    expect(existsSync("/tmp/agent-limits-PWNED-ttl")).toBe(false);
  });
});
