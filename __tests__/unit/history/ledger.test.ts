import { LocalStorage } from "@raycast/api";
import type { KeyValueStore } from "../../../src/billing/storage";
import * as ledger from "../../../src/history/ledger";
import { ledgerKey, MAX_LEDGER_CHARS, parseLedger, recordReadings } from "../../../src/history/ledger";
import { EMPTY_HISTORY, type Readings } from "../../../src/history/readings";
import { capWindow, caps, HOUR, MINUTE, NOW, weeklyWindow } from "../../support/builders";
import { mockControl } from "../../support/raycast-api";

const KEY = ledgerKey("codex");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function capsAt(at: number, fiveHour: number, weekly = 50): Readings {
  return {
    caps: caps([capWindow({ usedPercent: fiveHour }), weeklyWindow({ usedPercent: weekly })], { capturedAt: at }),
    balance: null,
  };
}

const stored = () => parseLedger(mockControl.storage.get(KEY));

/** Delays of 1–4 ms from a seeded generator: a failing interleaving can be replayed. */
let seed = 1;
const delay = () => {
  seed = (seed * 48271) % 2147483647;
  return 1 + (seed % 4);
};

/** LocalStorage as Raycast's: every call crosses a process boundary and takes a little while. */
function slowStore(): KeyValueStore & { writes: number } {
  const store = {
    writes: 0,
    async getItem<T extends string | number | boolean>(key: string) {
      await sleep(delay());
      return LocalStorage.getItem<T>(key);
    },
    async setItem(key: string, value: string | number | boolean) {
      await sleep(delay());
      store.writes++;
      await LocalStorage.setItem(key, value);
    },
    async removeItem(key: string) {
      await LocalStorage.removeItem(key);
    },
  };
  return store;
}

