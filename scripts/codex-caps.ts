/**
 * Prints, as one JSON line, what `readCodexCaps` returns for a Codex home and how long that first call took in
 * this fresh process:
 *
 *   npx tsx --tsconfig tsconfig.test.json scripts/codex-caps.ts <codexHome> [--now <epoch ms>] [--impl <file>]
 *
 * `--impl` loads `readCodexCaps` from another checkout's `session-logs.ts` (the benchmark's "before" column).
 * The read benchmark starts it in fresh processes; the hostile-machine tests start it as an unprivileged user.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";

interface Arguments {
  codexHome: string;
  now?: number;
  impl: string;
}

function parseArguments(argv: string[]): Arguments {
  const [codexHome, ...rest] = argv;
  if (!codexHome) throw new Error("usage: codex-caps.ts <codexHome> [--now <epoch ms>] [--impl <session-logs.ts>]");
  const flag = (name: string) => {
    const index = rest.indexOf(name);
    return index === -1 ? undefined : rest[index + 1];
  };
  const now = flag("--now");
  const impl = flag("--impl") ?? path.join(__dirname, "../src/sources/codex/session-logs");
  return { codexHome, now: now === undefined ? undefined : Number(now), impl: path.resolve(impl) };
}

type Reader = (home: string, options?: { now?: number }) => Promise<unknown>;

async function main() {
  const args = parseArguments(process.argv.slice(2));
  const importStarted = performance.now();
  const { readCodexCaps } = (await import(args.impl)) as { readCodexCaps: Reader };
  const importMs = performance.now() - importStarted;
  const started = performance.now();
  const result = await readCodexCaps(args.codexHome, args.now === undefined ? {} : { now: args.now });
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms, importMs, result })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
