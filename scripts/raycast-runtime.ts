/**
 * Lets scripts outside Raycast load the extension's real components: `@raycast/api` resolves
 * to the same stand-in the tests use. Import this module before any component.
 */
import "./esm-only-runtime";
import Module from "node:module";
import path from "node:path";

const standIn = path.join(__dirname, "../__tests__/support/raycast-api.tsx");
type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolver = Module as unknown as { _resolveFilename: Resolve };
const resolve = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = function (request: string, ...rest: unknown[]) {
  return resolve.call(this, request === "@raycast/api" ? standIn : request, ...rest);
};
