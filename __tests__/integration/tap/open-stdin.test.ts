/**
 * Claude Code sometimes leaves the status line's stdin open after the JSON, or opens it and never writes
 * (anthropics/claude-code#59966, #67935; other status lines piled up hung processes). The tap must then go
 * on within about a second: save what it read, run the previous command with that input and an EOF.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { makeTempDir } from "../../support/temp";
import { input, TAP, TAP_BASH, TapSandbox } from "./tap-sandbox";

/** Read timeout 1 s, plus bash's start and the previous command, with room for a busy machine. */
const GOES_ON_WITHIN_MS = 3000;
/** bash 3.2 (macOS's /bin/bash) drops what a read had taken when its timeout fires; bash 4+ keeps it. */
const KEEPS_UNFINISHED_LINE = Number(execFileSync(TAP_BASH, ["-c", "echo ${BASH_VERSINFO[0]}"]).toString()) >= 4;

/** The tap as bash 3.2 and 4 run it (line by line), for a bash 5 to run too. */
function lineByLineTap(): string {
  const script = fs.readFileSync(TAP, "utf8");
  const forced = script.replace('if [ "${BASH_VERSINFO[0]}" -ge 5 ]; then', "if false; then");
  if (forced === script) throw new Error("the tap no longer picks its read by bash version");
  const file = path.join(makeTempDir("agent-limits-tap-line-read-"), "claude_statusline_tap.sh");
  fs.writeFileSync(file, forced);
  return file;
}

const READS: [string, () => string][] = [
  [`the read of this bash (${TAP_BASH})`, () => TAP],
  ["the line-by-line read of bash 3.2 and 4", lineByLineTap],
];

let sandbox: TapSandbox;
beforeEach(() => {
  sandbox = new TapSandbox();
});
afterEach(() => sandbox.cleanup());

const FIVE_HOUR = { used_percentage: 37, resets_at: 1791823260 };
const withoutFinalNewline = (text: Buffer) => Buffer.from(text.toString().replace(/\n+$/, ""));

describe.each(READS)("%s", (_label, tapScript) => {
  let script: string;
  beforeAll(() => {
    script = tapScript();
  });

  test("the JSON and a newline, then an open pipe: saved, and the previous command gets it with an EOF", async () => {
    sandbox.setPrevious("cat; echo '<eof>'");
    const stdin = Buffer.from(`${withoutFinalNewline(input("with-rate-limits.json"))}\n`);
    const result = await sandbox.tap(stdin, { keepStdinOpen: true, script });
    expect(result.ms).toBeLessThan(GOES_ON_WITHIN_MS);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe(`${stdin}<eof>\n`);
    expect(sandbox.saved()?.rate_limits).toMatchObject({ five_hour: FIVE_HOUR });
  });

  test("pretty-printed JSON over many lines, then an open pipe: the same bytes reach the previous command", async () => {
    sandbox.setPrevious("cat");
    const stdin = Buffer.from(`${withoutFinalNewline(input("pretty.json"))}\n`);
    const result = await sandbox.tap(stdin, { keepStdinOpen: true, script });
    expect(result.ms).toBeLessThan(GOES_ON_WITHIN_MS);
    expect(result.stdout.equals(stdin)).toBe(true);
    expect(sandbox.saved()).not.toBeNull();
  });

  test("the JSON with no newline, then an open pipe: the tap goes on (and saves it where bash keeps it)", async () => {
    sandbox.setPrevious("cat; echo '<eof>'");
    const stdin = withoutFinalNewline(input("with-rate-limits.json"));
    const result = await sandbox.tap(stdin, { keepStdinOpen: true, script });
    expect(result.ms).toBeLessThan(GOES_ON_WITHIN_MS);
    expect(result.code).toBe(0);
    if (KEEPS_UNFINISHED_LINE) {
      expect(result.stdout.toString()).toBe(`${stdin}<eof>\n`);
      expect(sandbox.saved()?.rate_limits).toMatchObject({ five_hour: FIVE_HOUR });
    } else {
      expect(result.stdout.toString()).toBe("<eof>\n");
      expect(sandbox.saved()).toBeNull();
    }
  });

  test("a pipe opened and never written: nothing saved, the previous command runs on an empty input", async () => {
    sandbox.setPrevious("cat; echo '<eof>'");
    const result = await sandbox.tap(Buffer.alloc(0), { keepStdinOpen: true, script });
    expect(result.ms).toBeLessThan(GOES_ON_WITHIN_MS);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe("<eof>\n");
    expect(sandbox.saved()).toBeNull();
  });

  test("a closed pipe is read to its end at once, with no second's wait", async () => {
    sandbox.setPrevious("cat");
    const stdin = withoutFinalNewline(input("with-rate-limits.json"));
    const result = await sandbox.tap(stdin, { script });
    expect(result.ms).toBeLessThan(900);
    expect(result.stdout.equals(stdin)).toBe(true);
  });
});
