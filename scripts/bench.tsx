/**
 * `npm run bench [-- --runs 41 --warm-up 3 --cases small,large --rebuild --compare main=/path/to/dist
 *   --profile /tmp/profiles --parts cold,tap,refresh --instruction-rounds 2]`
 *
 * What the user waits for: the cold launch of the built menu-bar command (`dist/menu-bar.js`) in a fresh
 * process, against a baseline command that does the least a menu can (scripts/baseline-menu-bar.tsx), on
 * Codex homes from 10 files to 10,000 files / 2 GB (kept in the temp folder between runs), with the history
 * ledger's share of it (in milliseconds, and in instructions under callgrind when valgrind is installed); the
 * bundle sizes; then what a response costs with the status-line tap and what a refresh costs beyond the
 * providers (scripts/bench/parts.ts). Ends with every target, measured, in one table, and exits 1 when one
 * is over. A benchmark, not a test: nothing here runs under jest.
 */
import { parseArgs } from "node:util";
import { benchColdLaunch } from "./bench/cold-launch";
import { HOME_KINDS, type HomeKind } from "./bench/homes";
import { refreshPart, tapPart } from "./bench/parts";
import { printMachine } from "./bench/report";
import { printSummary, type TargetCheck } from "./bench/summary";

const PARTS = ["cold", "tap", "refresh"] as const;

function count(text: string, name: string, least: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) throw new Error(`--${name} takes a whole number from ${least}`);
  return value;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "41" },
      "warm-up": { type: "string", default: "3" },
      cases: { type: "string", default: HOME_KINDS.join(",") },
      rebuild: { type: "boolean", default: false },
      compare: { type: "string", multiple: true, default: [] },
      profile: { type: "string" },
      parts: { type: "string", default: PARTS.join(",") },
      "instruction-rounds": { type: "string", default: "2" },
    },
  });
  const parts = values.parts.split(",").filter(Boolean);
  const unknownParts = parts.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknownParts.length > 0)
    throw new Error(`unknown part(s) ${unknownParts.join(", ")}; known: ${PARTS.join(", ")}`);
  const kinds = values.cases.split(",").filter(Boolean);
  const unknown = kinds.filter((kind) => !(HOME_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0) throw new Error(`unknown case(s) ${unknown.join(", ")}; known: ${HOME_KINDS.join(", ")}`);
  const compare = values.compare.map((entry) => {
    const [label, dir] = entry.includes("=")
      ? [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]
      : [entry, entry];
    return { label, dir };
  });
  return {
    runs: count(values.runs, "runs", 1),
    warmUp: count(values["warm-up"], "warm-up", 0),
    kinds: kinds as HomeKind[],
    rebuild: values.rebuild,
    compare,
    profileDir: values.profile,
    instructionRounds: count(values["instruction-rounds"], "instruction-rounds", 0),
    parts,
  };
}

async function main() {
  const options = parseOptions();
  const checks: TargetCheck[] = [];
  if (options.parts.includes("cold")) {
    console.log("== cold launch ==");
    checks.push(...(await benchColdLaunch(options)));
  }
  if (options.parts.includes("tap")) {
    console.log("\n== status-line tap ==");
    checks.push(...(await tapPart()));
  }
  if (options.parts.includes("refresh")) {
    console.log("\n== refresh ==");
    checks.push(...(await refreshPart()));
  }
  const ok = printSummary(checks);
  printMachine();
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
