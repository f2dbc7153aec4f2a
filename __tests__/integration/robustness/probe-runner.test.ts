/**
 * The runner on a hostile machine: an environment that would change what bash does, an endpoint
 * override that would send the login elsewhere, leftovers of runs that were killed, and probes that
 * must be stopped. Whatever happens, bash starts clean, a refused override runs nothing, the TERM
 * comes before the KILL, and no temporary folder outlives its run.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadActivity } from "../../../src/billing/activity";
import { probeEnvironment, probeRunner, runProbeScript, sweepProbeLeftovers } from "../../../src/billing/probe-runner";
import { refreshSources } from "../../../src/billing/refresh";
import { summarizeOutcomes } from "../../../src/view/refresh-summary";
import { NOW, settings } from "../../support/builders";
import { fixturePath } from "../../support/paths";
import { respond, startMockServer, type MockServer } from "../../support/mock-http-server";
import { makeTempDir } from "../../support/temp";

const REPO_ASSETS = path.join(__dirname, "../../../assets");
const MINUTE = 60_000;

function memoryStore() {
  const map = new Map<string, string | number | boolean>();
  return {
    getItem: async <T extends string | number | boolean>(key: string) => map.get(key) as T | undefined,
    setItem: async (key: string, value: string | number | boolean) => void map.set(key, value),
    removeItem: async (key: string) => void map.delete(key),
  };
}

/** An assets folder whose probes only leave a mark that they ran. */
function markingAssets(root: string): { assets: string; marker: string } {
  const assets = path.join(root, "assets");
  const marker = path.join(root, "probe-ran");
  fs.mkdirSync(path.join(assets, "probes"), { recursive: true });
  for (const name of ["codex_billing_capture.sh", "claude_billing_capture.sh"]) {
    fs.writeFileSync(path.join(assets, "probes", name), `echo ran >> ${JSON.stringify(marker)}\nexit 0\n`);
  }
  return { assets, marker };
}

describe("the probe starts with a clean environment", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** A machine whose environment would run code in any bash that honours it. */
  function hostileEnvironment(root: string) {
    const marker = path.join(root, "bash-env-ran");
    const script = path.join(root, "bash-env.sh");
    fs.writeFileSync(script, `echo ran >> ${JSON.stringify(marker)}\n`);
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: root,
      TMPDIR: root,
      BASH_ENV: script,
      ENV: script,
      [`BASH_FUNC_printf%%`]: `() { echo ran >> ${JSON.stringify(marker)}; builtin printf "$@"; }`,
      SHELLOPTS: "xtrace",
      PS4: "+ leaked: ",
    };
    return { base, marker };
  }

  test("the same environment given to bash as is runs the BASH_ENV script (so the next test can fail)", () => {
    const root = makeTempDir("agent-limits-env-");
    const { base, marker } = hostileEnvironment(root);
    spawnSync("/bin/bash", ["-c", "printf ok"], { env: base, stdio: "ignore" });
    expect(fs.existsSync(marker)).toBe(true);
  });

  test("BASH_ENV, ENV, exported functions and SHELLOPTS do not reach the real probe, which still works", async () => {
    const root = makeTempDir("agent-limits-env-");
    const { base, marker } = hostileEnvironment(root);
    fs.mkdirSync(path.join(root, "codex"));
    fs.copyFileSync(fixturePath("codex-auth", "chatgpt.json"), path.join(root, "codex", "auth.json"));
    server.reply(respond(200, '{"plan_type":"pro"}', { "Content-Type": "application/json" }));
    const env = { ...base, AGENT_LIMITS_CODEX_USAGE_URL: server.url("/u") };
    const run = await probeRunner(REPO_ASSETS, settings({ codexHome: path.join(root, "codex") }), env)("codex");
    expect(run).toMatchObject({ exitCode: 0, stdout: '{"plan_type":"pro"}', timedOut: false });
    expect(fs.existsSync(marker)).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  test("a probe sees only the allowed variables", async () => {
    const root = makeTempDir("agent-limits-env-");
    const { base } = hostileEnvironment(root);
    const script = path.join(root, "print-env.sh");
    fs.writeFileSync(script, "exec /usr/bin/env\n");
    const run = await runProbeScript(script, probeEnvironment("codex", settings(), { ...base, SECRET_THING: "x" }));
    const names = run.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => line.slice(0, line.indexOf("=")));
    const allowed = ["PATH", "HOME", "TMPDIR", "CODEX_HOME", "AGENT_LIMITS_PROBE_TIMEOUT", "AGENT_LIMITS_WORK_DIR"];
    const bashOwn = ["PWD", "SHLVL", "_", "OLDPWD"];
    expect(names.filter((name) => !allowed.includes(name) && !bashOwn.includes(name))).toEqual([]);
    expect(names).toContain("AGENT_LIMITS_WORK_DIR");
  });
});

