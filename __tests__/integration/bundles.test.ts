/**
 * Every command bundled the way `ray build` bundles it (scripts/bench/build.ts) must load on its own: in
 * Raycast the bundle runs with no node_modules beside it, and only Raycast's own modules (`@raycast/api`,
 * React) are provided. A dependency whose code a bundler cannot follow (a UMD wrapper that calls
 * `require("./impl/format")` through a parameter, say) passes every test of the sources and fails at the
 * first launch. Each bundle is loaded here in a fresh `node`, from a temp folder, with those two provided,
 * and must stay within its size budget.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { statSync } from "node:fs";
import { bundleLikeRaycast, REPO_ROOT } from "../../scripts/bench/build";
import { SIZE_TARGETS_KB } from "../../scripts/bench/report";
import { makeTempDir } from "../support/temp";

const run = promisify(execFile);
const COMMANDS = ["menu-bar", "billing", "refresh-billing"];

/**
 * Runs in the child: `@raycast/api` answers a stand-in that accepts any use, `react` comes from the repo,
 * every other module is found (or not) the way Raycast would find it. Prints the default export's type.
 */
const LOAD_BUNDLE = `
const Module = require("node:module");
const anything = new Proxy(function () {}, {
  get: (_target, key) => (key === Symbol.toPrimitive ? () => "" : key === "then" ? undefined : anything),
  apply: () => anything,
  construct: () => anything,
});
const standIn = new Module("@raycast/api");
Object.assign(standIn, { loaded: true, exports: anything });
Module._cache["@raycast/api"] = standIn;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (request === "@raycast/api") return "@raycast/api";
  const fromRepo = /^react(\\/|$)/.test(request) ? { paths: [process.env.REPO_ROOT] } : options;
  return resolve.call(this, request, parent, isMain, fromRepo);
};
process.stdout.write(typeof require(process.argv[1]).default);
`;

describe("the built bundles", () => {
  const outdir = makeTempDir("agent-limits-bundles-");

  it.each(COMMANDS)("%s loads with nothing but Node and what Raycast provides", async (name) => {
    const bundle = await bundleLikeRaycast(path.join(REPO_ROOT, "src", `${name}.tsx`), outdir, name);
    const { stdout } = await run(process.execPath, ["-e", LOAD_BUNDLE, bundle], {
      cwd: outdir,
      env: { PATH: process.env.PATH, REPO_ROOT, NODE_ENV: "production" },
      timeout: 30_000,
    });
    expect(stdout).toBe("function");
    // Raycast evaluates the whole bundle at every launch: its size is a budget (`npm run bench` reports it).
    expect(statSync(bundle).size / 1000).toBeLessThanOrEqual(SIZE_TARGETS_KB[`${name}.js`]);
  });
});
