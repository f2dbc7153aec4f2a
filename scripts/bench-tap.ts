/**
 * What the Claude status-line tap costs. It runs after every Claude Code response, so its own cost must
 * stay near zero: at most 3 ms over a bare `bash -c 'cat >/dev/null'` fed the same input.
 *
 * Four commands, each fed the same real status-line input (fixtures/statusline/, published by others),
 * are run in turn, round after round (so that machine noise falls on all of them alike), and compared
 * by their medians:
 *   bare bash          `/bin/bash -c 'cat >/dev/null'`: the least any status-line command costs
 *   tap                the tap with no previous status line (the usual, unchanged-input path)
 *   previous alone     a typical previous status line, run the way Claude Code runs it (`/bin/sh -c`)
 *   tap + previous     the tap running that previous command behind it
 * The tap's overhead is `tap − bare bash`; the chained overhead is `tap + previous − previous alone`.
 *
 * `npx tsx --tsconfig tsconfig.test.json scripts/bench-tap.ts [--runs N] [--tap FILE] [--bash FILE]
 * [--before FILE]` prints the table (`--before` adds rows for another tap, e.g. the previous version);
 * `npm run bench` calls benchTap().
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { median } from "./bench/stats";

const REPO_ROOT = path.resolve(__dirname, "..");
const DEFAULT_TAP = path.join(REPO_ROOT, "probes", "claude_statusline_tap.sh");
const INPUT_FIXTURE = path.join(
  REPO_ROOT,
  "fixtures",
  "statusline",
  "v2.1.260-rate-limits-int-prompt-cache-gensokyo.json",
);
/** A typical status line: reads its whole input and prints one line. */
const PREVIOUS_COMMAND = "cat >/dev/null; echo '[Sonnet 5] beta'";
const DEFAULT_RUNS = 200;
const WARM_UP = 10;
/** The tap may cost at most this much over a bare bash. */
export const TAP_BUDGET_MS = 3;

export interface BenchTapRow {
  name: string;
  /** Median wall time of one run, in ms. */
  medianMs: number;
  /** The row it is compared with, if any. */
  baseline?: string;
  overheadMs?: number;
  ratio?: number;
}

export interface BenchTapOptions {
  /** Measured runs per command (after a warm-up). */
  runs?: number;
  /** The tap script to measure, e.g. an older version for a before/after comparison. */
  tapScript?: string;
  /** The bash that runs the tap and the bare baseline, e.g. a bash 3.2 build (macOS's /bin/bash). */
  bash?: string;
  /** Another tap script measured in the same rounds, e.g. the previous version: "before" rows. */
  beforeScript?: string;
}

interface Command {
  name: string;
  file: string;
  args: string[];
  baseline?: string;
}

type Execa = typeof import("execa").execa;

async function timedRun(execa: Execa, command: Command, input: Buffer, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const result = await execa(command.file, command.args, { input, env, extendEnv: false, reject: false });
  const elapsed = performance.now() - started;
  if (result.exitCode !== 0 || result.stderr !== "") {
    throw new Error(`${command.name} failed (exit ${result.exitCode}): ${result.stderr}`);
  }
  return elapsed;
}

interface Folders {
  claudeDir: string;
  chainedClaudeDir: string;
}

function tapCommands(bash: string, tapScript: string, folders: Folders, prefix = ""): Command[] {
  return [
    { name: `${prefix}tap`, file: bash, args: [tapScript, folders.claudeDir], baseline: "bare bash" },
    {
      name: `${prefix}tap + previous`,
      file: bash,
      args: [tapScript, folders.chainedClaudeDir],
      baseline: "previous alone",
    },
  ];
}

function commands(options: BenchTapOptions, folders: Folders, beforeFolders: Folders): Command[] {
  const bash = options.bash ?? "/bin/bash";
  return [
    { name: "bare bash", file: bash, args: ["-c", "cat >/dev/null"] },
    { name: "previous alone", file: "/bin/sh", args: ["-c", PREVIOUS_COMMAND] },
    ...tapCommands(bash, options.tapScript ?? DEFAULT_TAP, folders),
    ...(options.beforeScript ? tapCommands(bash, options.beforeScript, beforeFolders, "before: ") : []),
  ];
}

