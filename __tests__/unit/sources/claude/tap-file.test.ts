import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { MAX_RATE_LIMITS_BYTES, rateLimitsPath, readClaudeTap } from "../../../../src/sources/claude/tap-file";
import { formatWindowLine } from "../../../../src/view/format";
import { stopProcessGroup } from "../../../support/processes";

let claudeDir: string;
beforeEach(() => {
  claudeDir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-limits-claude-tap-"));
});
afterEach(() => fs.rmSync(claudeDir, { recursive: true, force: true }));

function writeTapFile(content: string | object): void {
  fs.mkdirSync(path.join(claudeDir, "agent-limits"), { recursive: true });
  const text = typeof content === "string" ? content : JSON.stringify(content);
  fs.writeFileSync(rateLimitsPath(claudeDir), text);
}

const GOOD = {
  captured_at: 1791800000,
  rate_limits: {
    five_hour: { used_percentage: 37.0, resets_at: 1791823260 },
    seven_day: { used_percentage: 61.5, resets_at: 1792141964 },
  },
};

describe("readClaudeTap", () => {
  test("maps the tap's file to a CapsSnapshot: 5h and weekly, seconds to ms", async () => {
    writeTapFile(GOOD);
    expect(await readClaudeTap(claudeDir)).toEqual({
      caps: {
        windows: [
          { id: "5h", label: "5h", usedPercent: 37, windowMinutes: 300, resetsAt: 1791823260000 },
          { id: "weekly", label: "Weekly", usedPercent: 61.5, windowMinutes: 10080, resetsAt: 1792141964000 },
        ],
        capturedAt: 1791800000000,
        origin: "claude-statusline",
      },
    });
  });

  test("a missing file is no problem: the tap is opt-in", async () => {
    expect(await readClaudeTap(claudeDir)).toEqual({ caps: null });
    expect(await readClaudeTap(path.join(claudeDir, "does-not-exist"))).toEqual({ caps: null });
  });

  test("clamps over 100 % to 100 and negative to 0", async () => {
    writeTapFile({
      captured_at: 1,
      rate_limits: { five_hour: { used_percentage: 105, resets_at: 2 }, seven_day: { used_percentage: -3 } },
    });
    const { caps, problem } = await readClaudeTap(claudeDir);
    expect(problem).toBeUndefined();
    expect(caps?.windows.map((window) => window.usedPercent)).toEqual([100, 0]);
  });

  test("only five_hour gives one window; a null, missing or negative reset gives resetsAt null", async () => {
    writeTapFile({ captured_at: 5, rate_limits: { five_hour: { used_percentage: 1, resets_at: null } } });
    expect((await readClaudeTap(claudeDir)).caps?.windows).toEqual([
      { id: "5h", label: "5h", usedPercent: 1, windowMinutes: 300, resetsAt: null },
    ]);
    writeTapFile({
      captured_at: 5,
      rate_limits: { five_hour: { used_percentage: 1, resets_at: -1 }, seven_day: { used_percentage: 2 } },
    });
    expect((await readClaudeTap(claudeDir)).caps?.windows.map((window) => window.resetsAt)).toEqual([null, null]);
  });

  test("keeps unknown extra keys out", async () => {
    writeTapFile({
      ...GOOD,
      extra: true,
      rate_limits: { ...GOOD.rate_limits, seven_day_opus: { used_percentage: 9 } },
    });
    expect((await readClaudeTap(claudeDir)).caps?.windows.map((window) => window.id)).toEqual(["5h", "weekly"]);
  });

  test.each([
    ["not JSON", "{captured_at: 1"],
    ["empty", ""],
    ["binary", "\u0000\u0001\u00ff"],
    ["an array", "[]"],
    ["no captured_at", JSON.stringify({ rate_limits: GOOD.rate_limits })],
    ["a string percentage", JSON.stringify({ captured_at: 1, rate_limits: { five_hour: { used_percentage: "37" } } })],
    ["no windows", JSON.stringify({ captured_at: 1, rate_limits: {} })],
    ["null rate_limits", JSON.stringify({ captured_at: 1, rate_limits: null })],
    ["a negative capture time", JSON.stringify({ ...GOOD, captured_at: -1 })],
  ])("garbage (%s) gives no caps and a short problem", async (_label, text) => {
    writeTapFile(text);
    const reading = await readClaudeTap(claudeDir);
    expect(reading.caps).toBeNull();
    expect(reading.problem).toMatch(/^The Claude status-line file /);
    expect(reading.problem!.length).toBeLessThan(80);
  });

  test("a file over 64 KiB is not read", async () => {
    writeTapFile(JSON.stringify(GOOD) + " ".repeat(MAX_RATE_LIMITS_BYTES));
    expect(await readClaudeTap(claudeDir)).toEqual({
      caps: null,
      problem: "The Claude status-line file is too large (over 64 KiB)",
    });
  });

  test("a folder in place of the file is a problem, not a throw", async () => {
    fs.mkdirSync(rateLimitsPath(claudeDir), { recursive: true });
    const reading = await readClaudeTap(claudeDir);
    expect(reading.caps).toBeNull();
    expect(reading.problem).toBe("The Claude status-line file is not a regular file");
  });

  test("a FIFO in place of the file neither hangs nor throws", async () => {
    fs.mkdirSync(path.join(claudeDir, "agent-limits"));
    execFileSync("mkfifo", [rateLimitsPath(claudeDir)]);
    const reading = await readClaudeTap(claudeDir);
    expect(reading.caps).toBeNull();
    expect(reading.problem).toBe("The Claude status-line file is not a regular file");
  });
});

