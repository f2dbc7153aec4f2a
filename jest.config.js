const fs = require("node:fs");
const path = require("node:path");

/**
 * execa 9 and most of its dependencies ship ES modules only, which jest's CommonJS runtime cannot
 * `require`. Their names are read from the installed tree (every package under execa whose
 * package.json says `"type": "module"`), and ts-jest transpiles them to CommonJS like our own code.
 */
function esmOnlyPackages(name, found = new Map(), from = __dirname) {
  const dir = packageDir(name, from);
  if (!dir) return found;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  if (manifest.type === "module") found.set(manifest.name, importOnlyEntry(dir, manifest.exports));
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    if (!found.has(dependency)) esmOnlyPackages(dependency, found, dir);
  }
  return found;
}

/** The file of a package whose `exports` name only an `import` condition, which jest's resolver skips. */
function importOnlyEntry(dir, exports) {
  const conditions = exports?.node ?? exports;
  if (typeof conditions !== "object" || conditions === null || "default" in conditions) return null;
  return typeof conditions.import === "string" ? path.join(dir, conditions.import) : null;
}

/** Where node would find package `name` from folder `from` (its `exports` may hide package.json). */
function packageDir(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === path.dirname(dir)) return null;
  }
}
const ESM_ONLY = esmOnlyPackages("execa");
const escape = (name) => name.replace(/[.+]/g, "\\$&");

/** @type {import('jest').Config} */
const shared = {
  testEnvironment: "node",
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json" }],
    "^.+\\.js$": [
      "ts-jest",
      { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022" }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${[...ESM_ONLY.keys()].map(escape).join("|")})/)`],
  moduleNameMapper: {
    "^@raycast/api$": "<rootDir>/__tests__/support/raycast-api.tsx",
    ...Object.fromEntries(
      [...ESM_ONLY].filter(([, entry]) => entry).map(([name, entry]) => [`^${escape(name)}$`, entry]),
    ),
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts", "<rootDir>/__tests__/support/secret-guard.ts"],
  clearMocks: true,
};

/**
 * Two projects, both run by `npm test`: fast unit tests (pure logic, rendering, temp files), and
 * integration tests that start processes (probes against a loopback server, the status-line tap,
 * hostile machines). `npx jest --selectProjects unit` runs the fast half alone.
 */
module.exports = {
  projects: [
    { ...shared, displayName: "unit", roots: ["<rootDir>/__tests__/unit"], testMatch: ["**/*.test.ts?(x)"] },
    {
      ...shared,
      displayName: "integration",
      roots: ["<rootDir>/__tests__/integration"],
      testMatch: ["**/*.test.ts?(x)"],
    },
  ],
};
