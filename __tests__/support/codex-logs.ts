/**
 * Shared by the Codex session-log tests: sample A of provider-formats §1.6 and what it must become, the
 * fixture homes under `fixtures/codex-sessions`, and small helpers to place rollouts and watch reads.
 */
import { promises as fsPromises } from "node:fs";
import path from "node:path";
import type { CapsSnapshot, CreditReading } from "../../src/model/types";
import type { CodexCapsResult } from "../../src/sources/codex/session-logs";
import { fixturePath } from "./paths";
import { makeTempDir } from "./temp";

/** The day folder of the fixture homes. */
export const DAY = path.join("sessions", "2026", "10", "12");

export const SAMPLE_A =
  '{"timestamp":"2026-10-12T13:58:02.417Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":184213,"cached_input_tokens":151040,"cache_write_input_tokens":0,"output_tokens":6231,"reasoning_output_tokens":2944,"total_tokens":190444},"last_token_usage":{"input_tokens":22817,"cached_input_tokens":21504,"cache_write_input_tokens":0,"output_tokens":412,"reasoning_output_tokens":128,"total_tokens":23229},"model_context_window":258400},"rate_limits":{"limit_id":"codex","limit_name":null,"primary":{"used_percent":37.0,"window_minutes":300,"resets_at":1791823260},"secondary":{"used_percent":61.0,"window_minutes":10080,"resets_at":1792141964},"credits":{"has_credits":true,"unlimited":false,"balance":"412.5"},"individual_limit":null,"spend_control_reached":null,"plan_type":"plus","rate_limit_reached_type":null}}}';
export const SAMPLE_E =
  '{"timestamp":"2026-10-12T11:04:55.902Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":null}}';
export const RESETS_5H = 1791823260000;
export const RESETS_WEEK = 1792141964000;
export const SAMPLE_A_AT = Date.parse("2026-10-12T13:58:02.417Z");

/** A balance the log carried, dated by its line. */
export function loggedCredits(
  balance: CreditReading["balance"],
  updatedAt: number,
  notUsableReason?: string,
): CreditReading {
  const reading: CreditReading = { balance, usable: !notUsableReason, updatedAt, origin: "codex-session-log" };
  return notUsableReason ? { ...reading, notUsableReason } : reading;
}

export const SAMPLE_A_CAPS: CapsSnapshot = {
  windows: [
    { id: "5h", label: "5h", usedPercent: 37, windowMinutes: 300, resetsAt: RESETS_5H },
    { id: "weekly", label: "Weekly", usedPercent: 61, windowMinutes: 10080, resetsAt: RESETS_WEEK },
  ],
  capturedAt: SAMPLE_A_AT,
  origin: "codex-session-log",
  planName: "plus",
  credits: loggedCredits({ kind: "codexCredits", credits: 412.5 }, SAMPLE_A_AT),
};

/** A fixture home of `fixtures/codex-sessions`. */
export function fixture(name: string): string {
  return fixturePath("codex-sessions", name);
}

/** A copy of a fixture home under `dir`, for cases that set mtimes (git does not keep them). */
export async function copyFixture(name: string, dir: string): Promise<string> {
  const home = path.join(dir, name);
  await fsPromises.cp(fixture(name), home, { recursive: true });
  return home;
}

export function expectOk(result: CodexCapsResult): { caps: CapsSnapshot; file: string } {
  if (!result.ok) throw new Error(`expected caps, got ${result.reason}: ${result.message}`);
  return result;
}

export function expectFailure(result: CodexCapsResult, reason: string) {
  if (result.ok) throw new Error(`expected ${reason}, got caps from ${result.file}`);
  expect(result.reason).toBe(reason);
  expect(result.message.length).toBeLessThan(60);
  expect(result.hint.length).toBeGreaterThan(0);
  return result;
}

export async function setMtime(file: string, iso: string): Promise<void> {
  const seconds = Date.parse(iso) / 1000;
  await fsPromises.utimes(file, seconds, seconds);
}

export async function filesIn(dir: string): Promise<string[]> {
  return (await fsPromises.readdir(dir)).sort().map((name) => path.join(dir, name));
}

export async function writeRollout(home: string, relativeDir: string, name: string, lines: string[], mtimeIso: string) {
  const dir = path.join(home, relativeDir);
  await fsPromises.mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await fsPromises.writeFile(file, lines.join("\n") + "\n");
  await setMtime(file, mtimeIso);
  return file;
}

/** Counts the reads through file handles, the only way the reader touches rollout content. */
export async function spyOnHandleReads(): Promise<{ calls: () => number; bytes: () => number }> {
  const probe = await fsPromises.open(__filename, "r");
  const prototype = Object.getPrototypeOf(probe);
  await probe.close();
  const spy = jest.spyOn(prototype, "read");
  const requested = (call: unknown[]) => (typeof call[2] === "number" ? call[2] : Infinity);
  return {
    calls: () => spy.mock.calls.length,
    bytes: () => spy.mock.calls.reduce((sum: number, call) => sum + requested(call), 0),
  };
}

export function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** After every fixture's dates (they end on 2026-10-12): a reading must not depend on today's date. */
export const AFTER_FIXTURES = Date.parse("2026-10-13T12:00:00Z");

/**
 * Pins the clock after the fixtures and gives each test its own empty temp folder (removed after the
 * file); returns the current test's folder.
 */
export function useCodexTestFolder(): () => string {
  let folder = "";
  beforeEach(() => {
    jest.spyOn(Date, "now").mockReturnValue(AFTER_FIXTURES);
    folder = makeTempDir("codex-sessions-");
  });
  afterEach(() => jest.restoreAllMocks());
  return () => folder;
}
