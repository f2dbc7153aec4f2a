/** @type {import('jest').Config} */
const shared = {
  testEnvironment: "node",
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json" }] },
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
