/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts?(x)"],
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json" }] },
  moduleNameMapper: {
    "^@raycast/api$": "<rootDir>/__tests__/support/raycast-api.tsx",
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts", "<rootDir>/__tests__/support/secret-guard.ts"],
  clearMocks: true,
};