test("a folder preference Node refuses to pass on (a NUL byte) fails that source's refresh only", async () => {
  const root = makeTempDir("agent-limits-nul-");
  const { assets, marker } = markingAssets(root);
  const runner = probeRunner(assets, settings({ codexHome: "/tmp/codex\u0000home" }), {
    PATH: process.env.PATH,
    HOME: root,
    TMPDIR: root,
  });
  const store = memoryStore();
  const deps = { store, runProbe: runner, now: () => NOW, ttlMs: 60 * MINUTE, env: {} };
  const [codex, claude] = await refreshSources(["codex", "claude"], deps);
  expect(codex).toMatchObject({ source: "codex", status: "failed" });
  expect(claude.source).toBe("claude");
  // Only Claude's probe ran.
  expect(fs.readFileSync(marker, "utf8")).toBe("ran\n");
});

describe("a refused endpoint override", () => {
  const env = (root: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    TMPDIR: root,
    AGENT_LIMITS_CODEX_USAGE_URL: "https://chatgpt.com@attacker.example/u",
  });

  test("runs no probe for that source; the run carries the reason as the probe's envelope", async () => {
    const root = makeTempDir("agent-limits-refused-");
    const { assets, marker } = markingAssets(root);
    const run = await probeRunner(assets, settings(), env(root))("codex");
    expect(fs.existsSync(marker)).toBe(false);
    expect(run.exitCode).toBe(15);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      error: "endpoint_refused",
      hint: "AGENT_LIMITS_CODEX_USAGE_URL was not used: it has a user name (@) or a backslash. Remove it or set an https URL, then try again.",
    });
    // The other source, without an override, still runs.
    await probeRunner(assets, settings(), env(root))("claude");
    expect(fs.readFileSync(marker, "utf8")).toBe("ran\n");
  });

  test("the refresh records it as that source's error, names no host in the log, and the toast says why", async () => {
    const root = makeTempDir("agent-limits-refused-");
    const { assets } = markingAssets(root);
    const store = memoryStore();
    const outcomes = await refreshSources(["codex"], {
      store,
      runProbe: probeRunner(assets, settings(), env(root)),
      ttlMs: 6 * 60 * MINUTE,
      now: () => NOW,
      env: env(root),
    });
    expect(outcomes).toEqual([
      expect.objectContaining({
        status: "failed",
        error: expect.objectContaining({ code: "endpoint_refused", message: "endpoint refused" }),
      }),
    ]);
    const [entry] = await loadActivity(store);
    expect(entry).toMatchObject({ source: "codex", host: null });
    expect(summarizeOutcomes(outcomes).message).toBe(
      "Codex failed: endpoint refused. AGENT_LIMITS_CODEX_USAGE_URL was not used: it has a user name (@) or a backslash. Remove it or set an https URL, then try again.",
    );
  });
});

