import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MAX_RATE_LIMITS_BYTES, rateLimitsPath, readClaudeTap } from "../../../../src/sources/claude/tap-file";

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
    expect(await readClaudeTap(claudeDir)).toEqual({ caps: null, problem: "The Claude status-line file is too large" });
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
