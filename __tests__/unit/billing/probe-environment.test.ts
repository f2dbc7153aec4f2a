import { refreshConfirmation } from "../../../src/view/confirmation";
import { endpointHost, resolveEndpoint } from "../../../src/billing/endpoint";
import { probeEnvironment } from "../../../src/billing/probe-runner";
import { settings } from "../../support/builders";

describe("what the probes receive", () => {
  test("the folders and the Keychain choice from preferences, on top of the allowed environment", () => {
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

  test("only the allow-list passes: locations, locale, SPEC §4 inputs, proxies and CA certificates", () => {
    const allowed = {
      HOME: "/Users/test",
      TMPDIR: "/var/folders/x/T/",
      LANG: "de_DE.UTF-8",
      LC_ALL: "de_DE.UTF-8",
      LC_CTYPE: "UTF-8",
      USER: "test",
      LOGNAME: "test",
      CLAUDE_CODE_OAUTH_TOKEN: "sk-ant-oat01-SYNTHETIC",
      AGENT_LIMITS_JSON_READERS: "jq",
      HTTPS_PROXY: "http://proxy:3128",
      https_proxy: "http://proxy:3128",
      HTTP_PROXY: "http://proxy:3128",
      http_proxy: "http://proxy:3128",
      NO_PROXY: "localhost",
      no_proxy: "localhost",
      ALL_PROXY: "socks5://proxy:1080",
      CURL_CA_BUNDLE: "/etc/ssl/corp.pem",
      SSL_CERT_FILE: "/etc/ssl/corp.pem",
      SSL_CERT_DIR: "/etc/ssl/certs",
    };
    const refused = {
      BASH_ENV: "/tmp/evil.sh",
      ENV: "/tmp/evil.sh",
      SHELLOPTS: "xtrace",
      BASHOPTS: "extdebug",
      PS4: "$(touch /tmp/pwned)",
      "BASH_FUNC_curl%%": "() { echo pwned; }",
      CDPATH: "/tmp",
      GLOBIGNORE: "*",
      IFS: "x",
      CURL_HOME: "/tmp/curlrc",
      LD_PRELOAD: "/tmp/evil.so",
      DYLD_INSERT_LIBRARIES: "/tmp/evil.dylib",
      NODE_OPTIONS: "--inspect",
      POSIXLY_CORRECT: "1",
      AGENT_LIMITS_WORK_DIR: "/tmp/not-the-runners",
      OPENAI_API_KEY: "sk-SYNTHETIC",
    };
    const env = probeEnvironment("codex", settings(), { PATH: "/usr/bin", ...allowed, ...refused });
    expect(env).toMatchObject(allowed);
    for (const name of Object.keys(refused)) expect(env).not.toHaveProperty([name]);
  });
});

describe("endpoint overrides", () => {
  const codex = (url: string) => resolveEndpoint("codex", { AGENT_LIMITS_CODEX_USAGE_URL: url });

  test("none, or an empty one: the provider's own endpoint", () => {
    expect(resolveEndpoint("codex", {})).toMatchObject({ ok: true, host: "chatgpt.com", overridden: false });
    expect(codex("")).toMatchObject({ ok: true, host: "chatgpt.com", overridden: false });
    expect(endpointHost("claude", {})).toBe("api.anthropic.com");
  });

  test.each([
    ["https://proxy.example:8443/u", "proxy.example:8443"],
    ["https://usage.example.com/backend-api/wham/usage?x=1#top", "usage.example.com"],
    ["https://10.0.0.7/u", "10.0.0.7"],
    ["http://127.0.0.1:8080/u", "127.0.0.1:8080"],
    ["http://localhost:8080/u", "localhost:8080"],
    ["http://LOCALHOST:8080/u", "localhost:8080"],
    ["http://[::1]:8080/u", "[::1]:8080"],
    ["https://[2001:db8::1]/u", "[2001:db8::1]"],
    ["https://example.com:443/u", "example.com"],
  ])("%s is used, and named as %s", (url, host) => {
    expect(codex(url)).toEqual({ ok: true, url, host, overridden: true });
  });

  test.each([
    ["https://chatgpt.com@evil.example/u", /user name \(@\)/],
    ["https://evil.example\\@chatgpt.com/u", /user name \(@\) or a backslash/],
    ["https://evil.example\\.chatgpt.com/u", /backslash/],
    ["https://chatgpt.com /u", /spaces, control or non-ASCII/],
    [" https://chatgpt.com/u", /spaces/],
    ["https://chatgpt.com/u\n", /control/],
    ["https://chatgpt.com\t/u", /control/],
    ["https://chätgpt.com/u", /non-ASCII/],
    ["https://xn--chtgpt-bua.com/u\u00a0", /non-ASCII/],
    ["http://chatgpt.com/u", /not https/],
    ["http://10.0.0.7/u", /not https/],
    ["http://localhost.evil.example/u", /not https/],
    ["ftp://127.0.0.1/u", /not a plain http\(s\)/],
    ["file:///etc/passwd", /not a plain http\(s\)/],
    ["HTTPS://chatgpt.com/u", /not a plain http\(s\)/],
    ["https:chatgpt.com/u", /not a plain http\(s\)/],
    ["https:/chatgpt.com/u", /not a plain http\(s\)/],
    ["https://chatgpt.com%2eevil.example/u", /not a plain http\(s\)/],
    ["//chatgpt.com/u", /not a plain http\(s\)/],
    ["https://127.1/u", /not a plain name or IPv4/],
    ["https://0x7f.0.0.1/u", /not a plain name or IPv4/],
    ["http://2130706433/u", /not a plain name or IPv4/],
    ["http://0177.0.0.1/u", /not a plain name or IPv4/],
    ["https://1.2.3.4.5/u", /not a plain name or IPv4|not a valid URL/],
    ["https://[0:0:0:0:0:0:0:1]/u", /not a plain name or IPv4/],
    ["https://chatgpt.com:99999/u", /not a valid URL/],
  ])("%j is refused", (url, reason) => {
    const endpoint = codex(url);
    expect(endpoint).toMatchObject({ ok: false, variable: "AGENT_LIMITS_CODEX_USAGE_URL" });
    expect(endpoint.ok ? "" : endpoint.reason).toMatch(reason);
    expect(endpointHost("codex", { AGENT_LIMITS_CODEX_USAGE_URL: url })).toBeNull();
  });
});

describe("the confirmation", () => {
  test("names the Keychain only when it may be read", () => {
    expect(refreshConfirmation(["claude"], settings()).message).toContain("or the Keychain");
    expect(refreshConfirmation(["claude"], settings({ allowKeychain: false })).message).not.toContain("Keychain");
    expect(refreshConfirmation(["codex"], settings()).title).toBe("Refresh Codex Billing?");
  });

  test("names the providers' hosts, or the overrides the probes will use", () => {
    const standard = refreshConfirmation(["codex", "claude"], settings(), {}).message;
    expect(standard).toContain("This contacts chatgpt.com (OpenAI) and api.anthropic.com (Anthropic) once");
    const overridden = refreshConfirmation(["codex"], settings(), {
      AGENT_LIMITS_CODEX_USAGE_URL: "https://proxy.example:8443/u",
    });
    expect(overridden.message).toContain("This contacts proxy.example:8443 (OpenAI) once");
    expect(overridden.primaryTitle).toBe("Contact Provider");
  });

  test("a refused override: that source is named as skipped with the reason, the other is still contacted", () => {
    const copy = refreshConfirmation(["codex", "claude"], settings(), {
      AGENT_LIMITS_CODEX_USAGE_URL: "https://chatgpt.com@evil.example/u",
    });
    expect(copy.message).toContain("This contacts api.anthropic.com (Anthropic) once");
    expect(copy.message).not.toContain("evil.example (");
    expect(copy.message).not.toContain("chatgpt.com (OpenAI)");
    expect(copy.message).not.toContain("auth.json");
    expect(copy.message).toContain(
      "Codex is skipped: AGENT_LIMITS_CODEX_USAGE_URL was not used: it has a user name (@) or a backslash.",
    );
    expect(copy.primaryTitle).toBe("Contact Provider");
  });

  test("every override refused: nothing is contacted, and the alert says so", () => {
    const copy = refreshConfirmation(["claude"], settings(), { AGENT_LIMITS_CLAUDE_USAGE_URL: "http://example.com/" });
    expect(copy.message).toMatch(/^No provider is contacted\. Claude is skipped: .*not https/);
    expect(copy.primaryTitle).toBe("Continue");
  });
});
