import { refreshConfirmation } from "../../../src/view/confirmation";
import { probeEnvironment } from "../../../src/billing/probe-runner";
import { settings } from "../../support/builders";

describe("what the probes receive", () => {
  test("the folders and the Keychain choice from preferences, on top of the extension's environment", () => {
    const chosen = settings({
      codexHome: "/Volumes/Work/codex home",
      claudeConfigDir: "~/alt claude",
      allowKeychain: false,
    });
    const base = {
      PATH: "/usr/bin",
      AGENT_LIMITS_CODEX_USAGE_URL: "http://127.0.0.1:9/x",
      CLAUDE_CODE_OAUTH_TOKEN: "t",
    };
    const codex = probeEnvironment("codex", chosen, base);
    const claude = probeEnvironment("claude", chosen, base);
    expect(codex).toMatchObject({
      CODEX_HOME: "/Volumes/Work/codex home",
      AGENT_LIMITS_PROBE_TIMEOUT: "20",
      AGENT_LIMITS_CODEX_USAGE_URL: "http://127.0.0.1:9/x",
      CLAUDE_CODE_OAUTH_TOKEN: "t",
    });
    expect(claude).toMatchObject({
      CLAUDE_CONFIG_DIR: "/Users/test/alt claude",
      AGENT_LIMITS_ALLOW_KEYCHAIN: "0",
      AGENT_LIMITS_PROBE_TIMEOUT: "20",
      CLAUDE_CODE_OAUTH_TOKEN: "t",
    });
    // Each probe gets only its own source's inputs.
    expect(codex.CLAUDE_CONFIG_DIR).toBeUndefined();
    expect(claude.CODEX_HOME).toBeUndefined();
    for (const env of [codex, claude]) {
      expect(env.PATH?.startsWith("/usr/bin:")).toBe(true);
      expect(env.PATH).toContain("/opt/homebrew/bin");
    }
  });

  test("the Keychain is allowed by default", () => {
    expect(probeEnvironment("claude", settings(), {}).AGENT_LIMITS_ALLOW_KEYCHAIN).toBe("1");
  });

  test("the confirmation names the Keychain only when it may be read", () => {
    expect(refreshConfirmation(["claude"], settings()).message).toContain("or the Keychain");
    expect(refreshConfirmation(["claude"], settings({ allowKeychain: false })).message).not.toContain("Keychain");
    expect(refreshConfirmation(["codex"], settings()).title).toBe("Refresh Codex Billing?");
  });

  test("the confirmation names the providers' hosts, or the overrides the probes will use", () => {
    const standard = refreshConfirmation(["codex", "claude"], settings(), {}).message;
    expect(standard).toContain("This contacts chatgpt.com (OpenAI) and api.anthropic.com (Anthropic) once");
    const overridden = refreshConfirmation(["codex"], settings(), {
      AGENT_LIMITS_CODEX_USAGE_URL: "https://proxy.example:8443/u",
    });
    expect(overridden.message).toContain("This contacts proxy.example:8443 (OpenAI) once");
  });
});