describe("status-line rules (provider-formats §9.4)", () => {
  test("a reset time of 0 is unknown: a 95 % window stays 95 %, never 'reset · 0 % used'", async () => {
    writeTapFile({ captured_at: 1791800000, rate_limits: { five_hour: { used_percentage: 95, resets_at: 0 } } });
    const window = (await readClaudeTap(claudeDir)).caps!.windows[0];
    expect(window).toMatchObject({ usedPercent: 95, resetsAt: null });
    expect(formatWindowLine(window, 1791800000_000)).toBe("5h 95% · reset time unknown");
  });

  test("float noise is no usage: 14.000000000000002 is 14 and 99.99999999999999 is 100 (limit reached)", async () => {
    writeTapFile({
      captured_at: 1,
      rate_limits: {
        five_hour: { used_percentage: 14.000000000000002, resets_at: 2 },
        seven_day: { used_percentage: 99.99999999999999, resets_at: 2 },
      },
    });
    expect((await readClaudeTap(claudeDir)).caps?.windows.map((window) => window.usedPercent)).toEqual([14, 100]);
  });

  test("one unreadable window costs only itself, never 0 %", async () => {
    writeTapFile({
      captured_at: 1,
      rate_limits: { five_hour: { used_percentage: null, resets_at: 2 }, seven_day: { used_percentage: 61 } },
    });
    expect((await readClaudeTap(claudeDir)).caps?.windows).toEqual([
      { id: "weekly", label: "Weekly", usedPercent: 61, windowMinutes: 10080, resetsAt: null },
    ]);
  });
});

describe("when the tap last saw the same rate limits (rate-limits.seen)", () => {
  const seenFile = () => path.join(claudeDir, "agent-limits", "rate-limits.seen");

  function writeSeen(at: number): void {
    fs.writeFileSync(seenFile(), "x");
    fs.utimesSync(seenFile(), new Date(at), new Date(at));
  }

  test("a later sighting moves the capture time forward", async () => {
    const captured = Date.now() - 3600_000;
    writeTapFile({ ...GOOD, captured_at: Math.floor(captured / 1000) });
    const seen = Date.now() - 60_000;
    writeSeen(seen);
    const capturedAt = (await readClaudeTap(claudeDir)).caps!.capturedAt;
    expect(Math.abs(capturedAt - seen)).toBeLessThan(1000);
  });

  test.each([
    ["older than the capture", -3600_000],
    ["ahead of the clock", 3600_000],
  ])("a sighting %s is ignored", async (_label, offset) => {
    const captured = Math.floor((Date.now() - 60_000) / 1000);
    writeTapFile({ ...GOOD, captured_at: captured });
    writeSeen(Date.now() + offset);
    expect((await readClaudeTap(claudeDir)).caps?.capturedAt).toBe(captured * 1000);
  });

  test("a FIFO named rate-limits.seen is ignored, without waiting", async () => {
    writeTapFile(GOOD);
    execFileSync("mkfifo", [seenFile()]);
    expect((await readClaudeTap(claudeDir)).caps?.capturedAt).toBe(GOOD.captured_at * 1000);
  });
});

describe("hostile files where rate-limits.json should be: an answer within a bounded time", () => {
  const writers: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(writers.splice(0).map(stopProcessGroup));
  });

  const cases: [string, (file: string) => void, string][] = [
    ["a link to /dev/zero", (file) => fs.symlinkSync("/dev/zero", file), "is not a regular file"],
    [
      "an 8 GB sparse file",
      (file) => {
        fs.writeFileSync(file, "");
        fs.truncateSync(file, 8 * 1024 ** 3);
      },
      "is too large (over 64 KiB)",
    ],
    [
      "a FIFO that a writer keeps filling",
      (file) => {
        execFileSync("mkfifo", [file]);
        writers.push(
          spawn("/bin/sh", ["-c", 'exec cat /dev/zero > "$1"', "sh", file], { stdio: "ignore", detached: true }),
        );
      },
      "is not a regular file",
    ],
  ];

  test.each(cases)("%s", async (_label, make, problem) => {
    fs.mkdirSync(path.join(claudeDir, "agent-limits"));
    make(rateLimitsPath(claudeDir));
    const started = performance.now();
    const reading = await readClaudeTap(claudeDir);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(reading).toEqual({ caps: null, problem: `The Claude status-line file ${problem}` });
  });
});
