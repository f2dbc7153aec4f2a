/**
 * `npm run bench:ledger`: what the local history (pace and runway) adds to the menu's work.
 *
 * Times what a menu launch computes, the sources' states and the menu model, without the ledger
 * (`readSourceStates`, the menu as it was) and with it (`loadSourceStates`: read, merge and maybe
 * write the ledger, then pace and runway in the model), each in a fresh process, the three cases
 * interleaved round after round so that machine noise falls on all alike:
 *
 * - without: no ledger at all;
 * - with, steady: a full ledger that already holds this launch's readings (nothing to write);
 * - with, new reading: the same ledger without them (one write).
 *
 * Each process times its first run (cold: a menu launch, as Raycast loads the command afresh, so
 * every function runs for the first time), then, after 300 more runs, the median of 100 (hot: the
 * work itself once the engine has optimized it). Times are CPU time of the process (robust when
 * other work shares the machine) and wall time. The ledger is a week of Codex launches every 5
 * minutes and refreshes every 6 hours; the home has no Claude data, so Claude's ledger is never
 * read (a second source with caps reads a second ledger). Budget: the ledger adds at most 5 %.
 * LocalStorage here is the in-memory stand-in: Raycast's own adds its IPC to both sides alike.
 */
import "./raycast-runtime";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { parseSettings } from "../src/model/settings";
import { SOURCES } from "../src/sources/registry";
import { loadSourceStates, readSourceStates } from "../src/sources/load";
import { buildMenuModel } from "../src/view/menu-model";
import { buildCodexHome } from "./bench-data";
import { memoryStore, recordSimulatedWeek, storeFetchedBalance } from "./bench/stored-week";

/** A minute after sample A, the newest snapshot of the synthetic home. */
const NOW = Date.parse("2026-10-12T14:03:27Z");
const ROUNDS = 21;
const HOT_AFTER = 300;
const HOT_RUNS = 100;
const BUDGET = 1.05;
const VARIANTS = ["without", "steady", "new"] as const;
type Variant = (typeof VARIANTS)[number];

function settingsFor(codexHome: string) {
  return parseSettings({ codexHome, claudeConfigDir: path.join(codexHome, "no-claude") }, SOURCES, {
    env: {},
    homedir: codexHome,
  });
}

