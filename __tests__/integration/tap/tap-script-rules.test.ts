/**
 * The status-line rules of provider-formats §9.4 and the tap's cost rules, on the real script: real
 * published inputs, no new sample without `rate_limits`, unknown reset times, bytes that are not UTF-8,
 * no rewrite (and no process) when nothing changed, the caller's locale kept for the previous command.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { readClaudeTap } from "../../../src/sources/claude/tap-file";
import { input, TAP, TAP_BASH, TapSandbox } from "./tap-sandbox";

let sandbox: TapSandbox;
beforeEach(() => {
  sandbox = new TapSandbox();
});
afterEach(() => sandbox.cleanup());

const REAL_WITH_RATE_LIMITS = "v2.1.260-rate-limits-int-prompt-cache-gensokyo.json";
const REAL_WITHOUT_RATE_LIMITS = "v2.1.181-no-rate-limits-claude-presence.json";
const REAL_FRAGMENT = "v2.1.80-rate-limits-fragment-issue-37227.json";

function statusLine(rateLimits: unknown): Buffer {
  return Buffer.from(JSON.stringify({ model: { display_name: "Opus 4.8" }, rate_limits: rateLimits }));
}

describe("real status-line inputs published by others", () => {
  test("Claude Code 2.1.260 (integer percentages, many newer keys): both windows saved as sent", async () => {
    const result = await sandbox.tap(input(REAL_WITH_RATE_LIMITS));
    expect(result.code).toBe(0);
    expect(result.stdout.length + result.stderr.length).toBe(0);
    expect(sandbox.saved()?.rate_limits).toEqual({
      five_hour: { used_percentage: 36, resets_at: 1788543000 },
      seven_day: { used_percentage: 49, resets_at: 1788595200 },
    });
  });

  test("the first published rate_limits shape (2.1.80, issue 37227) is read", async () => {
    const fragment = JSON.parse(input(REAL_FRAGMENT).toString("utf8"));
    await sandbox.tap(statusLine(fragment));
    expect(sandbox.saved()?.rate_limits).toEqual(fragment);
  });

  test("2.1.181 without rate_limits is no new sample: an earlier file stays as it was", async () => {
    await sandbox.tap(input(REAL_WITH_RATE_LIMITS));
    const earlier = fs.readFileSync(sandbox.rateLimitsFile());
    const result = await sandbox.tap(input(REAL_WITHOUT_RATE_LIMITS));
    expect(result.code).toBe(0);
    expect(fs.readFileSync(sandbox.rateLimitsFile()).equals(earlier)).toBe(true);
  });

  test("without rate_limits and without an earlier file, nothing is written (never 0 %)", async () => {
    await sandbox.tap(input(REAL_WITHOUT_RATE_LIMITS));
    expect(sandbox.dataFiles()).toEqual([]);
  });
});

describe("values", () => {
  test.each([
    ["0", 0],
    ["0.0", "0.0"],
    ["-0", "-0"],
    ["a negative time", -5],
    ["0e5", "0e5"],
  ])("a resets_at of %s is written as null (unknown), the percentage kept", async (_label, resetsAt) => {
    const json = `{"rate_limits":{"five_hour":{"used_percentage":95,"resets_at":${resetsAt}}}}`;
    await sandbox.tap(Buffer.from(json));
    expect(sandbox.saved()?.rate_limits).toEqual({ five_hour: { used_percentage: 95, resets_at: null } });
  });

  test("a null percentage is no sample: nothing is written", async () => {
    await sandbox.tap(statusLine({ five_hour: { used_percentage: null, resets_at: 1788543000 } }));
    expect(sandbox.saved()).toBeNull();
  });

  test("a window that is null is left out, the other one kept", async () => {
    await sandbox.tap(statusLine({ five_hour: null, seven_day: { used_percentage: 12, resets_at: 1788595200 } }));
    expect(sandbox.saved()?.rate_limits).toEqual({ seven_day: { used_percentage: 12, resets_at: 1788595200 } });
  });

  test("float noise and over-100 values are saved as sent and read as 14 % and 100 %", async () => {
    const json =
      '{"rate_limits":{"five_hour":{"used_percentage":14.000000000000002,"resets_at":4102444800},' +
      '"seven_day":{"used_percentage":105,"resets_at":4102444800}}}';
    await sandbox.tap(Buffer.from(json));
    expect(fs.readFileSync(sandbox.rateLimitsFile(), "utf8")).toContain('"used_percentage":14.000000000000002');
    const reading = await readClaudeTap(sandbox.claudeDir);
    expect(reading.caps?.windows.map((window) => window.usedPercent)).toEqual([14, 100]);
  });

  test('a "rate_limits" inside a string before the real key is not taken for it', async () => {
    const json =
      '{"session_name":"x \\"rate_limits\\": {\\"five_hour\\": {\\"used_percentage\\": 1}}",' +
      '"rate_limits":{"five_hour":{"used_percentage":37,"resets_at":1788543000}}}';
    await sandbox.tap(Buffer.from(json));
    expect(sandbox.saved()?.rate_limits).toEqual({ five_hour: { used_percentage: 37, resets_at: 1788543000 } });
  });
});

describe("bytes that are not UTF-8, in a UTF-8 locale", () => {
  const utf8 = () => sandbox.env({ LC_ALL: "C.UTF-8", LANG: "C.UTF-8" });

  test.each([
    ["before rate_limits", '{"cwd":"/Users/al\xffx","rate_limits":{"five_hour":{"used_percentage":5,"resets_at":9}}}'],
    ["inside rate_limits", '{"rate_limits":{"note":"caf\xe9","five_hour":{"used_percentage":5,"resets_at":9}}}'],
  ])("an invalid byte %s does not stop the match (byte-based regexes)", async (_label, text) => {
    const result = await sandbox.tap(Buffer.from(text, "latin1"), { env: utf8() });
    expect(result.code).toBe(0);
    expect(result.stderr.toString()).toBe("");
    expect(sandbox.saved()?.rate_limits).toEqual({ five_hour: { used_percentage: 5, resets_at: 9 } });
  });

  test("the previous command sees the caller's locale, set or unset, not the tap's C", async () => {
    sandbox.setPrevious('printf "%s|%s" "${LC_ALL-unset}" "${LANG-unset}"');
    const set = await sandbox.tap(input("with-rate-limits.json"), { env: utf8() });
    expect(set.stdout.toString()).toBe("C.UTF-8|C.UTF-8");
    const unset = await sandbox.tap(input("with-rate-limits.json"), { env: sandbox.env({ LC_ALL: undefined }) });
    expect(unset.stdout.toString()).toBe("unset|unset");
  });
});

describe("nothing changed: no rewrite", () => {
  test("the same rate limits again keep the file (same inode and capture time) and mark them as seen", async () => {
    await sandbox.tap(input(REAL_WITH_RATE_LIMITS));
    const file = sandbox.rateLimitsFile();
    const seen = path.join(sandbox.dataDir, "rate-limits.seen");
    const before = { inode: fs.statSync(file).ino, text: fs.readFileSync(file, "utf8") };
    const longAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(seen, longAgo, longAgo);
    await sandbox.tap(input(REAL_WITH_RATE_LIMITS));
    expect(fs.statSync(file).ino).toBe(before.inode);
    expect(fs.readFileSync(file, "utf8")).toBe(before.text);
    expect(fs.statSync(seen).mtimeMs).toBeGreaterThan(longAgo.getTime() + 60_000);
    expect(sandbox.dataFiles()).toEqual(["rate-limits.json", "rate-limits.seen"]);
  });

  test("a file from before the seen marker is rewritten once, with the marker, then left alone", async () => {
    await sandbox.tap(input(REAL_WITH_RATE_LIMITS));
    fs.rmSync(path.join(sandbox.dataDir, "rate-limits.seen"));
    const firstInode = fs.statSync(sandbox.rateLimitsFile()).ino;
    await sandbox.tap(input(REAL_WITH_RATE_LIMITS));
    const secondInode = fs.statSync(sandbox.rateLimitsFile()).ino;
    expect(secondInode).not.toBe(firstInode);
    expect(sandbox.dataFiles()).toEqual(["rate-limits.json", "rate-limits.seen"]);
    await sandbox.tap(input(REAL_WITH_RATE_LIMITS));
    expect(fs.statSync(sandbox.rateLimitsFile()).ino).toBe(secondInode);
  });

  test("a changed percentage is written", async () => {
    await sandbox.tap(statusLine({ five_hour: { used_percentage: 36, resets_at: 1788543000 } }));
    await sandbox.tap(statusLine({ five_hour: { used_percentage: 37, resets_at: 1788543000 } }));
    expect(sandbox.saved()?.rate_limits).toEqual({ five_hour: { used_percentage: 37, resets_at: 1788543000 } });
  });
});

/**
 * The processes a tap run starts, from strace: every clone and execve, one line each. With a seccomp
 * filter only those calls stop the tap: tracing every call would slow its timed read of stdin past its
 * timeout on a busy machine.
 */
