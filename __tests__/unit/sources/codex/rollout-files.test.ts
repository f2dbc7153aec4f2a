import { promises as fsPromises } from "fs";
import path from "path";
import { findRecentRollouts, MAX_FOLDERS_LISTED, orderCandidates } from "../../../../src/sources/codex/rollout-files";
import { readCodexCaps } from "../../../../src/sources/codex/session-logs";
import {
  capsLine,
  DAY_MS,
  dayFolder,
  dayParts,
  HOUR_MS,
  LOCAL_NOW,
  MINUTE_MS,
  shown,
  writeSession,
} from "../../../support/rollouts";
import { makeTempDir } from "../../../support/temp";

let home: string;

beforeEach(() => {
  home = makeTempDir("agent-limits-rollouts-");
});

afterEach(() => jest.restoreAllMocks());

const sessions = (dir: string) => path.join(dir, "sessions");

/** `count` sessions of today, an hour apart going back, the newest first; each reads its index as percent. */
async function writeDay(count: number, newestStart = LOCAL_NOW - HOUR_MS, spacingMs = MINUTE_MS): Promise<string[]> {
  const files: string[] = [];
  for (let index = 0; index < count; index++) {
    const start = newestStart - index * spacingMs;
    files.push(await writeSession(home, start, { lines: [capsLine(start + 30_000, index)] }));
  }
  return files;
}

describe("the newest file is picked by name, and only a few are stat'ed", () => {
  test("a day of 300 sessions: the newest name wins after 8 stats", async () => {
    await writeDay(300);
    const stat = jest.spyOn(fsPromises, "stat");
    const result = await readCodexCaps(home, { now: LOCAL_NOW });
    expect(shown(result)).toBe(0);
    // The home, its sessions folder, then the 8 newest names: not 300.
    expect(stat.mock.calls.length).toBe(2 + 8);
  });

  test("a resumed session among the newest few wins by mtime", async () => {
    const files = await writeDay(6);
    // The fourth newest session was resumed: Codex appended a newer reading to its old file.
    await fsPromises.appendFile(files[3], capsLine(LOCAL_NOW - 5 * MINUTE_MS, 73) + "\n");
    await fsPromises.utimes(files[3], (LOCAL_NOW - 5 * MINUTE_MS) / 1000, (LOCAL_NOW - 5 * MINUTE_MS) / 1000);
    const result = await readCodexCaps(home, { now: LOCAL_NOW });
    expect(shown(result)).toBe(73);
    expect(result.ok && result.file).toBe(files[3]);
  });

  test("a resumed session older than the newest eight of its day is not seen (the bound)", async () => {
    const files = await writeDay(12);
    await fsPromises.appendFile(files[11], capsLine(LOCAL_NOW - 5 * MINUTE_MS, 73) + "\n");
    await fsPromises.utimes(files[11], (LOCAL_NOW - 5 * MINUTE_MS) / 1000, (LOCAL_NOW - 5 * MINUTE_MS) / 1000);
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(0);
  });

  test("a session started late yesterday and still running beats today's older ones", async () => {
    const lateYesterday = LOCAL_NOW - 16 * HOUR_MS - 30 * MINUTE_MS;
    const running = await writeSession(home, lateYesterday, {
      lines: [capsLine(LOCAL_NOW - 2 * MINUTE_MS, 61)],
      mtimeMs: LOCAL_NOW - 2 * MINUTE_MS,
    });
    await writeDay(10, LOCAL_NOW - 2 * HOUR_MS);
    const result = await readCodexCaps(home, { now: LOCAL_NOW });
    expect(result.ok && result.file).toBe(running);
  });

  test("a future mtime (a skewed touch) does not make an old session the newest", async () => {
    const [newest, older] = await writeDay(2);
    const tenMonthsAhead = (LOCAL_NOW + 300 * DAY_MS) / 1000;
    await fsPromises.utimes(older, tenMonthsAhead, tenMonthsAhead);
    const result = await readCodexCaps(home, { now: LOCAL_NOW });
    expect(result.ok && result.file).toBe(newest);
  });

  test("a plain file and its .zst twin are one candidate, and the plain one is read", async () => {
    const [newest] = await writeDay(1);
    await fsPromises.copyFile(newest, `${newest}.zst`);
    const search = await findRecentRollouts(sessions(home), LOCAL_NOW);
    expect(search.files.map((file) => file.name)).toEqual([path.basename(newest), `${path.basename(newest)}.zst`]);
    expect(orderCandidates(search.files).zst).toEqual([]);
  });

  test.each(["in name order", "in reverse name order", "shuffled"])(
    "a day folder listed %s gives the same candidates in the same order",
    async (order) => {
      const files = await writeDay(12);
      await fsPromises.copyFile(files[2], `${files[2]}.zst`);
      // The eight newest names, newest first, the plain file before its .zst twin.
      const expected = files
        .slice(0, 8)
        .flatMap((file) => (file === files[2] ? [file, `${file}.zst`] : [file]))
        .map((file) => path.basename(file));
      const dayDir = path.dirname(files[0]);
      const realReaddir = fsPromises.readdir.bind(fsPromises) as (dir: string, options?: unknown) => Promise<unknown>;
      const reorder = (names: string[]) => {
        const sorted = [...names].sort();
        if (order === "in name order") return sorted;
        if (order === "in reverse name order") return sorted.reverse();
        return sorted.map((_, index) => sorted[(index * 7) % sorted.length]);
      };
      jest.spyOn(fsPromises, "readdir").mockImplementation((async (dir: string, options?: unknown) => {
        const listed = await realReaddir(dir, options);
        return dir === dayDir && options === undefined ? reorder(listed as string[]) : listed;
      }) as never);
      const search = await findRecentRollouts(sessions(home), LOCAL_NOW);
      expect(search.files.map((file) => file.name)).toEqual(expected);
      expect(expected).toHaveLength(9);
    },
  );
});

