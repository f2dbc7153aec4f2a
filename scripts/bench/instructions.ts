/**
 * What the history ledger adds to a launch, counted in instructions rather than milliseconds: a few
 * milliseconds of a 50–80 ms launch are the size of this machine's run-to-run noise, while valgrind's
 * callgrind counts the instructions a launch executes (all threads) whatever else the machine is doing.
 * Node runs with V8's `--predictable` (compilers and GC on the main thread, fixed seeds), so a launch's
 * count repeats to a few thousand instructions in half a billion. Each count is net of a null command's
 * launch (the same launcher rendering one empty item), so node's boot and React's loading do not dilute
 * the ratio. Needs `valgrind` (Debian's package); skipped without it.
 */
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CACHE_DIR } from "./build";
import { HOME_LABELS, type HomeKind } from "./homes";
import { launchEnvironment } from "./launches";
import { median } from "./stats";
import type { TargetCheck } from "./summary";

const LEDGER_INSTRUCTION_RATIO = 1.05;

/** A menu-bar command that does nothing: the launch's fixed part (node, React, the launcher, one commit). */
const NULL_COMMAND = `const { MenuBarExtra } = require("@raycast/api");
const { createElement } = require("react");
exports.default = () => createElement(MenuBarExtra, { title: "–", isLoading: false });
`;

export function hasValgrind(): boolean {
  return spawnSync("valgrind", ["--version"], { stdio: "ignore" }).status === 0;
}

interface CountOptions {
  launcher: string;
  preferences: Record<string, unknown>;
  storageIn: string;
}

/** The instructions one launch of `bundle` executes, all threads, from node's start to its exit. */
function countInstructions(bundle: string, { launcher, preferences, storageIn }: CountOptions): Promise<number> {
  const args = ["--tool=callgrind", "--callgrind-out-file=/dev/null", "--smc-check=all-non-file"];
  const env = launchEnvironment(preferences, { storageIn });
  return new Promise((resolve, reject) => {
    const child = spawn("valgrind", [...args, process.execPath, "--predictable", launcher, bundle], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const collected = /Collected\s*:\s*(\d+)/.exec(stderr);
      const settled = stdout.includes('"settled"');
      if (code === 0 && collected && settled) resolve(Number(collected[1]));
      else reject(new Error(`callgrind launch of ${bundle} failed (exit ${code}): ${(stdout + stderr).slice(-1500)}`));
    });
  });
}

const millions = (count: number) => `${(count / 1e6).toFixed(1)} M`;

/** Counts `rounds` launches of each bundle in turn and returns the ledger's check. */
export async function ledgerInstructionCheck(
  kind: HomeKind,
  bundles: { withLedger: string; withoutLedger: string },
  options: CountOptions & { rounds: number },
): Promise<TargetCheck> {
  const nullCommand = path.join(CACHE_DIR, "null-menu.js");
  writeFileSync(nullCommand, NULL_COMMAND);
  const counts = { null: [] as number[], with: [] as number[], without: [] as number[] };
  for (let round = 0; round < options.rounds; round++) {
    counts.null.push(await countInstructions(nullCommand, options));
    counts.with.push(await countInstructions(bundles.withLedger, options));
    counts.without.push(await countInstructions(bundles.withoutLedger, options));
    console.log(`callgrind round ${round + 1} of ${options.rounds}`);
  }
  const fixed = median(counts.null);
  const [withLedger, withoutLedger] = [median(counts.with) - fixed, median(counts.without) - fixed];
  const spread = (samples: number[]) => `${((Math.max(...samples) - Math.min(...samples)) / 1e3).toFixed(0)} k`;
  console.log(`
Ledger in instructions (callgrind, median of ${options.rounds} launches each, net of a null command's ${millions(fixed)})

| with the ledger | without (stubbed out) | ratio | spread of the counts (with, without, null) |
|---|---|---|---|
| ${millions(withLedger)} | ${millions(withoutLedger)} | ${(withLedger / withoutLedger).toFixed(3)}× | ${[counts.with, counts.without, counts.null].map(spread).join(", ")} |`);
  return {
    part: "ledger",
    what: `${HOME_LABELS[kind]}: with ÷ without the ledger, instructions`,
    detail: `${millions(withLedger)} vs ${millions(withoutLedger)}`,
    measured: withLedger / withoutLedger,
    limit: LEDGER_INSTRUCTION_RATIO,
    unit: "×",
  };
}
