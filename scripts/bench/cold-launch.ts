/**
 * The cold launch of the built menu-bar command against the baseline command, per Codex home: fresh
 * processes, launched in turn (A, B, A, B…, each round over every home) so that machine noise falls on all
 * alike.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CACHE_DIR, REPO_ROOT, bundleLauncher, bundleLikeRaycast, ensureDist } from "./build";
import { ensureHome, type HomeKind } from "./homes";
import { launchOnce, preferencesFor, type Launch } from "./launches";
import {
  checkTargets,
  printDetailTable,
  printLaunchTable,
  printMachine,
  printSizes,
  type Results,
  type Subject,
} from "./report";

export interface ColdLaunchOptions {
  runs: number;
  warmUp: number;
  kinds: HomeKind[];
  rebuild: boolean;
  /** Other built `dist` folders to launch in the same rounds, e.g. main's, as `{ label, dir }`. */
  compare: { label: string; dir: string }[];
  /** A folder for one CPU profile per case and bundle (open them in Chrome DevTools), taken after the rounds. */
  profileDir?: string;
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
  console.log(
    identical
      ? "baseline bundled with ray build's esbuild options (they rebuild dist/menu-bar.js byte for byte)"
      : "WARNING: ray build's esbuild options no longer rebuild dist/menu-bar.js byte for byte; see scripts/bench/build.ts",
  );
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
  return { launcher: await bundleLauncher(), subjects };
}

/**
 * Every round launches every bundle on every home, so that a busier minute of the machine falls on all of
 * them alike: the ratios, large ÷ small included, compare launches made side by side.
 */
async function measure(kinds: HomeKind[], launcher: string, subjects: Subject[], options: ColdLaunchOptions) {
  const homes = [];
  for (const kind of kinds) homes.push({ kind, preferences: preferencesFor(await ensureHome(kind)) });
  const results: Results = new Map(kinds.map((kind) => [kind, subjects.map(() => [] as Launch[])]));
  for (let round = 0; round < options.warmUp + options.runs; round++) {
    for (const { kind, preferences } of homes) {
      for (const [index, subject] of subjects.entries()) {
        const launch = await launchOnce(launcher, subject.bundle, preferences);
        if (round === 0) checkMenu(subject, kind, launch.menu);
        if (round >= options.warmUp) results.get(kind)![index].push(launch);
      }
    }
    if (round === options.warmUp - 1 || (round + 1) % 10 === 0)
      console.log(`round ${round + 1} of ${options.warmUp + options.runs}`);
  }
  return results;
}

async function profile(kinds: HomeKind[], launcher: string, subjects: Subject[], profileDir: string) {
  mkdirSync(profileDir, { recursive: true });
  for (const kind of kinds) {
    const preferences = preferencesFor(await ensureHome(kind));
    for (const subject of subjects) {
      const file = path.join(profileDir, `${kind}-${subject.label.replace(/\W+/g, "-")}.cpuprofile`);
      await launchOnce(launcher, subject.bundle, preferences, file);
    }
  }
  console.log(`CPU profiles (one launch per home and bundle): ${profileDir}`);
}

/** Measures and prints; false when a target is missed. */
export async function benchColdLaunch(options: ColdLaunchOptions): Promise<boolean> {
  const { launcher, subjects } = await prepare(options);
  printMachine();
  const results = await measure(options.kinds, launcher, subjects, options);
  if (options.profileDir) await profile(options.kinds, launcher, subjects, options.profileDir);
  printLaunchTable(subjects, results, options.runs);
  printDetailTable(subjects, results);
  printSizes(subjects);
  printMachine();
  return checkTargets(subjects, results);
}
