/**
 * How long `readCodexCaps` takes in a fresh node process, for Codex homes of every benchmarked shape:
 *
 *   npx tsx --tsconfig tsconfig.test.json scripts/bench-codex-read.ts [--runs 9] [--baseline <session-logs.ts>]
 *
 * Each run starts `scripts/codex-caps.ts` anew (cold module state, warm OS file cache) and keeps the time of its
 * one `readCodexCaps` call. `--baseline` points at another checkout's `session-logs.ts` (for example an older
 * commit unpacked with `git archive`, with `node_modules` linked next to its `src`) and adds a "before" column.
 * The homes are built once in the temp folder and kept (the 2 GB one takes a while).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { BENCH_HOME_KINDS, BENCH_HOME_LABELS, ensureBenchHome, type BenchHomeKind } from "./bench-data";

const run = promisify(execFile);
const REPO_ROOT = path.join(__dirname, "..");
const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
const CHILD = path.join(__dirname, "codex-caps.ts");

interface ChildRun {
  ms: number;
  ok: boolean;
}

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function readOnce(codexHome: string, impl?: string): Promise<ChildRun> {
  const args = ["--tsconfig", path.join(REPO_ROOT, "tsconfig.test.json"), CHILD, codexHome];
  if (impl) args.push("--impl", impl);
  const { stdout } = await run(TSX, args, { cwd: REPO_ROOT, timeout: 120_000 });
  const line = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { ms: number; result: { ok: boolean } };
  return { ms: line.ms, ok: line.result.ok };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Alternates the implementations run after run, so that machine noise falls on both alike. */
async function medians(codexHome: string, runs: number, baseline?: string) {
  const after: number[] = [];
  const before: number[] = [];
  let afterOk = true;
  for (let index = 0; index < runs; index++) {
    if (baseline) before.push((await readOnce(codexHome, baseline)).ms);
    const current = await readOnce(codexHome);
    after.push(current.ms);
    afterOk &&= current.ok;
  }
  return { after: median(after), before: baseline ? median(before) : undefined, afterOk };
}

function cell(value: string, width: number): string {
  return value.padStart(width);
}

async function main() {
  const runs = Number(flag("--runs") ?? 9);
  const baselineFlag = flag("--baseline");
  const baseline = baselineFlag ? path.resolve(baselineFlag) : undefined;
  const homes = new Map<BenchHomeKind, string>();
  for (const kind of BENCH_HOME_KINDS) homes.set(kind, await ensureBenchHome(kind, console.log));
  console.log(`\nreadCodexCaps, median of ${runs} fresh processes (ms)`);
  console.log(`${"home".padEnd(34)}${baseline ? cell("before", 12) : ""}${cell("after", 12)}`);
  let allOk = true;
  for (const kind of BENCH_HOME_KINDS) {
    const result = await medians(homes.get(kind) ?? "", runs, baseline);
    allOk &&= result.afterOk;
    const before = result.before === undefined ? "" : cell(result.before.toFixed(2), 12);
    const note = result.afterOk ? "" : "  (no caps!)";
    console.log(`${BENCH_HOME_LABELS[kind].padEnd(34)}${before}${cell(result.after.toFixed(2), 12)}${note}`);
  }
  process.exitCode = allOk ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
