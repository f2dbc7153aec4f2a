/**
 * The cold launch of the built menu-bar command against the baseline command, per Codex home: fresh
 * processes, launched in turn (A, B, A, B…) so that machine noise falls on both alike.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CACHE_DIR, REPO_ROOT, bundleLauncher, bundleLikeRaycast, ensureDist } from "./build";
import { HOME_LABELS, ensureHome, type HomeKind } from "./homes";
import { launchOnce, preferencesFor, type Launch } from "./launches";
import { checkTargets, printDetailTable, printLaunchTable, printMachine, printSizes, type Subject } from "./report";

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

async function measureHome(kind: HomeKind, launcher: string, subjects: Subject[], options: ColdLaunchOptions) {
  const preferences = preferencesFor(await ensureHome(kind));
  const samples = subjects.map(() => [] as Launch[]);
  for (let round = 0; round < options.warmUp + options.runs; round++) {
    for (const [index, subject] of subjects.entries()) {
      const launch = await launchOnce(launcher, subject.bundle, preferences);
      if (round === 0) checkMenu(subject, kind, launch.menu);
      if (round >= options.warmUp) samples[index].push(launch);
    }
  }
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    for (const subject of subjects) {
      const file = path.join(options.profileDir, `${kind}-${subject.label.replace(/\W+/g, "-")}.cpuprofile`);
      await launchOnce(launcher, subject.bundle, preferences, file);
    }
  }
  return samples;
}

/** Measures and prints; false when a target is missed. */
export async function benchColdLaunch(options: ColdLaunchOptions): Promise<boolean> {
  const { launcher, subjects } = await prepare(options);
  printMachine();
  const results = new Map<HomeKind, Launch[][]>();
  for (const kind of options.kinds) {
    results.set(kind, await measureHome(kind, launcher, subjects, options));
    console.log(`measured: ${HOME_LABELS[kind]}`);
  }
  printLaunchTable(subjects, results, options.runs);
  printDetailTable(subjects, results);
  printSizes(subjects);
  printMachine();
  return checkTargets(subjects, results);
}
