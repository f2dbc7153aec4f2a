/**
 * The cold launch of the built menu-bar command against the baseline command, per Codex home: fresh
 * processes, launched in turn (A, B, A, B…, each round over every home) so that machine noise falls on all
 * alike. Every launch starts from the storage a week of use leaves (seeds.ts). On the 10-file home the same
 * menu built without its history ledger is launched in the same rounds: what the ledger adds.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CACHE_DIR, REPO_ROOT, bundleLauncher, bundleLikeRaycast, bundleWithoutLedger, ensureDist } from "./build";
import { ensureHome, type HomeKind } from "./homes";
import { launchOnce, preferencesFor, type Launch } from "./launches";
import {
  coldLaunchChecks,
  ledgerCheck,
  printDetailTable,
  printLaunchTable,
  printMachine,
  printSizes,
  type Results,
  type Subject,
} from "./report";
import { hasValgrind, ledgerInstructionCheck } from "./instructions";
import { primeStorage } from "./seeds";
import type { TargetCheck } from "./summary";

/** The home the ledger case runs on: the smallest launch, where the ledger weighs most. */
const LEDGER_HOME: HomeKind = "small";

export interface ColdLaunchOptions {
  runs: number;
  warmUp: number;
  kinds: HomeKind[];
  rebuild: boolean;
  /** Other built `dist` folders to launch in the same rounds, e.g. main's, as `{ label, dir }`. */
  compare: { label: string; dir: string }[];
  /** A folder for one CPU profile per case and bundle (open them in Chrome DevTools), taken after the rounds. */
  profileDir?: string;
  /** Launches per bundle counted under callgrind for the ledger case (0: none). */
  instructionRounds: number;
}

/**
 * Both windows of the newest snapshot (sample A: 5h 37%, weekly 61%) must be on the menu: a launch that
 * read another file, or none, measures the wrong thing.
 */
function checkMenu(subject: Subject, kind: HomeKind, menu: string[]) {
  const shows = (window: string, percent: string) =>
    menu.some((title) => title.startsWith(window) && title.includes(percent));
  if (!shows("5h", "37%") || !shows("Weekly", "61%")) {
    throw new Error(`${subject.label} on the ${kind} home does not show the newest caps: ${JSON.stringify(menu)}`);
  }
}

async function prepare(options: ColdLaunchOptions) {
  const { rebuilt } = ensureDist(options.rebuild);
  console.log(rebuilt ? "built dist with ray build -e dist -o dist" : "dist is newer than every source: reused");
  const check = await bundleLikeRaycast(
    path.join(REPO_ROOT, "src/menu-bar.tsx"),
    path.join(CACHE_DIR, "check"),
    "menu-bar",
  );
  const identical = readFileSync(check).equals(readFileSync(path.join(REPO_ROOT, "dist/menu-bar.js")));
  if (!identical) {
    throw new Error(
      "ray build's esbuild options no longer rebuild dist/menu-bar.js byte for byte: the baseline would not be " +
        "built like the extension (see scripts/bench/build.ts)",
    );
  }
  console.log("baseline bundled with ray build's esbuild options (they rebuild dist/menu-bar.js byte for byte)");
  const baseline = await bundleLikeRaycast(
    path.join(REPO_ROOT, "scripts/baseline-menu-bar.tsx"),
    path.join(CACHE_DIR, "baseline"),
    "menu-bar",
  );
  const subjects: Subject[] = [
    { label: "Agent Limits", bundle: path.join(REPO_ROOT, "dist/menu-bar.js") },
    { label: "baseline", bundle: baseline },
    ...options.compare.map(({ label, dir }) => ({ label, bundle: path.resolve(dir, "menu-bar.js") })),
  ];
  const withoutLedger = await bundleWithoutLedger(path.join(CACHE_DIR, "no-ledger"));
  return { launcher: await bundleLauncher(), subjects, withoutLedger };
}

type MeasureOptions = ColdLaunchOptions & { withoutLedger: string };
const WITHOUT_LEDGER = "without the ledger";

interface Home {
  kind: HomeKind;
  preferences: Record<string, unknown>;
  storage: string;
}

