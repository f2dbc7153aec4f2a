/**
 * Prints, as one JSON line, what `readCodexCaps` returns for a Codex home and how long the call took:
 *
 *   npx tsx --tsconfig tsconfig.test.json scripts/codex-caps.ts <codexHome> [--now <epoch ms>]
 *
 * The hostile-machine tests start it as an unprivileged user, to read folders that user may not list.
 */
import { performance } from "node:perf_hooks";
import { readCodexCaps } from "../src/sources/codex/session-logs";

async function main() {
  const [codexHome, flag, value] = process.argv.slice(2);
  if (!codexHome) throw new Error("usage: codex-caps.ts <codexHome> [--now <epoch ms>]");
  const now = flag === "--now" ? Number(value) : undefined;
  const started = performance.now();
  const result = await readCodexCaps(codexHome, now === undefined ? {} : { now });
  process.stdout.write(`${JSON.stringify({ result, ms: performance.now() - started })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
