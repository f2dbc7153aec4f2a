/**
 * Codex session logs on hostile machines: real FIFOs and a writer racing the reader, sparse files, link loops,
 * skewed clocks, a BOM, and folders the user may not read (run as an unprivileged user). Every case asserts
 * what the menu would show and that it settled within a generous bound: nothing hangs.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { findRecentRollouts, MAX_FOLDERS_LISTED } from "../../../src/sources/codex/rollout-files";
import { readCodexCaps, type CodexCapsResult } from "../../../src/sources/codex/session-logs";
import {
  capsLine,
  DAY_MS,
  dayFolder,
  HOUR_MS,
  LOCAL_NOW,
  MINUTE_MS,
  shown,
  withinTime,
  writeSession,
} from "../../support/rollouts";
import { makeTempDir } from "../../support/temp";
import { openToOthers, readCapsAs, unprivileged } from "../../support/unprivileged";
import { stopProcessGroup } from "../../support/processes";

const SETTLES_MS = 2000;
let home: string;

beforeEach(() => {
  home = makeTempDir("agent-limits-hostile-codex-");
});

afterEach(() => jest.restoreAllMocks());

const read = (options: { now?: number } = {}) =>
  withinTime(SETTLES_MS, readCodexCaps(home, { now: LOCAL_NOW, ...options }));

/** Today's newest session reads 41 %, an older one of today 17 %, one of yesterday 9 %. */
async function threeSessions() {
  const yesterday = await writeSession(home, LOCAL_NOW - DAY_MS, { lines: [capsLine(LOCAL_NOW - DAY_MS, 9)] });
  const older = await writeSession(home, LOCAL_NOW - 3 * HOUR_MS, { lines: [capsLine(LOCAL_NOW - 3 * HOUR_MS, 17)] });
  const newest = await writeSession(home, LOCAL_NOW - HOUR_MS, { lines: [capsLine(LOCAL_NOW - HOUR_MS, 41)] });
  return { yesterday, older, newest };
}

describe("special files", () => {
  let writer: ChildProcess | undefined;

  afterEach(async () => {
    if (writer) await stopProcessGroup(writer);
    writer = undefined;
  });

  test("a writer swapping the newest log between a FIFO and a file: every read settles, none shows junk", async () => {
    const { newest } = await threeSessions();
    const copy = path.join(home, "newest-copy");
    await fs.copyFile(newest, copy);
    const swap = [
      'dir=$(dirname "$1")',
      "while :; do",
      '  rm -f "$dir/.fifo"; mkfifo "$dir/.fifo" && mv -f "$dir/.fifo" "$1"',
      '  cp "$2" "$dir/.file" && mv -f "$dir/.file" "$1"',
      "done",
    ].join("\n");
    writer = spawn("bash", ["-c", swap, "swap", newest, copy], { stdio: "ignore", detached: true });
    const seen = new Set<unknown>();
    for (let round = 0; round < 60; round++) {
      const { value } = await read();
      seen.add(shown(value));
    }
    expect([...seen].every((percent) => percent === 41 || percent === 17)).toBe(true);
  });

  test("FIFOs named like a year, a day and a compressed log are passed over without blocking", async () => {
    await threeSessions();
    execFileSync("mkfifo", [path.join(home, "sessions", String(new Date(LOCAL_NOW).getFullYear() - 1))]);
    const today = dayFolder(home, LOCAL_NOW);
    execFileSync("mkfifo", [path.join(path.dirname(today), "01")]);
    execFileSync("mkfifo", [path.join(today, "rollout-2026-11-28T14-59-00-fifo.jsonl.zst")]);
    const { value } = await read();
    expect(shown(value)).toBe(41);
  });

  test("a 20 GB sparse newest log without a newline: read back 8 MiB at most, then the older log", async () => {
    const { newest } = await threeSessions();
    // truncate(2) past the end makes a sparse file: 20 GB of zeros that take no disk.
    await fs.truncate(newest, 0);
    await fs.truncate(newest, 20 * 1024 ** 3);
    const { value, elapsedMs } = await read();
    expect(shown(value)).toBe(17);
    expect(elapsedMs).toBeLessThan(SETTLES_MS);
  });

  test("a 5 GB sparse log ending with a reading: found in the first tail", async () => {
    const { newest } = await threeSessions();
    await fs.truncate(newest, 5 * 1024 ** 3);
    await fs.appendFile(newest, `\n${capsLine(LOCAL_NOW - 30 * MINUTE_MS, 63)}\n`);
    const { value } = await read();
    expect(shown(value)).toBe(63);
  });

  test("a 1 GB sparse .zst log is not decoded", async () => {
    await writeSession(home, LOCAL_NOW - 3 * HOUR_MS, { lines: ["{}"] });
    const zst = path.join(dayFolder(home, LOCAL_NOW), "rollout-2026-11-28T14-00-00-sparse.jsonl.zst");
    await fs.writeFile(zst, "");
    await fs.truncate(zst, 1024 ** 3);
    const { value } = await read();
    expect(value).toMatchObject({ ok: false, reason: "no-rate-limits" });
  });
});