function processEvents(claudeDir: string, stdin: Buffer): string[] {
  const log = path.join(sandbox.root, "strace.log");
  const trace = ["--seccomp-bpf", "-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", log];
  const result = spawnSync("strace", [...trace, TAP_BASH, TAP, claudeDir], {
    input: stdin,
    env: sandbox.env(),
    cwd: sandbox.root,
  });
  expect(result.error).toBeUndefined();
  return fs
    .readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => /\b(execve|clone3?|v?fork)\(/.test(line));
}

describe("processes (strace)", () => {
  test("the usual run, rate limits unchanged and no previous status line, starts no process at all", () => {
    const stdin = input(REAL_WITH_RATE_LIMITS);
    processEvents(sandbox.claudeDir, stdin);
    const events = processEvents(sandbox.claudeDir, stdin);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/execve\(/);
  });

  test("with a previous command: one fork feeds its stdin, and the tap process itself becomes /bin/sh", () => {
    sandbox.setPrevious("cat >/dev/null");
    const stdin = input(REAL_WITH_RATE_LIMITS);
    processEvents(sandbox.claudeDir, stdin);
    const events = processEvents(sandbox.claudeDir, stdin);
    const tapPid = events[0].split(" ")[0];
    const shell = events.find((line) => line.includes('execve("/bin/sh"'));
    expect(shell?.split(" ")[0]).toBe(tapPid);
    const forksBeforeShell = events.slice(0, events.indexOf(shell!)).filter((line) => !line.includes("execve("));
    expect(forksBeforeShell).toHaveLength(1);
  });
});
