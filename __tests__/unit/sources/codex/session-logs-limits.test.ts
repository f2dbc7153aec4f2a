/**
 * readCodexCaps never throws, reads only tails, and costs the same whatever the history: errors on fixture
 * homes and temp homes, the tail window, and a synthetic home of months of folders.
 */
import { execFileSync } from "child_process";
import { promises as fsPromises } from "fs";
import path from "path";
import { buildCodexHome } from "../../../../scripts/bench-data";
import { readCodexCaps } from "../../../../src/sources/codex/session-logs";
import {
  copyFixture,
  DAY,
  errno,
  expectFailure,
  expectOk,
  filesIn,
  fixture,
  SAMPLE_A,
  SAMPLE_A_CAPS,
  SAMPLE_E,
  setMtime,
  spyOnHandleReads,
  writeRollout,
  useCodexTestFolder,
} from "../../../support/codex-logs";

const testFolder = useCodexTestFolder();

describe("readCodexCaps errors never throw", () => {
  test("no-home: the folder does not exist", async () => {
    const failure = expectFailure(await readCodexCaps(path.join(testFolder(), "missing")), "no-home");
    expect(failure.hint).toMatch(/Install Codex/);
    expect(failure.hint).toMatch(/Codex Home preference/);
  });

  test("home-not-folder: Codex Home points at a file", async () => {
    expectFailure(await readCodexCaps(path.join(fixture("no-sessions"), "config.toml")), "home-not-folder");
  });

  test("a sessions path that is a file is unreadable", async () => {
    await fsPromises.writeFile(path.join(testFolder(), "sessions"), "not a folder");
    expectFailure(await readCodexCaps(testFolder()), "unreadable");
  });

  test("a sessions path that is a FIFO is unreadable, without blocking", async () => {
    execFileSync("mkfifo", [path.join(testFolder(), "sessions")]);
    expectFailure(await readCodexCaps(testFolder()), "unreadable");
  });

  test("a FIFO named like the newest rollout is skipped, without blocking", async () => {
    await writeRollout(testFolder(), DAY, "rollout-2026-10-12T15-38-55-a.jsonl", [SAMPLE_A], "2026-10-12T13:58:03Z");
    execFileSync("mkfifo", [path.join(testFolder(), DAY, "rollout-2026-10-12T16-00-00-b.jsonl")]);
    expect(expectOk(await readCodexCaps(testFolder())).caps).toEqual(SAMPLE_A_CAPS);
  });

  test("EACCES while listing sessions gives unreadable with a short message", async () => {
    jest.spyOn(fsPromises, "readdir").mockRejectedValueOnce(errno("EACCES"));
    const failure = expectFailure(await readCodexCaps(fixture("current-plus")), "unreadable");
    expect(failure.message).toBe("Can't read Codex sessions (permission denied)");
  });

  test("EACCES on the home folder gives unreadable", async () => {
    jest.spyOn(fsPromises, "stat").mockRejectedValueOnce(errno("EACCES"));
    expectFailure(await readCodexCaps(fixture("current-plus")), "unreadable");
  });

  test("EACCES on the only rollout gives unreadable", async () => {
    jest.spyOn(fsPromises, "open").mockRejectedValueOnce(errno("EACCES"));
    expectFailure(await readCodexCaps(fixture("current-plus")), "unreadable");
  });

  test("EACCES on the newest rollout falls back to an older readable one", async () => {
    const home = await copyFixture("fallback-older-file", testFolder());
    const [withCaps, apiKeySession] = await filesIn(path.join(home, DAY));
    await setMtime(withCaps, "2026-10-12T13:58:03Z");
    await setMtime(apiKeySession, "2026-10-12T14:11:01Z");
    jest.spyOn(fsPromises, "open").mockRejectedValueOnce(errno("EACCES"));
    expect(expectOk(await readCodexCaps(home)).file).toBe(withCaps);
  });

  test("an unexpected error is reported, not thrown", async () => {
    jest.spyOn(fsPromises, "stat").mockRejectedValueOnce(new Error("boom"));
    const failure = expectFailure(await readCodexCaps(fixture("current-plus")), "unreadable");
    expect(failure.message).toBe("Can't read Codex sessions (unknown error)");
  });

  test("a corrupt .zst fallback is skipped as having no rate limits", async () => {
    const dir = path.join(testFolder(), DAY);
    await fsPromises.mkdir(dir, { recursive: true });
    await fsPromises.writeFile(path.join(dir, "rollout-2026-10-12T15-38-55-a.jsonl.zst"), "not zstd at all");
    expectFailure(await readCodexCaps(testFolder()), "no-rate-limits");
  });

  test("a .zst file of 8 MiB or more is not read at all", async () => {
    const dir = path.join(testFolder(), DAY);
    await fsPromises.mkdir(dir, { recursive: true });
    const small = path.join(fixture("zst-only"), DAY);
    const [compressed] = await filesIn(small);
    const target = path.join(dir, path.basename(compressed));
    await fsPromises.copyFile(compressed, target);
    await fsPromises.truncate(target, 8 * 1024 * 1024);
    const reads = await spyOnHandleReads();
    const readFile = jest.spyOn(fsPromises, "readFile");
    expectFailure(await readCodexCaps(testFolder()), "no-rate-limits");
    expect(reads.calls()).toBe(0);
    expect(readFile).not.toHaveBeenCalled();
  });

  test("at most eight plain files are tried before giving up", async () => {
    await writeRollout(testFolder(), DAY, "rollout-2026-10-12T08-00-00-old.jsonl", [SAMPLE_A], "2026-10-12T08:00:00Z");
    for (let index = 1; index <= 8; index++) {
      const name = `rollout-2026-10-12T1${index}-00-00-exec.jsonl`;
      await writeRollout(testFolder(), DAY, name, [SAMPLE_E], `2026-10-12T1${index}:00:00Z`);
    }
    expectFailure(await readCodexCaps(testFolder()), "no-rate-limits");
    await fsPromises.rm(path.join(testFolder(), DAY, "rollout-2026-10-12T11-00-00-exec.jsonl"));
    expect(expectOk(await readCodexCaps(testFolder())).caps).toEqual(SAMPLE_A_CAPS);
  });
});