describe("every folder listed counts against the bound", () => {
  test("2,000 empty month folders older than the data: at most the bound is listed", async () => {
    await writeDay(1);
    for (let year = 1900; year < 2026; year++) {
      for (let month = 1; month <= 12; month++) {
        await fsPromises.mkdir(path.join(sessions(home), String(year), String(month).padStart(2, "0")), {
          recursive: true,
        });
      }
    }
    const readdir = jest.spyOn(fsPromises, "readdir");
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(0);
    expect(readdir.mock.calls.length).toBe(MAX_FOLDERS_LISTED);
  });

  test("empty day folders between the data and today: the bound runs out, and the hint says so", async () => {
    await writeSession(home, LOCAL_NOW - 120 * DAY_MS, { lines: [capsLine(LOCAL_NOW - 120 * DAY_MS, 9)] });
    for (let day = 0; day < 100; day++) {
      await fsPromises.mkdir(dayFolder(home, LOCAL_NOW - day * DAY_MS), { recursive: true });
    }
    const readdir = jest.spyOn(fsPromises, "readdir");
    const result = await readCodexCaps(home, { now: LOCAL_NOW });
    expect(result).toMatchObject({ ok: false, reason: "no-rollouts", message: "No Codex session logs found" });
    expect(!result.ok && result.hint).toMatch(/newest 64 folders/);
    expect(readdir.mock.calls.length).toBe(MAX_FOLDERS_LISTED);
  });

  test("invalid dates (month 13, 31 February) and non-folders are neither listed nor counted as future", async () => {
    await writeDay(1);
    await fsPromises.mkdir(path.join(sessions(home), "2026", "13"), { recursive: true });
    await fsPromises.mkdir(path.join(sessions(home), "2026", "02", "31"), { recursive: true });
    await fsPromises.writeFile(path.join(sessions(home), "2027"), "a file named like a year");
    const readdir = jest.spyOn(fsPromises, "readdir");
    const result = await readCodexCaps(home, { now: LOCAL_NOW });
    expect(shown(result)).toBe(0);
    expect(result.futureDated).toBeUndefined();
    const listed = readdir.mock.calls.map((call) => path.relative(sessions(home), String(call[0])));
    expect(listed).not.toContain(path.join("2026", "13"));
    expect(listed).not.toContain(path.join("2026", "02", "31"));
  });
});

