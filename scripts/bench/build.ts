/**
 * Builds what the cold-launch benchmark launches: the extension with `ray build` (unless `dist` is newer than
 * every source), the baseline command with the same esbuild options `ray build -e dist` uses, and the launcher.
 * Generated files go to `node_modules/.cache/agent-limits-bench`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { build, type BuildOptions, type Plugin } from "esbuild";

export const REPO_ROOT = path.join(__dirname, "../..");
export const CACHE_DIR = path.join(REPO_ROOT, "node_modules/.cache/agent-limits-bench");

/** What Raycast's runtime provides to every command: `ray build` leaves these out of the bundle. */
const RAYCAST_EXTERNALS = ["@raycast/api", "react", "react-devtools-raycast", "@parcel/source-map"];

/**
 * What `ray build -e dist` (@raycast/api 1.104) passes to esbuild: read from its build command. Checked by
 * the benchmark, which builds `src/menu-bar.tsx` this way and compares the bytes with `dist/menu-bar.js`.
 */
const RAYCAST_DIST_OPTIONS: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node22.22.2",
  external: RAYCAST_EXTERNALS,
  jsxFactory: "_jsx",
  jsxFragment: "_jsxFragment",
  minifyWhitespace: true,
  minifyIdentifiers: true,
  minifySyntax: true,
  sourcemap: "external",
  loader: { ".wasm": "binary" },
  logLevel: "silent",
};

function newestMtime(target: string): number {
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

const BUILD_INPUTS = ["src", "assets", "package.json", "package-lock.json", "tsconfig.json"];

/** Runs `ray build -e dist -o dist` unless every `dist/*.js` is newer than the sources (or `force`). */
export function ensureDist(force: boolean): { rebuilt: boolean } {
  const dist = path.join(REPO_ROOT, "dist");
  const bundles = ["menu-bar.js", "billing.js", "refresh-billing.js"].map((name) => path.join(dist, name));
  const sources = Math.max(...BUILD_INPUTS.map((input) => newestMtime(path.join(REPO_ROOT, input))));
  const fresh = bundles.every((bundle) => existsSync(bundle) && statSync(bundle).mtimeMs > sources);
  if (fresh && !force) return { rebuilt: false };
  const ray = path.join(REPO_ROOT, "node_modules/.bin/ray");
  const result = spawnSync(ray, ["build", "-e", "dist", "-o", "dist"], { cwd: REPO_ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`ray build failed (exit ${result.status ?? result.signal})`);
  return { rebuilt: true };
}

/** Bundles one command like `ray build -e dist`, into `outdir/<name>.js`. */
export async function bundleLikeRaycast(entry: string, outdir: string, name: string): Promise<string> {
  await build({ ...RAYCAST_DIST_OPTIONS, entryPoints: { [name]: entry }, outdir });
  return path.join(outdir, `${name}.js`);
}

const LEDGER_MODULE = path.join(REPO_ROOT, "src/history/ledger.ts");

/**
 * The history ledger replaced by one that holds nothing: every load then records nothing and gets an empty
 * history, as the menu did before it kept one. For the benchmark's ledger case only, never for the product.
 */
const noLedger: Plugin = {
  name: "bench-no-ledger",
  setup(esbuild) {
    esbuild.onResolve({ filter: /\/history\/ledger$/ }, (args) =>
      path.resolve(args.resolveDir, args.path) + ".ts" === LEDGER_MODULE
        ? { path: LEDGER_MODULE, namespace: "bench-no-ledger" }
        : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: "bench-no-ledger" }, () => ({
      contents: "export const recordReadings = async () => ({ windows: [], balance: null });",
      loader: "ts",
    }));
  },
};

/** The menu-bar command like `ray build -e dist`, with the ledger stubbed out (`noLedger`). */
export async function bundleWithoutLedger(outdir: string): Promise<string> {
  await build({
    ...RAYCAST_DIST_OPTIONS,
    entryPoints: { "menu-bar": path.join(REPO_ROOT, "src/menu-bar.tsx") },
    outdir,
    plugins: [noLedger],
  });
  return path.join(outdir, "menu-bar.js");
}

/** The launcher runs in plain `node`: no TypeScript loader may slow the requires it times. */
export async function bundleLauncher(): Promise<string> {
  const outfile = path.join(CACHE_DIR, "launch.cjs");
  await build({
    entryPoints: [path.join(__dirname, "launcher/launch.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["react", "react-reconciler"],
    logLevel: "silent",
  });
  return outfile;
}
