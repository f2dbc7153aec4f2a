/** Prints the cold-launch results as Markdown tables (they paste into the README as they are). */
import { statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { HOME_LABELS, type HomeKind } from "./homes";
import type { Launch } from "./launches";
import { median, p90 } from "./stats";
import type { TargetCheck } from "./summary";

export interface Subject {
  label: string;
  bundle: string;
}

export type Results = Map<HomeKind, Launch[][]>;
type Measure = "launchMs" | "evaluateMs" | "cpuMs" | "fromProcessStartMs" | "wallMs";

const TARGETS = { launchRatio: 1.3, largeOverSmall: 1.2, ledgerRatio: 1.05 };
/** Issue 10's budgets for each built bundle, in kB of 1,000 bytes; the bundle test holds CI to them too. */
export const SIZE_TARGETS_KB: Record<string, number> = {
  "menu-bar.js": 100,
  "billing.js": 200,
  "refresh-billing.js": 200,
};

const ms = (value: number) => value.toFixed(1);
const ratio = (value: number) => `${value.toFixed(2)}×`;
const pick = (launches: Launch[], measure: Measure) => launches.map((launch) => launch[measure]);
const medianOf = (launches: Launch[], measure: Measure) => median(pick(launches, measure));

function table(header: string[], rows: string[][]) {
  console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}

export function printMachine() {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(1));
  console.log(
    `machine: ${cpus[0]?.model ?? "unknown CPU"} × ${cpus.length}, ${os.platform()} ${os.release()}, Node ${process.version}, load average ${load.join(" ")}`,
  );
}

/** Median / p90 of the launch per case and subject, and each ratio of Agent Limits to the others. */
export function printLaunchTable(subjects: Subject[], results: Results, runs: number) {
  console.log(`\nCold launch: require the bundle → menu settled, ms (median / p90 of ${runs} fresh processes each)\n`);
  const others = subjects.slice(1);
  const header = ["case", ...subjects.map((subject) => subject.label), ...others.map((other) => `÷ ${other.label}`)];
  const rows = [...results].map(([kind, samples]) => {
    const medians = samples.map((launches) => medianOf(launches, "launchMs"));
    const cells = samples.map((launches, index) => `${ms(medians[index])} / ${ms(p90(pick(launches, "launchMs")))}`);
    return [HOME_LABELS[kind], ...cells, ...medians.slice(1).map((other) => ratio(medians[0] / other))];
  });
  const small = results.get("small");
  const large = results.get("large");
  if (small && large) {
    const growth = subjects.map((_, index) =>
      ratio(medianOf(large[index], "launchMs") / medianOf(small[index], "launchMs")),
    );
    rows.push(["large ÷ small", ...growth, ...others.map(() => "")]);
  }
  table(header, rows);
}

/** The same launches seen other ways: CPU time, the require alone, and from the process start. */
export function printDetailTable(subjects: Subject[], results: Results) {
  console.log("\nSame launches, medians (ms): CPU time · require alone · process start → settled\n");
  const rows = [...results].map(([kind, samples]) => [
    HOME_LABELS[kind],
    ...samples.map((launches) =>
      (["cpuMs", "evaluateMs", "fromProcessStartMs"] as const)
        .map((measure) => ms(medianOf(launches, measure)))
        .join(" · "),
    ),
  ]);
  table(["case", ...subjects.map((subject) => subject.label)], rows);
}

const kilobytes = (file: string) => statSync(file).size / 1000;

/** Bundle sizes: every `dist/*.js` of each built extension, and the baseline's one bundle. */
export function printSizes(subjects: Subject[]) {
  console.log("\nBundle sizes (kB)\n");
  const rows = Object.keys(SIZE_TARGETS_KB).map((name) => [
    name,
    ...subjects.map((subject) => {
      const file = path.join(path.dirname(subject.bundle), name);
      try {
        return kilobytes(file).toFixed(1);
      } catch {
        return "–";
      }
    }),
    `≤ ${SIZE_TARGETS_KB[name]}`,
  ]);
  table(["bundle", ...subjects.map((subject) => subject.label), "target"], rows);
}

/** The launch figures of one subject on one home (its median). */
const launchMedian = (results: Results, kind: HomeKind, index: number) =>
  medianOf(results.get(kind)![index], "launchMs");

/** Agent Limits (the first subject) against the baseline (the second), and the bundle sizes. */
export function coldLaunchChecks(subjects: Subject[], results: Results): TargetCheck[] {
  const checks: TargetCheck[] = [...results.keys()].map((kind) => {
    const [product, baseline] = [launchMedian(results, kind, 0), launchMedian(results, kind, 1)];
    return {
      part: "cold launch",
      what: `${HOME_LABELS[kind]}: Agent Limits ÷ baseline`,
      detail: `${ms(product)} vs ${ms(baseline)} ms`,
      measured: product / baseline,
      limit: TARGETS.launchRatio,
      unit: "×",
    };
  });
  if (results.has("small") && results.has("large")) {
    const [small, large] = [launchMedian(results, "small", 0), launchMedian(results, "large", 0)];
    checks.push({
      part: "cold launch",
      what: "Agent Limits, large ÷ small",
      detail: `${ms(large)} vs ${ms(small)} ms`,
      measured: large / small,
      limit: TARGETS.largeOverSmall,
      unit: "×",
    });
  }
  const dist = path.dirname(subjects[0].bundle);
  for (const [name, limit] of Object.entries(SIZE_TARGETS_KB)) {
    const size = kilobytes(path.join(dist, name));
    checks.push({ part: "size", what: `dist/${name}`, detail: "", measured: size, limit, unit: " kB" });
  }
  return checks;
}

/** The ledger case: the same menu with and without the history ledger, on a home holding a week of it. */
export function ledgerCheck(withLedger: Launch[], withoutLedger: Launch[], kind: HomeKind): TargetCheck {
  console.log(`
Ledger: the menu with and without its history ledger, ${HOME_LABELS[kind]}, a week of readings stored
`);
  const measures = ["launchMs", "cpuMs", "evaluateMs"] as const;
  table(
    ["median (ms)", "with the ledger", "without (stubbed out)", "ratio"],
    measures.map((measure) => {
      const [a, b] = [medianOf(withLedger, measure), medianOf(withoutLedger, measure)];
      return [measure, ms(a), ms(b), ratio(a / b)];
    }),
  );
  const [a, b] = [medianOf(withLedger, "launchMs"), medianOf(withoutLedger, "launchMs")];
  return {
    part: "ledger",
    what: `${HOME_LABELS[kind]}: with ÷ without the ledger`,
    detail: `${ms(a)} vs ${ms(b)} ms`,
    measured: a / b,
    limit: TARGETS.ledgerRatio,
    unit: "×",
  };
}