/** A Claude folder without a previous status line and one with a previous command behind the tap. */
function makeFolders(root: string, name: string): Folders {
  const claudeDir = path.join(root, name);
  const chainedClaudeDir = path.join(root, `${name}-chained`);
  mkdirSync(claudeDir);
  mkdirSync(path.join(chainedClaudeDir, "agent-limits"), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(chainedClaudeDir, "agent-limits", "previous-command"), PREVIOUS_COMMAND, { mode: 0o600 });
  return { claudeDir, chainedClaudeDir };
}

function rowsFrom(list: Command[], times: Map<string, number[]>): BenchTapRow[] {
  const medians = new Map(list.map((command) => [command.name, median(times.get(command.name)!)]));
  return list.map((command) => {
    const medianMs = medians.get(command.name)!;
    if (!command.baseline) return { name: command.name, medianMs };
    const base = medians.get(command.baseline)!;
    return {
      name: command.name,
      medianMs,
      baseline: command.baseline,
      overheadMs: medianMs - base,
      ratio: medianMs / base,
    };
  });
}

/** Runs the four commands interleaved and returns their medians and the tap's overheads. */
export async function benchTap(options: BenchTapOptions = {}): Promise<{ rows: BenchTapRow[]; runs: number }> {
  const runs = options.runs ?? DEFAULT_RUNS;
  // execa is ESM-only and the scripts run as CommonJS: a dynamic import loads it.
  const { execa } = await import("execa");
  const root = mkdtempSync(path.join(os.tmpdir(), "agent-limits-bench-tap-"));
  try {
    const input = readFileSync(INPUT_FIXTURE);
    const env = { PATH: "/usr/bin:/bin", HOME: root, LANG: "en_US.UTF-8" };
    const list = commands(options, makeFolders(root, "claude"), makeFolders(root, "before"));
    const times = new Map<string, number[]>(list.map((command) => [command.name, []]));
    for (let round = 0; round < WARM_UP + runs; round++) {
      for (const command of list) {
        const ms = await timedRun(execa, command, input, env);
        if (round >= WARM_UP) times.get(command.name)!.push(ms);
      }
    }
    return { rows: rowsFrom(list, times), runs };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function formatBenchTap(rows: BenchTapRow[], runs: number): string {
  const line = (cells: string[]) =>
    cells[0].padEnd(18) +
    cells
      .slice(1, 4)
      .map((cell) => cell.padStart(12))
      .join("") +
    `  ${cells[4]}`;
  const lines = [line([`median of ${runs}`, "ms", "overhead ms", "ratio", "vs"])];
  for (const row of rows) {
    lines.push(
      line([
        row.name,
        row.medianMs.toFixed(2),
        row.overheadMs === undefined ? "" : row.overheadMs.toFixed(2),
        row.ratio === undefined ? "" : `${row.ratio.toFixed(2)}x`,
        row.baseline ?? "",
      ]),
    );
  }
  const bare = rows.find((row) => row.name === "bare bash");
  const chained = rows.find((row) => row.name === "tap + previous");
  if (bare && chained?.overheadMs !== undefined) {
    // Chaining puts a whole bash start in front of the previous command; that part no tap can avoid.
    const beyond = chained.overheadMs - bare.medianMs;
    lines.push(
      `\ntap + previous costs ${beyond.toFixed(2)} ms beyond starting a bare bash in front of the previous command`,
    );
  }
  return lines.join("\n");
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

async function main() {
  const runs = option("runs") === undefined ? undefined : Number(option("runs"));
  const tapScript = option("tap") && path.resolve(option("tap")!);
  const beforeScript = option("before") && path.resolve(option("before")!);
  const { rows, runs: measured } = await benchTap({ runs, tapScript, beforeScript, bash: option("bash") });
  console.log(formatBenchTap(rows, measured));
  const tap = rows.find((row) => row.name === "tap")!;
  const ok = tap.overheadMs! <= TAP_BUDGET_MS;
  console.log(
    `\n${ok ? "PASS" : "FAIL"}: the tap costs ${tap.overheadMs!.toFixed(2)} ms over a bare bash (budget ${TAP_BUDGET_MS} ms)`,
  );
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) void main();
