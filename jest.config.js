const fs = require("node:fs");
const path = require("node:path");

/**
 * execa 9 and most of its dependencies ship ES modules only, which jest's CommonJS runtime cannot
 * `require`. Their names are read from the installed tree (every package under execa whose
 * package.json says `"type": "module"`), and ts-jest transpiles them to CommonJS like our own code.
 */
function esmOnlyPackages(name, found = new Set(), from = __dirname) {
  const dir = packageDir(name, from);
  if (!dir) return found;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  if (manifest.type === "module") found.add(manifest.name);
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    if (!found.has(dependency)) esmOnlyPackages(dependency, found, dir);
  }
  return found;
}

/** Where node would find package `name` from folder `from` (its `exports` may hide package.json). */
function packageDir(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === path.dirname(dir)) return null;
  }
}

/** jsonc-parser is imported through its ES module build (see src/tap/settings-file.ts). */
const ESM_ONLY = new Set([...esmOnlyPackages("execa"), "jsonc-parser"]);
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
  transformIgnorePatterns: [`/node_modules/(?!(${[...ESM_ONLY].map(escape).join("|")})/)`],
  resolver: "<rootDir>/__tests__/support/resolve-esm-only.js",
  moduleNameMapper: {
    "^@raycast/api$": "<rootDir>/__tests__/support/raycast-api.tsx",
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
