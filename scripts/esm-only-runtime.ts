/**
 * Lets scripts run with tsx (CommonJS) load execa: one of its dependencies (unicorn-magic) exports
 * only an `import` condition, which `require` cannot resolve. When that is the only reason a package
 * cannot be found, its `import` entry is used; tsx compiles it like any other module. The extension
 * itself needs none of this (its build bundles execa); jest does the same in jest.config.js.
 * Import this module before anything that imports execa.
 */
import { existsSync, readFileSync } from "node:fs";
import Module from "node:module";
import path from "node:path";

type Resolve = (request: string, parent?: { paths?: string[] }, ...rest: unknown[]) => string;
const moduleWithResolver = Module as unknown as { _resolveFilename: Resolve };
const resolve = moduleWithResolver._resolveFilename;

/** The `import` entry of package `request`, found from `searchPaths`, when its exports name nothing else. */
function importOnlyEntry(request: string, searchPaths: string[]): string | null {
  for (const dir of searchPaths) {
    const manifestPath = path.join(dir, request, "package.json");
    if (!existsSync(manifestPath)) continue;
    const exports = JSON.parse(readFileSync(manifestPath, "utf8")).exports;
    const conditions = exports?.node ?? exports;
    if (typeof conditions?.import !== "string" || "default" in conditions) return null;
    return path.join(dir, request, conditions.import);
  }
  return null;
}

moduleWithResolver._resolveFilename = function (request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (error) {
    const entry =
      (error as { code?: string }).code === "ERR_PACKAGE_PATH_NOT_EXPORTED"
        ? importOnlyEntry(request, parent?.paths ?? [])
        : null;
    if (!entry) throw error;
    return entry;
  }
};