describe("only the tail is read", () => {
  test("a first line over 1 MiB (session_meta) does not matter", async () => {
    const meta = JSON.stringify({
      timestamp: "2026-10-12T13:38:55.120Z",
      type: "session_meta",
      payload: { id: "x", instructions: "You are Codex. ".repeat(80_000) },
    });
    expect(meta.length).toBeGreaterThan(1024 * 1024);
    await writeRollout(
      testFolder(),
      DAY,
      "rollout-2026-10-12T15-38-55-a.jsonl",
      [meta, SAMPLE_A],
      "2026-10-12T14:00:00Z",
    );
    const reads = await spyOnHandleReads();
    expect(expectOk(await readCodexCaps(testFolder())).caps).toEqual(SAMPLE_A_CAPS);
    expect(reads.calls()).toBe(1);
    expect(reads.bytes()).toBeLessThanOrEqual(256 * 1024);
  });

  test("a 5 MB file whose first 4.9 MB is garbage parses fast and reads at most tailBytes", async () => {
    const garbage = ("x".repeat(1023) + "\n").repeat(4.9 * 1024);
    const filler = Array.from({ length: 60 }, (_, index) => `{"type":"response_item","payload":{"n":${index}}}`);
    const file = await writeRollout(
      testFolder(),
      DAY,
      "rollout-2026-10-12T15-38-55-a.jsonl",
      [garbage + SAMPLE_A, ...filler],
      "2026-10-12T14:00:00Z",
    );
    expect((await fsPromises.stat(file)).size).toBeGreaterThan(5_000_000);
    const reads = await spyOnHandleReads();
    const readFile = jest.spyOn(fsPromises, "readFile");
    const result = await readCodexCaps(testFolder(), { tailBytes: 64 * 1024 });
    expect(expectOk(result).caps).toEqual(SAMPLE_A_CAPS);
    expect(reads.calls()).toBe(1);
    expect(reads.bytes()).toBeLessThanOrEqual(64 * 1024);
    expect(readFile).not.toHaveBeenCalled();
  });

  test("the partial first line of the tail window is dropped", async () => {
    const limitReached = SAMPLE_A.replace('"used_percent":37.0', '"used_percent":100.0').replace(
      "13:58:02",
      "14:01:12",
    );
    const lines = [SAMPLE_A, `junk-before-json ${limitReached}`];
    await writeRollout(testFolder(), DAY, "rollout-2026-10-12T15-38-55-a.jsonl", lines, "2026-10-12T14:00:00Z");
    // The window starts right where a valid object begins, but mid-line: that fragment must not be parsed.
    const window = limitReached.length + 1;
    expectFailure(await readCodexCaps(testFolder(), { tailBytes: window, maxTailBytes: window }), "no-rate-limits");
    // Reading back reaches the start of that line (junk) and the older whole line.
    expect(expectOk(await readCodexCaps(testFolder(), { tailBytes: window })).caps).toEqual(SAMPLE_A_CAPS);
  });
  test("a nonsensical tailBytes falls back to the default", async () => {
    for (const tailBytes of [0, -5, Number.NaN, 1.5]) {
      expect(expectOk(await readCodexCaps(fixture("current-plus"), { tailBytes })).caps).toEqual(SAMPLE_A_CAPS);
    }
  });
});

describe("cost does not grow with history", () => {
  test("a synthetic home with months of folders: few listings, few stats, sample A", async () => {
    await buildCodexHome(testFolder(), 1000, 1000 * 2048);
    const readdir = jest.spyOn(fsPromises, "readdir");
    const stat = jest.spyOn(fsPromises, "stat");
    const reads = await spyOnHandleReads();
    const result = expectOk(await readCodexCaps(testFolder()));
    expect(result.caps).toEqual(SAMPLE_A_CAPS);
    expect(result.file).toContain(path.join("sessions", "2026", "10", "12"));
    // sessions, one year, one month, three days (+ a month or year boundary at most).
    expect(readdir.mock.calls.length).toBeLessThanOrEqual(10);
    // home, sessions, and the eight newest names of three day folders (nine sessions a day here): not 1,000.
    expect(stat.mock.calls.length).toBeLessThanOrEqual(2 + 3 * 8);
    expect(reads.bytes()).toBeLessThanOrEqual(256 * 1024);
  });
});
