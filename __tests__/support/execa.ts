/**
 * execa 9 is ESM-only and jest here runs CommonJS; tests of code that spawns probes
 * replace it per test. Calling it unmocked is a test bug.
 */
export const execa = jest.fn(() => {
  throw new Error("execa was called without a test double");
});