async function prepareHomes(kinds: HomeKind[], launcher: string, product: Subject): Promise<Home[]> {
  const homes = [];
  for (const kind of kinds) {
    const preferences = preferencesFor(await ensureHome(kind));
    homes.push({ kind, preferences, storage: await primeStorage(kind, launcher, product.bundle, preferences) });
  }
  return homes;
}

/**
 * Every round launches every bundle on every home, so that a busier minute of the machine falls on all of
 * them alike: the ratios, large ÷ small and the ledger's included, compare launches made side by side.
 */
async function measure(homes: Home[], launcher: string, subjects: Subject[], options: MeasureOptions) {
  const results: Results = new Map(homes.map(({ kind }) => [kind, subjects.map(() => [] as Launch[])]));
  const ledgerHome = homes.find(({ kind }) => kind === LEDGER_HOME);
  const withoutLedger: Launch[] = [];
  const ledgerSubject = { label: WITHOUT_LEDGER, bundle: options.withoutLedger };
  for (let round = 0; round < options.warmUp + options.runs; round++) {
    for (const { kind, preferences, storage } of homes) {
      const inRound = [...subjects, ...(kind === ledgerHome?.kind ? [ledgerSubject] : [])];
      for (const [index, subject] of inRound.entries()) {
        const launch = await launchOnce(launcher, subject.bundle, preferences, { storageIn: storage });
        // Every launch must show the newest snapshot, or it did not measure reading it.
        checkMenu(subject, kind, launch.menu);
        if (round < options.warmUp) continue;
        if (index < subjects.length) results.get(kind)![index].push(launch);
        else withoutLedger.push(launch);
      }
    }
    if (round === options.warmUp - 1 || (round + 1) % 10 === 0)
      console.log(`round ${round + 1} of ${options.warmUp + options.runs}`);
  }
  return { results, withoutLedger: ledgerHome ? withoutLedger : undefined };
}

async function profile(homes: Home[], launcher: string, subjects: Subject[], profileDir: string) {
  mkdirSync(profileDir, { recursive: true });
  for (const { kind, preferences, storage } of homes) {
    for (const subject of subjects) {
      const file = path.join(profileDir, `${kind}-${subject.label.replace(/\W+/g, "-")}.cpuprofile`);
      await launchOnce(launcher, subject.bundle, preferences, { profile: file, storageIn: storage });
    }
  }
  console.log(`CPU profiles (one launch per home and bundle): ${profileDir}`);
}

/** Measures, prints the tables and returns the targets' checks. */
export async function benchColdLaunch(options: ColdLaunchOptions): Promise<TargetCheck[]> {
  const { launcher, subjects, withoutLedger } = await prepare(options);
  printMachine();
  const homes = await prepareHomes(options.kinds, launcher, subjects[0]);
  const measured = await measure(homes, launcher, subjects, { ...options, withoutLedger });
  if (options.profileDir) {
    const profiled = [...subjects, { label: WITHOUT_LEDGER, bundle: withoutLedger }];
    await profile(homes, launcher, profiled, options.profileDir);
  }
  printLaunchTable(subjects, measured.results, options.runs);
  printDetailTable(subjects, measured.results);
  printSizes(subjects);
  const checks = coldLaunchChecks(subjects, measured.results);
  if (measured.withoutLedger) {
    const withLedger = measured.results.get(LEDGER_HOME)![0];
    checks.push(ledgerCheck(withLedger, measured.withoutLedger, LEDGER_HOME));
  }
  const ledgerHome = homes.find(({ kind }) => kind === LEDGER_HOME);
  if (ledgerHome && options.instructionRounds > 0) {
    if (!hasValgrind()) console.log("\nvalgrind not found: the ledger's instruction count is skipped");
    else {
      const bundles = { withLedger: subjects[0].bundle, withoutLedger };
      const count = { launcher, preferences: ledgerHome.preferences, storageIn: ledgerHome.storage };
      checks.push(await ledgerInstructionCheck(LEDGER_HOME, bundles, { ...count, rounds: options.instructionRounds }));
    }
  }
  return checks;
}