/** Storage as a launch finds it: records with balances, and the ledger with or without this launch's readings. */
async function buildSeeds(codexHome: string): Promise<Record<Variant, Record<string, string>>> {
  const map = new Map<string, string>();
  const store = memoryStore(map);
  await storeFetchedBalance(store, NOW);
  const without = Object.fromEntries(map);
  await recordSimulatedWeek(store, NOW);
  const fresh = Object.fromEntries(map);
  await loadSourceStates(store, settingsFor(codexHome), NOW);
  return { without, new: fresh, steady: Object.fromEntries(map) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** CPU time of this process in ms: unlike wall time, it barely moves when other work shares the machine. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

interface Sample {
  wall: number;
  cpu: number;
}

/** One process: seed storage, time the first (cold) run, then hot runs once the engine has warmed up. */
async function child(variant: Variant, seedFile: string, codexHome: string) {
  const seed = (JSON.parse(readFileSync(seedFile, "utf8")) as Record<Variant, Record<string, string>>)[variant];
  const settings = settingsFor(codexHome);
  const load = variant === "without" ? readSourceStates : loadSourceStates;
  const once = async (): Promise<Sample> => {
    const store = memoryStore(new Map(Object.entries(seed)));
    const [wall, cpu] = [performance.now(), cpuMs()];
    buildMenuModel(await load(store, settings, NOW), settings, NOW);
    return { wall: performance.now() - wall, cpu: cpuMs() - cpu };
  };
  // Every case starts from a collected heap, so that no case pays for another's garbage.
  (globalThis as { gc?: () => void }).gc?.();
  const cold = await once();
  for (let run = 0; run < HOT_AFTER; run++) await once();
  const hot: Sample[] = [];
  for (let run = 0; run < HOT_RUNS; run++) hot.push(await once());
  const hotMedian = { wall: median(hot.map((sample) => sample.wall)), cpu: median(hot.map((sample) => sample.cpu)) };
  console.log(JSON.stringify({ cold, hot: hotMedian }));
}

async function ensureHome(): Promise<string> {
  const dir = path.join(os.tmpdir(), "agent-limits-bench-ledger-home-v1");
  if (!existsSync(path.join(dir, ".complete"))) {
    await buildCodexHome(dir, 10, 2 * 1024 * 1024);
    writeFileSync(path.join(dir, ".complete"), "");
  }
  return dir;
}

async function parent() {
  const codexHome = await ensureHome();
  const work = mkdtempSync(path.join(os.tmpdir(), "agent-limits-bench-ledger-"));
  const seedFile = path.join(work, "seeds.json");
  const seeds = await buildSeeds(codexHome);
  writeFileSync(seedFile, JSON.stringify(seeds));
  const ledgerBytes = (seeds.steady["history-v1:codex"] ?? "").length;
  console.log(`Codex ledger: ${(ledgerBytes / 1024).toFixed(1)} KiB; ${ROUNDS} rounds of fresh processes`);
  const tsx = path.join(__dirname, "../node_modules/.bin/tsx");
  type Kind = "cold" | "hot";
  const empty = (): Record<Kind, Sample[]> => ({ cold: [], hot: [] });
  const samples: Record<Variant, Record<Kind, Sample[]>> = { without: empty(), steady: empty(), new: empty() };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of VARIANTS) {
        const args = [
          "--tsconfig",
          "tsconfig.test.json",
          __filename,
          "--child",
          variant,
          "--seed",
          seedFile,
          "--home",
          codexHome,
        ];
        const output = execFileSync(tsx, args, {
          cwd: path.join(__dirname, ".."),
          encoding: "utf8",
          env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --expose-gc`.trim() },
        });
        const result = JSON.parse(output.trim().split("\n").pop()!) as Record<Kind, Sample>;
        samples[variant].cold.push(result.cold);
        samples[variant].hot.push(result.hot);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const med = (variant: Variant, kind: Kind, clock: keyof Sample) =>
    median(samples[variant][kind].map((sample) => sample[clock]));
  const names: Record<Variant, string> = {
    without: "without the ledger",
    steady: "with, steady",
    new: "with, new reading",
  };
  const row = (cells: string[]) =>
    console.log(
      cells[0].padEnd(32) +
        cells
          .slice(1)
          .map((cell) => cell.padStart(11))
          .join(""),
    );
  row(["median (ms)", "cold cpu", "cold wall", "hot cpu", "hot wall"]);
  for (const variant of VARIANTS) {
    row([
      names[variant],
      ...(["cold", "hot"] as const).flatMap((kind) => [
        med(variant, kind, "cpu").toFixed(2),
        med(variant, kind, "wall").toFixed(2),
      ]),
    ]);
  }
  const ratio = (variant: Variant, kind: Kind, clock: keyof Sample) =>
    med(variant, kind, clock) / med("without", kind, clock);
  for (const variant of ["steady", "new"] as const) {
    row([
      `${names[variant]} / without`,
      ...(["cold", "hot"] as const).flatMap((kind) => [
        ratio(variant, kind, "cpu").toFixed(3),
        ratio(variant, kind, "wall").toFixed(3),
      ]),
    ]);
  }
  if (process.env.BENCH_VERBOSE) console.log(JSON.stringify(samples));
  const within = (kind: Kind) => ratio("steady", kind, "cpu") <= BUDGET;
  for (const kind of ["cold", "hot"] as const) {
    const added = ((ratio("steady", kind, "cpu") - 1) * 100).toFixed(1);
    console.log(
      `${within(kind) ? "within" : "OVER"} budget, ${kind}: a steady launch with the ledger costs ${added} % CPU more`,
    );
  }
  const ok = within("cold") && within("hot");
  process.exitCode = ok ? 0 : 1;
}

const { values } = parseArgs({
  options: { child: { type: "string" }, seed: { type: "string" }, home: { type: "string" } },
});
(values.child ? child(values.child as Variant, values.seed!, values.home!) : parent()).catch((error) => {
  console.error(error);
  process.exit(1);
});