describe("the stored ledger", () => {
  test("a launch records its readings; the same readings again write nothing", async () => {
    const history = await recordReadings(LocalStorage, "codex", capsAt(NOW - 5 * MINUTE, 20), NOW);
    expect(history.windows.map((series) => series.id)).toEqual(["5h", "weekly"]);
    expect(stored().windows[0].points).toEqual([[NOW - 5 * MINUTE, 20]]);
    jest.mocked(LocalStorage.setItem).mockClear();
    await recordReadings(LocalStorage, "codex", capsAt(NOW - 5 * MINUTE, 20), NOW + MINUTE);
    expect(LocalStorage.setItem).not.toHaveBeenCalled();
    await recordReadings(LocalStorage, "codex", capsAt(NOW, 22), NOW + MINUTE);
    expect(LocalStorage.setItem).toHaveBeenCalledTimes(1);
  });

  const ledgerWith = (points: string, balance: string | null = null) =>
    JSON.stringify({
      version: 1,
      windows: [{ id: "5h", minutes: 300, points }],
      balance: balance === null ? null : { unit: "USD", points: balance },
    });

  test("a ledger as stored: readings packed as `at:value;at:value`", async () => {
    const raw = ledgerWith(`${NOW - MINUTE}:12.5;${NOW}:13`, `${NOW}:-2.25`);
    expect(parseLedger(raw)).toEqual({
      windows: [
        {
          id: "5h",
          minutes: 300,
          points: [
            [NOW - MINUTE, 12.5],
            [NOW, 13],
          ],
        },
      ],
      balance: { unit: "USD", points: [[NOW, -2.25]] },
    });
  });

  test.each([
    ["not JSON", "{not json"],
    ["another version", JSON.stringify({ version: 2, windows: [], balance: null })],
    ["a percentage over 100", ledgerWith(`${NOW}:180`)],
    ["a percentage of 100.5", ledgerWith(`${NOW}:100.5`)],
    ["a negative percentage", ledgerWith(`${NOW}:-3`)],
    ["a time that is not a time", ledgerWith("-5:10")],
    ["a time in seconds", ledgerWith(`${Math.round(NOW / 1000)}:10`)],
    ["a number in exponent form", ledgerWith(`${NOW}:1e-7`)],
    ["a trailing separator", ledgerWith(`${NOW}:10;`)],
    [
      "readings as a list",
      JSON.stringify({ version: 1, windows: [{ id: "5h", minutes: 300, points: [[NOW, 10]] }], balance: null }),
    ],
    ["a number where a list belongs", JSON.stringify({ version: 1, windows: 3, balance: null })],
    ["a balance of text", ledgerWith("", `${NOW}:twelve`)],
    ["an amount beyond 10^15", ledgerWith("", `${NOW}:1234567890123456`)],
    [
      "a window of zero minutes",
      JSON.stringify({ version: 1, windows: [{ id: "5h", minutes: 0, points: "" }], balance: null }),
    ],
    ["a non-string value", 42],
    [
      "an oversized value",
      JSON.stringify({ version: 1, windows: [], balance: null, pad: "x".repeat(MAX_LEDGER_CHARS) }),
    ],
  ])("a damaged ledger (%s) is dropped and replaced by the next reading", async (_what, raw) => {
    expect(parseLedger(raw)).toEqual(EMPTY_HISTORY);
    mockControl.storage.set(KEY, raw);
    const history = await recordReadings(LocalStorage, "codex", capsAt(NOW, 30), NOW);
    expect(history.windows.find((series) => series.id === "5h")?.points).toEqual([[NOW, 30]]);
    expect(parseLedger(mockControl.storage.get(KEY))).toEqual(history);
  });

  test("storage that throws costs the history, never the load", async () => {
    const broken: KeyValueStore = {
      getItem: async () => {
        throw new Error("database locked");
      },
      setItem: async () => {
        throw new Error("database locked");
      },
      removeItem: async () => undefined,
    };
    const history = await recordReadings(broken, "codex", capsAt(NOW, 30), NOW);
    expect(history.windows.find((series) => series.id === "5h")?.points).toEqual([[NOW, 30]]);
  });

  test("the stored ledger stays within its byte budget, newest readings kept", async () => {
    const ids = Array.from({ length: 16 }, (_, w) => `weekly:model-${w}`);
    let history = EMPTY_HISTORY;
    for (let i = 0; i < 200; i++) {
      // Every launch changes every window: nothing to fold into a plateau.
      const windows = ids.map((id, w) =>
        capWindow({ id, label: id, windowMinutes: 10080, usedPercent: (i * 7 + w) % 100 }),
      );
      const at = NOW - (200 - i) * MINUTE;
      history = await recordReadings(
        LocalStorage,
        "codex",
        { caps: caps(windows, { capturedAt: at }), balance: null },
        NOW,
      );
    }
    const raw = String(mockControl.storage.get(KEY));
    expect(raw.length).toBeLessThanOrEqual(MAX_LEDGER_CHARS);
    expect(parseLedger(raw)).toEqual(history);
    const total = history.windows.reduce((sum, series) => sum + series.points.length, 0);
    expect(total).toBeLessThan(16 * 200);
    for (const series of history.windows) expect(series.points.at(-1)![0]).toBe(NOW - MINUTE);
  });
});

