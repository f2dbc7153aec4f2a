/**
 * `npm run bench`: how the menu bar's work scales with Codex history.
 *
 * Builds two synthetic Codex homes with the same newest snapshot, one of 10 rollout files and
 * one of 10,000 files / about 2 GB: the same steady user, with a day or three years of history (kept in the temp
 * folder between runs), then reports the median time to read the snapshot and to produce the
 * whole menu (local reads + LocalStorage + model + render). The large/small ratio must stay
 * at most 1.5 and the snapshot read under 20 ms: the menu must not grow with history.
 * It also times the Claude status-line tap, which runs on every Claude Code response: its
 * own cost over a bare bash must stay well under 50 ms.
 */
import "./raycast-runtime";
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { LocalStorage } from "@raycast/api";
import { renderOnce } from "../__tests__/support/render";
import { AgentLimitsMenu } from "../src/raycast/components/AgentLimitsMenu";
import { readCodexCaps } from "../src/sources/codex/session-logs";
import { loadSourceStates } from "../src/sources/load";
import { buildMenuModel } from "../src/view/menu-model";
import { parseSettings } from "../src/model/settings";
import { SOURCES } from "../src/sources/registry";
import { buildCodexHome } from "./bench-data";

const RUNS = 200;
const WARM_UP = 5;
const HOMES = [
  { name: "small", files: 10, bytes: 2 * 1024 * 1024 },
  { name: "large", files: 10_000, bytes: 2 * 1024 * 1024 * 1024 },
];

async function ensureHome(files: number, bytes: number): Promise<string> {
  const dir = path.join(os.tmpdir(), `agent-limits-bench-v2-${files}-${bytes}`);
  const marker = path.join(dir, ".complete");
  if (!existsSync(marker)) {
    const started = performance.now();
    await buildCodexHome(dir, files, bytes);
    writeFileSync(marker, "");
    console.log(`built ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return dir;
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

interface Task {
  name: string;
  run: () => Promise<unknown>;
}

function tasksFor(name: string, codexHome: string): Task[] {
  const settings = parseSettings({ codexHome, claudeConfigDir: path.join(codexHome, "no-claude") }, SOURCES);
  return [
    { name: `${name}:snapshot`, run: () => readCodexCaps(codexHome) },
    {
      name: `${name}:menu`,
      run: async () => {
        const now = Date.now();
        const states = await loadSourceStates(LocalStorage, settings, now);
        renderOnce(<AgentLimitsMenu model={buildMenuModel(states, settings, now)} isLoading={false} />);
      },
    },
  ];
}

/** Runs every task in turn, round after round, so that machine noise falls on all of them alike. */
async function interleavedMedians(tasks: Task[]): Promise<Record<string, number>> {
  const times: Record<string, number[]> = Object.fromEntries(tasks.map((task) => [task.name, []]));
  for (let round = 0; round < WARM_UP + RUNS; round++) {
    for (const task of tasks) {
      const ms = await timed(task.run);
      if (round >= WARM_UP) times[task.name].push(ms);
    }
  }
  return Object.fromEntries(tasks.map((task) => [task.name, median(times[task.name])]));
}

const TAP_RUNS = 41;

function runWithStdin(args: string[], stdin: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("/bin/bash", args, { env, stdio: ["pipe", "ignore", "ignore"] });
    child.on("error", reject);
    child.on("close", () => resolve(performance.now() - started));
    child.stdin.end(stdin);
  });
}

/** The status-line tap runs on every Claude Code response: its own cost against a bare bash. */
async function tapOverhead(): Promise<{ tap: number; bash: number }> {
  const claudeDir = mkdtempSync(path.join(os.tmpdir(), "agent-limits-bench-claude-"));
  const stdin = readFileSync(path.join(__dirname, "../fixtures/statusline/with-rate-limits.json"), "utf8");
  const env = { PATH: process.env.PATH, HOME: claudeDir, CLAUDE_CONFIG_DIR: claudeDir };
  const tapScript = path.join(__dirname, "../probes/claude_statusline_tap.sh");
  const tap: number[] = [];
  const bash: number[] = [];
  for (let run = 0; run < TAP_RUNS; run++) {
    tap.push(await runWithStdin([tapScript], stdin, env));
    bash.push(await runWithStdin(["-c", "cat >/dev/null"], stdin, env));
  }
  rmSync(claudeDir, { recursive: true, force: true });
  return { tap: median(tap), bash: median(bash) };
}

async function main() {
  const tasks: Task[] = [];
  for (const home of HOMES) {
    const codexHome = await ensureHome(home.files, home.bytes);
    const check = await readCodexCaps(codexHome);
    if (!check.ok) throw new Error(`${home.name}: the synthetic home gave no snapshot: ${check.message}`);
    tasks.push(...tasksFor(home.name, codexHome));
  }
  const medians = await interleavedMedians(tasks);
  const ratio = (what: string) => medians[`large:${what}`] / medians[`small:${what}`];
  const row = (label: string, a: string, b: string) =>
    console.log(`${label.padEnd(30)}${a.padStart(14)}${b.padStart(14)}`);
  console.log();
  row(`median of ${RUNS} runs (ms)`, "snapshot read", "whole menu");
  for (const home of HOMES) {
    row(
      `${home.name} (${home.files} files)`,
      medians[`${home.name}:snapshot`].toFixed(2),
      medians[`${home.name}:menu`].toFixed(2),
    );
  }
  row("large / small", ratio("snapshot").toFixed(2), ratio("menu").toFixed(2));
  const tap = await tapOverhead();
  console.log(
    `\nstatus-line tap: median ${tap.tap.toFixed(1)} ms per run, bare bash ${tap.bash.toFixed(1)} ms: ${(tap.tap - tap.bash).toFixed(1)} ms of its own`,
  );
  const ok =
    ratio("snapshot") <= 1.5 && ratio("menu") <= 1.5 && medians["large:snapshot"] < 20 && tap.tap - tap.bash < 50;
  console.log(ok ? "\nPASS: cost does not grow with history" : "\nFAIL: a budget was exceeded");
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