describe("links", () => {
  test("linked year, month and day folders and a linked file are followed", async () => {
    const elsewhere = makeTempDir("agent-limits-elsewhere-");
    const start = LOCAL_NOW - HOUR_MS;
    const real = await writeSession(elsewhere, start, { lines: [capsLine(start, 41)] });
    const [year, month, day] = path.relative(path.join(elsewhere, "sessions"), path.dirname(real)).split(path.sep);
    // sessions/YYYY → a folder holding MM → a folder holding DD → a folder holding a link to the log.
    const months = path.join(elsewhere, "months");
    const days = path.join(elsewhere, "days");
    const logs = path.join(elsewhere, "logs");
    await fs.mkdir(months);
    await fs.mkdir(days);
    await fs.mkdir(logs);
    await fs.symlink(real, path.join(logs, path.basename(real)));
    await fs.symlink(logs, path.join(days, day));
    await fs.symlink(days, path.join(months, month));
    await fs.mkdir(path.join(home, "sessions"));
    await fs.symlink(months, path.join(home, "sessions", year));
    const { value } = await read();
    expect(shown(value)).toBe(41);
    expect(value.ok && value.file).toBe(path.join(home, "sessions", year, month, day, path.basename(real)));
  });

  test("link loops, a self-referencing link and a dangling log cost only themselves", async () => {
    const { newest } = await threeSessions();
    const today = path.dirname(newest);
    const month = path.dirname(today);
    const sessions = path.join(home, "sessions");
    // A year that is the sessions folder again, a day that is its month, a day that is itself (ELOOP).
    await fs.symlink(sessions, path.join(sessions, "1999"));
    await fs.symlink(month, path.join(month, "02"));
    await fs.symlink("03", path.join(month, "03"));
    // A dangling link and a self-referencing link named like newer logs than any real one.
    await fs.symlink(path.join(home, "gone.jsonl"), path.join(today, "rollout-2026-11-28T14-58-00-gone.jsonl"));
    const loop = path.join(today, "rollout-2026-11-28T14-59-00-loop.jsonl");
    await fs.symlink(loop, loop);
    const readdir = jest.spyOn(fs, "readdir");
    const { value } = await read();
    expect(shown(value)).toBe(41);
    expect(readdir.mock.calls.length).toBeLessThanOrEqual(MAX_FOLDERS_LISTED);
  });

  test("a day folder linked to another: each log is read once, under its newest path", async () => {
    const { newest } = await threeSessions();
    const today = path.dirname(newest);
    const tomorrow = path.join(path.dirname(today), String(new Date(LOCAL_NOW).getDate() + 1).padStart(2, "0"));
    await fs.symlink(today, tomorrow);
    const { value: search } = await withinTime(SETTLES_MS, findRecentRollouts(path.join(home, "sessions"), LOCAL_NOW));
    const names = search.files.map((file) => file.name);
    expect(new Set(names).size).toBe(names.length);
    expect(search.files.find((file) => file.name === path.basename(newest))?.path).toContain(tomorrow);
  });
});