describe("temporary folders", () => {
  const old = (file: string) =>
    fs.utimesSync(file, new Date(Date.now() - 60 * MINUTE), new Date(Date.now() - 60 * MINUTE));

  test("the sweep removes only this user's probe folders untouched for ten minutes", async () => {
    const base = makeTempDir("agent-limits-sweep-");
    const outside = makeTempDir("agent-limits-sweep-outside-");
    fs.writeFileSync(path.join(outside, "keep"), "");
    const make = (name: string, kind: "dir" | "file" | "link", age: "old" | "new") => {
      const file = path.join(base, name);
      if (kind === "dir") {
        fs.mkdirSync(file);
        fs.writeFileSync(path.join(file, "body"), "{}");
      } else if (kind === "file") fs.writeFileSync(file, "");
      else fs.symlinkSync(outside, file);
      if (age === "old") (kind === "link" ? fs.lutimesSync : fs.utimesSync)(file, new Date(0), new Date(0));
    };
    make("agent-limits.Ab3xY9", "dir", "old");
    make("agent-limits.Zq81Lm", "dir", "new");
    make("agent-limits.FileXX", "file", "old");
    make("agent-limits.LinkXX", "link", "old");
    make("agent-limits.TooLong7", "dir", "old");
    make("agent-limits-probe-test-Ab3xY9", "dir", "old");
    make("other.Ab3xY9", "dir", "old");
    expect(await sweepProbeLeftovers(base)).toBe(1);
    expect(fs.readdirSync(base).sort()).toEqual(
      [
        "agent-limits-probe-test-Ab3xY9",
        "agent-limits.FileXX",
        "agent-limits.LinkXX",
        "agent-limits.TooLong7",
        "agent-limits.Zq81Lm",
        "other.Ab3xY9",
      ].sort(),
    );
    expect(fs.existsSync(path.join(outside, "keep"))).toBe(true);
    expect(await sweepProbeLeftovers(path.join(base, "missing"))).toBe(0);
  });

  test("a refresh sweeps the leftovers of earlier runs from the probes' TMPDIR", async () => {
    const root = makeTempDir("agent-limits-sweep-");
    const { assets } = markingAssets(root);
    const leftover = path.join(root, "agent-limits.k1lled");
    fs.mkdirSync(leftover);
    fs.writeFileSync(path.join(leftover, "body"), "{}");
    old(leftover);
    await probeRunner(assets, settings(), { PATH: process.env.PATH, TMPDIR: root })("codex");
    expect(fs.existsSync(leftover)).toBe(false);
  });

  test("the runner's work folder is gone after the run, even when the probe had to be killed", async () => {
    const root = makeTempDir("agent-limits-work-");
    const record = path.join(root, "work-dir");
    const script = path.join(root, "stubborn.sh");
    fs.writeFileSync(
      script,
      `trap '' TERM\necho "$AGENT_LIMITS_WORK_DIR" > ${JSON.stringify(record)}\necho '{}' > "$AGENT_LIMITS_WORK_DIR/body"\nsleep 1000\n`,
    );
    const run = await runProbeScript(script, { PATH: process.env.PATH ?? "/usr/bin:/bin", TMPDIR: root }, 1000);
    expect(run.timedOut).toBe(true);
    const workDir = fs.readFileSync(record, "utf8").trim();
    expect(path.dirname(workDir)).toBe(root);
    expect(path.basename(workDir)).toMatch(/^agent-limits\.[A-Za-z0-9]{6}$/);
    expect(fs.existsSync(workDir)).toBe(false);
  });

  test("at the deadline the group gets TERM first (its trap runs), then KILL if it is still there", async () => {
    const root = makeTempDir("agent-limits-term-");
    const trapped = path.join(root, "trapped");
    const script = path.join(root, "trapping.sh");
    fs.writeFileSync(script, `trap 'echo TERM >> ${JSON.stringify(trapped)}; exit 143' TERM\nsleep 1000 &\nwait\n`);
    const run = await runProbeScript(script, { PATH: process.env.PATH ?? "/usr/bin:/bin", TMPDIR: root }, 1000);
    expect(run).toMatchObject({ timedOut: true, exitCode: 143 });
    expect(fs.readFileSync(trapped, "utf8")).toBe("TERM\n");
  });
});