describe("concurrent writers", () => {
  test("launches in one process queue up: every reading is kept", async () => {
    const store = slowStore();
    const launches = Array.from({ length: 12 }, (_, i) =>
      recordReadings(store, "codex", capsAt(NOW - i * MINUTE, 40 - i), NOW),
    );
    await Promise.all(launches);
    expect(stored().windows.find((series) => series.id === "5h")?.points).toHaveLength(12);
  });

  test("two processes at once: every write is a whole ledger; the next load brings back what a race dropped", async () => {
    let other: typeof ledger | undefined;
    jest.isolateModules(() => {
      // A second copy of the module, with its own queue: another Raycast process (a refresh beside the menu).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require("../../../src/history/ledger") as typeof ledger;
    });
    expect(other!.recordReadings).not.toBe(recordReadings);
    const menuReadings = capsAt(NOW - 2 * MINUTE, 30);
    const refreshReadings: Readings = { caps: null, balance: { at: NOW - MINUTE, amount: 12.5, unit: "USD" } };
    for (let round = 0; round < 10; round++) {
      mockControl.storage.clear();
      const store = slowStore();
      const written: unknown[] = [];
      const checked: KeyValueStore = {
        ...store,
        getItem: (key) => store.getItem(key),
        setItem: async (key, value) => {
          written.push(value);
          await store.setItem(key, value);
        },
      };
      await Promise.all([
        recordReadings(checked, "codex", menuReadings, NOW),
        other!.recordReadings(checked, "codex", refreshReadings, NOW),
      ]);
      for (const value of written) expect(parseLedger(value)).not.toEqual(EMPTY_HISTORY);
      // The next menu launch reads the same caps and the balance the refresh stored with the source.
      const next = await recordReadings(
        checked,
        "codex",
        { caps: menuReadings.caps, balance: refreshReadings.balance },
        NOW + MINUTE,
      );
      expect(next.windows.find((series) => series.id === "5h")?.points).toEqual([[NOW - 2 * MINUTE, 30]]);
      expect(next.balance?.points).toEqual([[NOW - MINUTE, 12.5]]);
      expect(parseLedger(mockControl.storage.get(KEY))).toEqual(next);
    }
  });

  test("a writer whose write was overwritten merges its reading back in (read, read, write, write)", async () => {
    let other: typeof ledger | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require("../../../src/history/ledger") as typeof ledger;
    });
    const gate = () => {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      return { open, promise };
    };
    const aRead = gate();
    const bWrote = gate();
    const aReadBack = gate();
    let aReads = 0;
    let bReads = 0;
    // A reads, B reads, B writes, A writes over it, A reads back its own value, B reads back A's.
    const storeA: KeyValueStore = {
      getItem: async (key) => {
        const value = await LocalStorage.getItem<string>(key);
        (++aReads === 1 ? aRead : aReadBack).open();
        return value as never;
      },
      setItem: async (key, value) => {
        await bWrote.promise;
        await LocalStorage.setItem(key, value);
      },
      removeItem: (key) => LocalStorage.removeItem(key),
    };
    const storeB: KeyValueStore = {
      getItem: async (key) => {
        bReads++;
        if (bReads === 1) await aRead.promise;
        if (bReads === 2) await aReadBack.promise;
        return LocalStorage.getItem(key);
      },
      setItem: async (key, value) => {
        await LocalStorage.setItem(key, value);
        bWrote.open();
      },
      removeItem: (key) => LocalStorage.removeItem(key),
    };
    await Promise.all([
      recordReadings(storeA, "codex", capsAt(NOW - 20 * MINUTE, 10), NOW),
      other!.recordReadings(storeB, "codex", capsAt(NOW, 30), NOW),
    ]);
    expect(stored().windows.find((series) => series.id === "5h")?.points).toEqual([
      [NOW - 20 * MINUTE, 10],
      [NOW, 30],
    ]);
  });

  test("a rejected write costs only that reading; the queue carries on", async () => {
    const flaky: KeyValueStore = {
      getItem: (key) => LocalStorage.getItem(key),
      setItem: jest
        .fn()
        .mockRejectedValueOnce(new Error("busy"))
        .mockImplementation((key: string, value: string) => LocalStorage.setItem(key, value)),
      removeItem: (key) => LocalStorage.removeItem(key),
    };
    const [first, second] = await Promise.all([
      recordReadings(flaky, "codex", capsAt(NOW - HOUR, 10), NOW),
      recordReadings(flaky, "codex", capsAt(NOW, 12), NOW),
    ]);
    // The first load still shows its reading; the next load that reads it again records it.
    expect(first.windows.find((series) => series.id === "5h")?.points).toEqual([[NOW - HOUR, 10]]);
    expect(second.windows.find((series) => series.id === "5h")?.points).toEqual([[NOW, 12]]);
    expect(stored().windows.find((series) => series.id === "5h")?.points).toEqual([[NOW, 12]]);
  });
});
