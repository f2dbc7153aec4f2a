/**
 * One cold launch, in a fresh `node` process: `node launch.cjs <bundle.js>` with the preferences as JSON in
 * `BENCH_PREFERENCES`. It loads what Raycast has loaded before any command runs (React, a host renderer, the
 * API), then requires the built bundle, renders its default export and waits until the menu's `isLoading` is
 * false, as Raycast does before it unloads a menu-bar command. It prints one JSON line of marks
 * (milliseconds since the process started), the CPU time the launch took and the menu it rendered.
 * With `BENCH_CPU_PROFILE=<file>` it also writes a CPU profile of the launch (require → settled) there.
 * `BENCH_STORAGE_IN=<file>` seeds LocalStorage and the Cache with what an earlier launch left (JSON, as
 * `BENCH_STORAGE_OUT=<file>` writes it after the menu settled).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import Module from "node:module";
import os from "node:os";
import path from "node:path";
import { createElement, type ComponentType } from "react";
import { mount, type HostNode } from "./host";
import { raycastApiStandIn, restoreStoredState, storedState, type StoredState } from "./raycast-api";

const SETTLE_TIMEOUT_MS = 10_000;

interface ModuleInternals {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
  _cache: Record<string, unknown>;
}

/** What Raycast's runtime provides to every bundle (they leave it external): this launcher's own React. */
const RUNTIME_MODULE = /^react(\/|$)/;

/**
 * Makes `require("@raycast/api")`, from any module, answer the stand-in, and `react` the runtime's copy
 * wherever the bundle lies (two copies of React would break the hooks).
 */
function installRuntime(exports: object) {
  const internals = Module as unknown as ModuleInternals;
  const id = path.join(__dirname, "@raycast-api-stand-in.js");
  const standIn = new Module(id);
  Object.assign(standIn, { filename: id, loaded: true, exports });
  internals._cache[id] = standIn;
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === "@raycast/api") return id;
    if (RUNTIME_MODULE.test(request)) return resolve.call(this, request, require.main, false);
    return resolve.call(this, request, ...rest);
  };
}

/** The clock the homes were built for (`BENCH_NOW`, epoch ms), so that every launch shows the same menu. */
function pinClock() {
  const now = Number(process.env.BENCH_NOW);
  if (!Number.isFinite(now)) return;
  const started = performance.now();
  Date.now = () => Math.round(now + performance.now() - started);
}

function titlesOf(nodes: HostNode[]): string[] {
  return nodes.flatMap((node) => [
    ...(typeof node.props.title === "string" ? [node.props.title] : []),
    ...titlesOf(node.children),
  ]);
}

/** Starts profiling when asked to; the returned function stops and writes the profile, then calls back. */
function startProfile(): (then: () => void) => void {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return (then) => then();
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 100 });
  session.post("Profiler.start");
  return (then) =>
    session.post("Profiler.stop", (_error, result) => {
      writeFileSync(file, JSON.stringify(result?.profile ?? {}));
      then();
    });
}

function restoreStorage() {
  const file = process.env.BENCH_STORAGE_IN;
  if (file) restoreStoredState(JSON.parse(readFileSync(file, "utf8")) as StoredState);
}

function finish(report: object, exitCode = 0) {
  const out = process.env.BENCH_STORAGE_OUT;
  if (out && exitCode === 0) writeFileSync(out, JSON.stringify(storedState()));
  process.stdout.write(JSON.stringify(report) + "\n", () => process.exit(exitCode));
}

function main() {
  const bundle = path.resolve(process.argv[2]);
  const preferences = JSON.parse(process.env.BENCH_PREFERENCES ?? "{}");
  installRuntime(raycastApiStandIn(preferences, os.tmpdir()));
  restoreStorage();
  pinClock();
  const stopProfile = startProfile();
  const cpuAtReady = process.cpuUsage();
  const marks: Record<string, number> = { runtimeReady: performance.now() };
  // The bundle is CommonJS, loaded as Raycast loads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const command = require(bundle).default as ComponentType;
  marks.evaluated = performance.now();
  const fail = (error: unknown) => finish({ marks, error: String((error as Error)?.stack ?? error) }, 1);
  const timer = setTimeout(
    () => fail(new Error(`isLoading still true after ${SETTLE_TIMEOUT_MS} ms`)),
    SETTLE_TIMEOUT_MS,
  );
  mount(
    createElement(command),
    (roots) => {
      marks.firstCommit ??= performance.now();
      if (roots.length === 0 || roots.some((root) => root.props.isLoading === true)) return;
      marks.settled = performance.now();
      const cpu = process.cpuUsage(cpuAtReady);
      clearTimeout(timer);
      const menu = titlesOf(roots);
      stopProfile(() => finish({ marks, cpuMs: (cpu.user + cpu.system) / 1000, menu }));
    },
    fail,
  );
}

try {
  main();
} catch (error) {
  finish({ error: String((error as Error)?.stack ?? error) }, 1);
}
