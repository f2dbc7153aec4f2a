/**
 * Launching a built menu-bar bundle in a fresh `node` process (see `launcher/launch.ts`) and reading back
 * when it settled.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "./build";
import type { BenchHome } from "./homes";

export interface Launch {
  /** Requiring the bundle until the menu settled (`isLoading` false): what the bundle itself costs. */
  launchMs: number;
  /** Requiring (loading and evaluating) the bundle. */
  evaluateMs: number;
  /** CPU time (all threads) from requiring the bundle until the menu settled: less noisy on a busy machine. */
  cpuMs: number;
  /** Process start until the menu settled: adds Node's boot and loading React and the renderer. */
  fromProcessStartMs: number;
  /** Spawning the process until it exited, seen from the benchmark. */
  wallMs: number;
  menu: string[];
}

interface LauncherReport {
  marks?: Record<string, number>;
  cpuMs?: number;
  menu?: string[];
  error?: string;
}

interface ManifestPreference {
  name: string;
  default?: unknown;
}

/** What `getPreferenceValues` returns in Raycast: the manifest's defaults, then the user's choices. */
export function preferencesFor(home: BenchHome): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  const defaults = (manifest.preferences as ManifestPreference[]).flatMap((preference) =>
    preference.default === undefined ? [] : [[preference.name, preference.default]],
  );
  return { ...Object.fromEntries(defaults), codexHome: home.codexHome, claudeConfigDir: home.claudeConfigDir };
}

/** Two minutes after the homes' newest snapshot (sample A): both windows are running, none has reset. */
export const BENCH_NOW = Date.parse("2026-10-12T14:00:00Z");

export interface LaunchOptions {
  /** Where to write a CPU profile of the launch (its timings then include the profiler's overhead). */
  profile?: string;
  /** LocalStorage and Cache as an earlier launch left them (a file `storageOut` wrote). */
  storageIn?: string;
  /** Where to write LocalStorage and Cache as this launch leaves them. */
  storageOut?: string;
}

/** A clean environment: no NODE_OPTIONS or loader of the benchmark's own `tsx`; React in production mode. */
export function launchEnvironment(preferences: Record<string, unknown>, options: LaunchOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: os.homedir(),
    TMPDIR: os.tmpdir(),
    NODE_ENV: "production",
    BENCH_NOW: String(BENCH_NOW),
    BENCH_PREFERENCES: JSON.stringify(preferences),
    ...(options.profile ? { BENCH_CPU_PROFILE: options.profile } : {}),
    ...(options.storageIn ? { BENCH_STORAGE_IN: options.storageIn } : {}),
    ...(options.storageOut ? { BENCH_STORAGE_OUT: options.storageOut } : {}),
  };
}

function run(launcher: string, bundle: string, preferences: Record<string, unknown>, options: LaunchOptions) {
  const env = launchEnvironment(preferences, options);
  return new Promise<{ stdout: string; stderr: string; wallMs: number; code: number | null }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [launcher, bundle], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code, wallMs: performance.now() - started }));
  });
}

/** One cold launch; throws with the launcher's output when the command failed or never settled. */
export async function launchOnce(
  launcher: string,
  bundle: string,
  preferences: Record<string, unknown>,
  options: LaunchOptions = {},
) {
  const { stdout, stderr, code, wallMs } = await run(launcher, bundle, preferences, options);
  let report: LauncherReport = {};
  try {
    report = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
  } catch {
    // Reported below with the raw output.
  }
  const marks = report.marks;
  if (code !== 0 || !marks?.settled || !report.menu) {
    throw new Error(`launching ${bundle} failed (exit ${code}): ${report.error ?? (stdout + stderr).slice(-2000)}`);
  }
  return {
    launchMs: marks.settled - marks.runtimeReady,
    evaluateMs: marks.evaluated - marks.runtimeReady,
    cpuMs: report.cpuMs ?? Number.NaN,
    fromProcessStartMs: marks.settled,
    wallMs,
    menu: report.menu,
  } satisfies Launch;
}