describe("one bad folder costs only itself", () => {
  function failListing(folder: string, code: string) {
    const realReaddir = fsPromises.readdir;
    jest.spyOn(fsPromises, "readdir").mockImplementation(((target: string, options: never) => {
      if (target === folder) return Promise.reject(Object.assign(new Error(`${code}: simulated`), { code }));
      return realReaddir(target, options);
    }) as typeof fsPromises.readdir);
  }

  test("a day folder that cannot be listed is skipped: yesterday's caps show", async () => {
    await writeSession(home, LOCAL_NOW - DAY_MS, { lines: [capsLine(LOCAL_NOW - DAY_MS, 9)] });
    const [today] = await writeDay(1);
    failListing(path.dirname(today), "EACCES");
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(9);
  });

  test("the only day folder cannot be listed: the error is named, even next to future-dated folders", async () => {
    const [today] = await writeDay(1);
    await fsPromises.mkdir(dayFolder(home, LOCAL_NOW + 30 * DAY_MS), { recursive: true });
    failListing(path.dirname(today), "EACCES");
    const result = await readCodexCaps(home, { now: LOCAL_NOW });
    expect(result).toMatchObject({ ok: false, message: "Can't read Codex sessions (permission denied)" });
    expect(result.futureDated?.skipped).toBe(1);
  });

  test("a month folder in a link loop (ELOOP) is skipped", async () => {
    await writeSession(home, LOCAL_NOW - 40 * DAY_MS, { lines: [capsLine(LOCAL_NOW - 40 * DAY_MS, 9)] });
    const [today] = await writeDay(1);
    failListing(path.dirname(path.dirname(today)), "ELOOP");
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(9);
  });
});

describe("dated in the future", () => {
  test("future-dated folders are skipped without being listed, and counted", async () => {
    await writeDay(1);
    // Tomorrow is within the tolerated skew (a trip across time zones); the day after is not.
    await writeSession(home, LOCAL_NOW + 20 * HOUR_MS, { lines: [capsLine(LOCAL_NOW + 20 * HOUR_MS, 88)] });
    const ahead = LOCAL_NOW + 300 * DAY_MS;
    await writeSession(home, ahead, { lines: [capsLine(ahead, 99)] });
    const readdir = jest.spyOn(fsPromises, "readdir");
    const search = await findRecentRollouts(sessions(home), LOCAL_NOW);
    expect(search.files.map((file) => file.path)).toEqual(
      expect.arrayContaining([expect.stringContaining(path.join(...dayParts(LOCAL_NOW + 20 * HOUR_MS)))]),
    );
    expect(search.futureSkipped).toBe(1);
    const aheadYear = path.join(sessions(home), dayParts(ahead)[0]);
    expect(readdir.mock.calls.filter((call) => String(call[0]).startsWith(aheadYear))).toEqual([]);
  });

  test("a future-dated name in today's folder is skipped and counted", async () => {
    const [today] = await writeDay(1);
    const futureName = path.basename(today).replace(/^rollout-\d{4}/, "rollout-2031");
    await fsPromises.writeFile(path.join(path.dirname(today), futureName), capsLine(LOCAL_NOW, 99) + "\n");
    const result = await readCodexCaps(home, { now: LOCAL_NOW });
    expect(shown(result)).toBe(0);
    expect(result.futureDated?.skipped).toBe(1);
  });
});

describe("orderCandidates", () => {
  test("plain files by mtime, then .zst files without a plain twin", () => {
    const file = (name: string, mtimeMs: number) => ({ path: `/s/${name}`, name, mtimeMs });
    const { plain, zst } = orderCandidates([
      file("rollout-a.jsonl", 1),
      file("rollout-a.jsonl.zst", 9),
      file("rollout-b.jsonl", 5),
      file("rollout-c.jsonl.zst", 3),
    ]);
    expect(plain.map((entry) => entry.name)).toEqual(["rollout-b.jsonl", "rollout-a.jsonl"]);
    expect(zst.map((entry) => entry.name)).toEqual(["rollout-c.jsonl.zst"]);
  });
});
