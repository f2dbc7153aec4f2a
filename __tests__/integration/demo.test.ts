/**
 * `npm run demo` as a newcomer runs it: the package's own `demo` script in a child process, with a
 * private TMPDIR and an empty HOME, so the test sees everything it leaves behind.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../support/paths";
import { findSecrets } from "../support/secrets";
import { makeTempDir } from "../support/temp";

const DEMO_SCRIPT: string = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts.demo;
const RUN_TIMEOUT_MS = 60_000;
/** Each run starts tsx and the probes; generous, so a loaded machine does not fail it. */
const TEST_TIMEOUT_MS = 2 * RUN_TIMEOUT_MS;

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  tmp: string;
  home: string;
}

/** Runs the `demo` script the way `npm run demo` does: through sh, with node_modules/.bin on PATH. */
function runDemo(...args: string[]): Promise<DemoRun> {
  const tmp = makeTempDir("agent-limits-demo-test-tmp-");
  const home = makeTempDir("agent-limits-demo-test-home-");
  const env = {
    ...process.env,
    PATH: `${path.join(REPO_ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    TMPDIR: tmp,
    HOME: home,
  };
  const child = spawn("/bin/sh", ["-c", `${DEMO_SCRIPT} "$@"`, "demo", ...args], { cwd: REPO_ROOT, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the demo did not finish in ${RUN_TIMEOUT_MS} ms`));
    }, RUN_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, tmp, home });
    });
  });
}

/** The text between the heading that starts with `from` and the next heading (or the end). */
function section(output: string, from: string): string {
  const start = output.indexOf(`━━ ${from}`);
  if (start < 0) throw new Error(`no "${from}" section in the demo output`);
  const next = output.indexOf("\n━━ ", start + 1);
  return output.slice(start, next < 0 ? undefined : next);
}

/** Every string under a token-like key in the shipped world's login files: the demo's fake tokens. */
function demoTokens(): string[] {
  const tokens: string[] = [];
  const collect = (value: unknown, key: string) => {
    if (typeof value === "string" && /token/i.test(key)) tokens.push(value);
    else if (value && typeof value === "object") {
      for (const [child, item] of Object.entries(value)) collect(item, child);
    }
  };
  for (const file of ["codex/auth.json", "claude/.credentials.json"]) {
    collect(JSON.parse(readFileSync(path.join(REPO_ROOT, "demo", "world", file), "utf8")), "");
  }
  return tokens;
}

/** What a crash, a failed step or a React warning would print. */
const ERROR_TEXT = /error|failed|exception|warning|unhandled|✗|⚠/i;

/** tsx, which runs the script, keeps its own folder (`tsx-<uid>`) in TMPDIR; everything else is the demo's. */
const leftovers = (tmp: string) => readdirSync(tmp).filter((name) => !/^tsx-\d+$/.test(name));

function expectCleanRun(run: DemoRun) {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  // A cap at its limit is news the demo shows on purpose (the ⚠ line of the exhausted scenario), not an error.
  const shown = run.stdout
    .split("\n")
    .filter((line) => !/Limit reached/.test(line))
    .join("\n");
  expect(shown).not.toMatch(ERROR_TEXT);
  expect(findSecrets([run.stdout], demoTokens())).toEqual([]);
  const world = /^Demo world removed: (.+)$/m.exec(run.stdout)?.[1];
  expect(world && path.dirname(world)).toBe(run.tmp);
  expect(leftovers(run.tmp)).toEqual([]);
  expect(readdirSync(run.home)).toEqual([]);
}

describe("npm run demo", () => {
  test(
    "the happy path: caps from local files, a real refresh against 127.0.0.1, then balances",
    async () => {
      const run = await runDemo();
      expectCleanRun(run);
      expect(section(run.stdout, "1.")).toMatch(/│ ◔ 5h 37% · resets in \dh \d+m/);
      expect(section(run.stdout, "1.")).not.toContain("$37.15"); // Claude's balance comes only with the refresh
      const refresh = section(run.stdout, "2.");
      expect(refresh).toContain("Alert   Refresh Codex and Claude Billing?");
      expect(refresh).toMatch(/GET 127\.0\.0\.1:\d+\/backend-api\/wham\/usage → 200, with the demo login's token/);
      expect(refresh).toMatch(/GET 127\.0\.0\.1:\d+\/api\/oauth\/usage → 200, with the demo login's token/);
      expect(refresh).toContain("Toast   ✓ Billing refreshed: Codex and Claude");
      const after = section(run.stdout, "3.");
      expect(after).toContain("│ $ Credits: $16.50");
      expect(after).toContain("│ $ Credits: $37.15");
      const billing = section(run.stdout, "4.");
      expect(billing).toMatch(/Balance last updated +just now/);
      expect(billing).toMatch(/⇄ Codex updated +just now · contacted 127\.0\.0\.1:\d+/);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "exhausted: the weekly cap is used up, and after the refresh the credits bind the title",
    async () => {
      const run = await runDemo("--scenario", "exhausted");
      expectCleanRun(run);
      expect(section(run.stdout, "1.")).toMatch(/│ ◔ Weekly 100% · resets in \dd \d+h/);
      const after = section(run.stdout, "3.");
      expect(after).toMatch(/^Menu bar: \S+ \$15\.25( {3}\(icon tinted \w+\))?$/m);
      expect(after).toContain("│ $ Credits: $15.25");
      expect(section(run.stdout, "4.")).toMatch(/Active limiter +Credits \$15\.25/);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "--keep leaves the world in place and says where",
    async () => {
      const run = await runDemo("--scenario", "failed", "--keep");
      expect(run.code).toBe(0);
      const world = /^Demo world kept: (.+)$/m.exec(run.stdout)?.[1] ?? "";
      try {
        expect(path.dirname(world)).toBe(run.tmp);
        expect(existsSync(path.join(world, "codex", "auth.json"))).toBe(true);
        expect(existsSync(path.join(world, "claude", "agent-limits", "rate-limits.json"))).toBe(true);
        // The failed refresh keeps Claude's last good balance and says why.
        const after = section(run.stdout, "3.");
        expect(after).toContain("│ $ Credits: $40.40");
        expect(after).toContain("Last refresh failed: login expired or rejected");
      } finally {
        rmSync(world, { recursive: true, force: true });
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "--help lists the scenarios; an unknown one is refused before anything is built",
    async () => {
      const help = await runDemo("--help");
      expect(help.code).toBe(0);
      for (const name of ["happy", "exhausted", "stale", "failed", "rate-limited"]) {
        expect(help.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
      }
      const unknown = await runDemo("--scenario", "nope");
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("Unknown scenario “nope”");
      expect(leftovers(unknown.tmp)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