describe("skewed clocks", () => {
  const tenMonthsAhead = LOCAL_NOW + 300 * DAY_MS;

  test("a log written under a clock 10 months ahead does not beat today's, and the result says so", async () => {
    await threeSessions();
    const future = await writeSession(home, tenMonthsAhead, {
      lines: [capsLine(tenMonthsAhead, 99)],
      mtimeMs: tenMonthsAhead,
    });
    const { value } = await read();
    expect(shown(value)).toBe(41);
    expect(value.futureDated?.message).toMatch(/dated in the future/);
    // Its name alone is enough: the same log moved into today's folder is skipped as well.
    await fs.rename(future, path.join(dayFolder(home, LOCAL_NOW), path.basename(future)));
    expect(shown((await read()).value)).toBe(41);
  });

  test("a log named for today whose readings are 10 months ahead is skipped for today's older one", async () => {
    const { older, newest } = await threeSessions();
    await fs.writeFile(newest, `${capsLine(tenMonthsAhead, 99)}\n`);
    await fs.utimes(newest, tenMonthsAhead / 1000, tenMonthsAhead / 1000);
    const { value } = await read();
    expect(value.ok && value.file).toBe(older);
    expect(value.futureDated?.skipped).toBe(1);
  });

  test("40 empty future-dated day folders do not hide today's caps", async () => {
    await threeSessions();
    for (let day = 2; day < 42; day++) await fs.mkdir(dayFolder(home, LOCAL_NOW + day * DAY_MS), { recursive: true });
    const { value } = await read();
    expect(shown(value)).toBe(41);
  });

  test("only future-dated folders: the clock is blamed, not a missing Codex", async () => {
    for (let day = 2; day < 42; day++) await fs.mkdir(dayFolder(home, LOCAL_NOW + day * DAY_MS), { recursive: true });
    const { value } = await read();
    expect(value).toMatchObject({ ok: false, reason: "future-only", message: "Codex logs are dated in the future" });
    expect(value.futureDated?.skipped).toBeGreaterThan(0);
  });
});

test("a BOM and CRLF line ends (a log saved by a Windows editor) hide nothing", async () => {
  const text = `\ufeff${capsLine(LOCAL_NOW - HOUR_MS, 41)}\r\n{"type":"response_item"}\r\n`;
  await writeSession(home, LOCAL_NOW - HOUR_MS, { lines: [], bytes: Buffer.from(text) });
  expect(shown((await read()).value)).toBe(41);
});

const runner = unprivileged();
const describeUnprivileged = runner.available ? describe : describe.skip;
if (!runner.available) console.warn(`Codex permission cases skipped: ${runner.reason}`);

describeUnprivileged("folders and logs the user may not read (run as an unprivileged user)", () => {
  jest.setTimeout(120_000);

  // Give the owner its rights back, or removing the temp folder fails when the suite does not run as root.
  afterEach(() => execFileSync("chmod", ["-R", "u+rwX", home]));

  async function readAsUser(): Promise<CodexCapsResult> {
    if (!runner.available) throw new Error("unreachable");
    openToOthers(home);
    const { result, ms } = await readCapsAs(runner, home, LOCAL_NOW);
    expect(ms).toBeLessThan(SETTLES_MS);
    return result;
  }

  test("an unreadable today folder does not hide yesterday's caps", async () => {
    const { newest } = await threeSessions();
    await fs.chmod(path.dirname(newest), 0o000);
    expect(shown(await readAsUser())).toBe(9);
  });

  test("the only day folder unreadable: permission denied, said so", async () => {
    const file = await writeSession(home, LOCAL_NOW - HOUR_MS, { lines: [capsLine(LOCAL_NOW - HOUR_MS, 41)] });
    await fs.chmod(path.dirname(file), 0o000);
    expect(await readAsUser()).toMatchObject({
      ok: false,
      reason: "unreadable",
      message: "Can't read Codex sessions (permission denied)",
    });
  });

  test("an unreadable newest log falls back to the next; the only log unreadable says why", async () => {
    const { newest, older, yesterday } = await threeSessions();
    await fs.chmod(newest, 0o000);
    expect(shown(await readAsUser())).toBe(17);
    await fs.rm(older);
    await fs.rm(yesterday);
    expect(await readAsUser()).toMatchObject({ ok: false, reason: "unreadable" });
  });

  test("an unreadable sessions folder: permission denied", async () => {
    await threeSessions();
    await fs.chmod(path.join(home, "sessions"), 0o000);
    expect(await readAsUser()).toMatchObject({ ok: false, reason: "unreadable" });
  });
});
