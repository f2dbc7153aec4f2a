/**
 * What Refresh Billing costs beyond the providers' own latency.
 *
 * Starts a loopback HTTP server in this process (127.0.0.1 only) that answers the two usage
 * endpoints with real bodies from `fixtures/`, at once or after 500 ms, and times, round after
 * round so machine noise falls on all of them alike:
 *   - a bare `curl` of each endpoint (the floor: what the provider costs anyway),
 *   - each billing probe run through the real runner,
 *   - two bare curls side by side (the floor for the whole refresh),
 *   - the whole refresh: the code `confirmAndRefreshBilling` runs, with the alert answered.
 * Budgets: a probe at most 2× its bare curl; the whole refresh at most two parallel curls + 100 ms.
 *
 * `benchRefresh()` returns the medians; run directly (`npx tsx --tsconfig tsconfig.test.json
 * scripts/bench-refresh.ts`), it prints them as a table with the ratios.
 */
import "./esm-only-runtime";
import "./raycast-runtime";
import { spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { environment } from "@raycast/api";
import { mockControl } from "../__tests__/support/raycast-api";
import { probeRunner } from "../src/billing/probe-runner";
import { parseSettings } from "../src/model/settings";
import { confirmAndRefreshBilling } from "../src/raycast/refresh-billing";
import { SOURCES } from "../src/sources/registry";
import { passed, type TargetCheck } from "./bench/summary";
import { median } from "./bench/stats";

const REPO = path.join(__dirname, "..");
const fixture = (...parts: string[]) => path.join(REPO, "fixtures", ...parts);

/** Where each probe's request lands on the loopback server, and the body it gets back. */
const ENDPOINTS = {
  codex: { path: "/backend-api/wham/usage", body: fixture("codex-usage", "pro-with-credits-and-spark.json") },
  claude: { path: "/api/oauth/usage", body: fixture("claude-usage", "eur-with-limits-and-spend.json") },
} as const;
type Provider = keyof typeof ENDPOINTS;
const PROVIDERS = Object.keys(ENDPOINTS) as Provider[];

const REFRESH_BENCH_TASKS = [
  "curl codex",
  "curl claude",
  "probe codex",
  "probe claude",
  "2 curls in parallel",
  "whole refresh",
] as const;
type TaskName = (typeof REFRESH_BENCH_TASKS)[number];

export interface RefreshBenchCase {
  /** How long the server waits before it answers, in ms. */
  serverDelayMs: number;
  rounds: number;
  /** Median wall time of each task, in ms. */
  medians: Record<TaskName, number>;
}

export interface RefreshBenchOptions {
  /** Measured rounds against the instant server (after 3 warm-up rounds). */
  instantRounds?: number;
  /** Measured rounds against the 500 ms server. */
  slowRounds?: number;
}

interface LoopbackServer {
  url(provider: Provider): string;
  setDelay(ms: number): void;
  close(): Promise<void>;
}

async function startServer(): Promise<LoopbackServer> {
  const bodies = new Map<string, Buffer>(PROVIDERS.map((p) => [ENDPOINTS[p].path, readFileSync(ENDPOINTS[p].body)]));
  let delayMs = 0;
  const server = http.createServer((req, res) => {
    const body = bodies.get(req.url ?? "");
    const answer = () => {
      res.writeHead(body ? 200 : 404, { "Content-Type": "application/json" });
      res.end(body ?? '{"detail":"Not Found"}');
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: (provider) => `http://127.0.0.1:${port}${ENDPOINTS[provider].path}`,
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Codex home and a Claude folder with the fixtures' logins (and a Codex session log). */
function makeHomes(root: string) {
  const codexHome = path.join(root, "codex");
  const claudeDir = path.join(root, "claude");
  cpSync(fixture("codex-sessions", "current-plus"), codexHome, { recursive: true });
  copyFileSync(fixture("codex-auth", "chatgpt.json"), path.join(codexHome, "auth.json"));
  mkdirSync(claudeDir);
  copyFileSync(fixture("claude-credentials", "full.json"), path.join(claudeDir, ".credentials.json"));
  return { codexHome, claudeDir };
}

function bareCurl(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("curl", ["-q", "-sS", "-o", "/dev/null", url], { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`curl exited ${code}`))));
  });
}

function tasks(server: LoopbackServer, homes: ReturnType<typeof makeHomes>): Record<TaskName, () => Promise<void>> {
  const preferences = { codexHome: homes.codexHome, claudeConfigDir: homes.claudeDir, allowKeychain: false };
  const runProbe = probeRunner(environment.assetsPath, parseSettings(preferences, SOURCES));
  const probe = (provider: Provider) => async () => {
    const run = await runProbe(provider);
    if (run.exitCode !== 0) throw new Error(`the ${provider} probe failed: ${run.stdout.slice(0, 300)}`);
  };
  return {
    "curl codex": () => bareCurl(server.url("codex")),
    "curl claude": () => bareCurl(server.url("claude")),
    "probe codex": probe("codex"),
    "probe claude": probe("claude"),
    "2 curls in parallel": async () => {
      await Promise.all(PROVIDERS.map((provider) => bareCurl(server.url(provider))));
    },
    "whole refresh": async () => {
      // A fresh store each time: no cool-down, the activity log does not grow between rounds.
      mockControl.reset();
      mockControl.setPreferences(preferences);
      const outcomes = await confirmAndRefreshBilling();
      const failed = outcomes?.filter((outcome) => outcome.status !== "updated") ?? [];
      if (!outcomes || failed.length > 0) throw new Error(`the refresh did not update: ${JSON.stringify(outcomes)}`);
    },
  };
}

const WARM_UP_ROUNDS = 3;

/** Runs every task in turn, round after round, and keeps each task's median. */
async function interleavedMedians(
  run: Record<TaskName, () => Promise<void>>,
  rounds: number,
): Promise<Record<TaskName, number>> {
  const times = Object.fromEntries(REFRESH_BENCH_TASKS.map((name) => [name, [] as number[]])) as Record<
    TaskName,
    number[]
  >;
  for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
    for (const name of REFRESH_BENCH_TASKS) {
      const started = performance.now();
      await run[name]();
      if (round >= WARM_UP_ROUNDS) times[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(REFRESH_BENCH_TASKS.map((name) => [name, median(times[name])])) as Record<TaskName, number>;
}

/** Medians for an instant and a 500 ms loopback server. Leaves process.env and the temp dir as it found them. */
export async function benchRefresh(options: RefreshBenchOptions = {}): Promise<RefreshBenchCase[]> {
  const { instantRounds = 31, slowRounds = 11 } = options;
  const root = mkdtempSync(path.join(os.tmpdir(), "agent-limits-bench-refresh-"));
  const server = await startServer();
  const savedEnv = { ...process.env };
  const savedAssets = environment.assetsPath;
  try {
    process.env.AGENT_LIMITS_CODEX_USAGE_URL = server.url("codex");
    process.env.AGENT_LIMITS_CLAUDE_USAGE_URL = server.url("claude");
    delete process.env.CLAUDE_CODE_OAUTH_TOKEN;
    environment.assetsPath = path.join(REPO, "assets");
    const run = tasks(server, makeHomes(root));
    const cases: RefreshBenchCase[] = [];
    for (const [serverDelayMs, rounds] of [
      [0, instantRounds],
      [500, slowRounds],
    ]) {
      server.setDelay(serverDelayMs);
      cases.push({ serverDelayMs, rounds, medians: await interleavedMedians(run, rounds) });
    }
    return cases;
  } finally {
    process.env = savedEnv;
    environment.assetsPath = savedAssets;
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const PROBE_BUDGET_RATIO = 2;
const REFRESH_BUDGET_MS = 100;

/** Budgets: a probe at most 2× its bare curl, the whole refresh at most two parallel curls + 100 ms. */
export function refreshBenchChecks(result: RefreshBenchCase): TargetCheck[] {
  const m = result.medians;
  const server = `server +${result.serverDelayMs} ms`;
  const probes: TargetCheck[] = PROVIDERS.map((provider) => ({
    part: "refresh",
    what: `${server}: probe ${provider} ÷ bare curl`,
    detail: `${m[`probe ${provider}`].toFixed(1)} vs ${m[`curl ${provider}`].toFixed(1)} ms`,
    measured: m[`probe ${provider}`] / m[`curl ${provider}`],
    limit: PROBE_BUDGET_RATIO,
    unit: "×",
  }));
  const whole: TargetCheck = {
    part: "refresh",
    what: `${server}: whole refresh − 2 parallel curls`,
    detail: `${m["whole refresh"].toFixed(1)} vs ${m["2 curls in parallel"].toFixed(1)} ms`,
    measured: m["whole refresh"] - m["2 curls in parallel"],
    limit: REFRESH_BUDGET_MS,
    unit: " ms",
  };
  return [...probes, whole];
}

/** What went over budget, in words; empty when everything is within. */
function refreshBenchVerdicts(result: RefreshBenchCase): string[] {
  return refreshBenchChecks(result)
    .filter((check) => !passed(check))
    .map((check) => `${check.what}: ${check.measured.toFixed(2)}${check.unit} (budget ${check.limit}${check.unit})`);
}

export function formatRefreshBench(results: RefreshBenchCase[]): string {
  const lines: string[] = [];
  const cell = (text: string) => text.padStart(16);
  lines.push(`${"median (ms)".padEnd(22)}${results.map((r) => cell(`server +${r.serverDelayMs} ms`)).join("")}`);
  for (const name of REFRESH_BENCH_TASKS) {
    lines.push(`${name.padEnd(22)}${results.map((r) => cell(r.medians[name].toFixed(1))).join("")}`);
  }
  const ratioRow = (label: string, value: (m: Record<TaskName, number>) => string) =>
    lines.push(`${label.padEnd(22)}${results.map((r) => cell(value(r.medians))).join("")}`);
  for (const provider of PROVIDERS) {
    ratioRow(`probe/curl ${provider}`, (m) => `${(m[`probe ${provider}`] / m[`curl ${provider}`]).toFixed(2)}×`);
  }
  ratioRow("refresh − 2 curls", (m) => `+${(m["whole refresh"] - m["2 curls in parallel"]).toFixed(1)}`);
  ratioRow("refresh / 2 curls", (m) => `${(m["whole refresh"] / m["2 curls in parallel"]).toFixed(2)}×`);
  lines.push(`rounds: ${results.map((r) => r.rounds).join(" / ")} (interleaved, after ${WARM_UP_ROUNDS} warm-up)`);
  return lines.join("\n");
}

async function main() {
  const results = await benchRefresh();
  console.log(formatRefreshBench(results));
  const failures = results.flatMap(refreshBenchVerdicts);
  console.log(failures.length === 0 ? "\nPASS: within budget" : `\nOVER BUDGET:\n${failures.join("\n")}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
