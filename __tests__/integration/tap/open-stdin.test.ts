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
const KEEPS_TIMED_OUT_READ = Number(execFileSync(TAP_BASH, ["-c", "echo ${BASH_VERSINFO[0]}"]).toString()) >= 4;

/** The tap as bash 3.2 and 4 run it (reads up to a NUL, with one alarm each), for a bash 5 to run too. */
function oldBashTap(): string {
  const script = fs.readFileSync(TAP, "utf8");
  const forced = script.replace('if [ "${BASH_VERSINFO[0]}" -ge 5 ]; then', "if false; then");
  if (forced === script) throw new Error("the tap no longer picks its read by bash version");
  const file = path.join(makeTempDir("agent-limits-tap-old-bash-read-"), "claude_statusline_tap.sh");
  fs.writeFileSync(file, forced);
  return file;
}

const READS: [string, () => string][] = [
  [`the read of this bash (${TAP_BASH})`, () => TAP],
  ["the read of bash 3.2 and 4", oldBashTap],
];

let sandbox: TapSandbox;
beforeEach(() => {
  sandbox = new TapSandbox();
});
afterEach(() => sandbox.cleanup());

const FIVE_HOUR = { used_percentage: 37, resets_at: 1791823260 };
const withoutFinalNewline = (text: Buffer) => Buffer.from(text.toString().replace(/\n+$/, ""));

/**
 * After a pipe left open: the tap went on in time, and passed on and saved what it read, which is
 * everything where bash keeps a timed-out read and nothing on bash 3.2.
 */
async function expectWentOn(stdin: Buffer, script: string, savesCaps: boolean) {
  sandbox.setPrevious("cat; echo '<eof>'");
  const result = await sandbox.tap(stdin, { keepStdinOpen: true, script });
  expect(result.ms).toBeLessThan(GOES_ON_WITHIN_MS);
  expect(result.code).toBe(0);
  const read = KEEPS_TIMED_OUT_READ ? stdin : Buffer.alloc(0);
  expect(result.stdout.toString()).toBe(`${read}<eof>\n`);
  expect(sandbox.saved() !== null).toBe(savesCaps && KEEPS_TIMED_OUT_READ);
}

describe.each(READS)("%s", (_label, tapScript) => {
  let script: string;
  beforeAll(() => {
    script = tapScript();
  });

  test("the JSON with no newline, then an open pipe (as Claude Code leaves it)", async () => {
    await expectWentOn(withoutFinalNewline(input("with-rate-limits.json")), script, true);
  });

  test("the JSON and a newline, then an open pipe", async () => {
    await expectWentOn(Buffer.from(`${withoutFinalNewline(input("with-rate-limits.json"))}\n`), script, true);
  });

  test("pretty-printed JSON over many lines, then an open pipe", async () => {
    await expectWentOn(input("pretty.json"), script, true);
  });

  test("a pipe opened and never written: nothing saved, the previous command runs on an empty input", async () => {
    await expectWentOn(Buffer.alloc(0), script, false);
  });

  test("a closed pipe is read to its end at once, with no second's wait, and its caps saved", async () => {
    sandbox.setPrevious("cat");
    const stdin = withoutFinalNewline(input("with-rate-limits.json"));
    const result = await sandbox.tap(stdin, { script });
    expect(result.ms).toBeLessThan(900);
    expect(result.stdout.equals(stdin)).toBe(true);
    expect(sandbox.saved()?.rate_limits).toMatchObject({ five_hour: FIVE_HOUR });
  });
});
