/**
 * Concurrency: refreshes that overlap each other, the menu rendering while a refresh runs, and a
 * "relaunch" (a fresh menu) in the middle of a refresh. Every value ever written under a source key
 * must parse as one whole snapshot (never a mix, never a `problem`), and the activity log must stay
 * parseable and capped.
 */
import { readFileSync } from "node:fs";
import { LocalStorage } from "@raycast/api";
import { ACTIVITY_KEY, ACTIVITY_LIMIT, loadActivity, type ActivityEntry } from "../../../src/billing/activity";
import type { SourceId } from "../../../src/model/types";
import type { ProbeRun } from "../../../src/billing/probe-runner";
import { applyProbeRun, refreshSources, type RefreshDependencies } from "../../../src/billing/refresh";
import {
  EMPTY_SOURCE,
  loadSource,
  parseStoredSource,
  saveSource,
  storageKey,
  updateSource,
  type KeyValueStore,
} from "../../../src/billing/storage";
import { HOUR, MINUTE, NOW } from "../../support/builders";
import { codexHomeWithCaps, renderMenu } from "../../support/hostile-menu";
import { mockControl } from "../../support/raycast-api";
import { fixturePath } from "../../support/paths";

const fixture = (name: string) => readFileSync(fixturePath(name), "utf8");
const TTL = 6 * HOUR;
const SOURCE_KEYS = new Set([storageKey("codex"), storageKey("claude")]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const probeRun = (stdout: string, exitCode = 0): ProbeRun => ({
  exitCode,
  stdout,
  timedOut: false,
  truncated: false,
  durationMs: 5,
});
const BODIES: Record<SourceId, string> = {
  codex: fixture("codex-usage/pro-with-credits-and-spark.json"),
  claude: fixture("claude-usage/eur-with-limits-and-spend.json"),
};
const failure = probeRun(
  '{"ok":false,"error":"http_error","hint":"Try again in a few minutes.","http_status":500}',
  11,
);

/**
 * LocalStorage as Raycast's is: every call crosses a process boundary, so it takes a little while.
 * It also checks every value written under a source key, and the activity log, at the moment it lands.
 */
function slowStore(violations: string[]): KeyValueStore {
  const latency = () => sleep(1 + Math.floor(Math.random() * 4));
  return {
    async getItem<T extends string | number | boolean>(key: string) {
      await latency();
      return LocalStorage.getItem<T>(key);
    },
    async setItem(key, value) {
      await latency();
      violations.push(...checkValue(key, value));
      await LocalStorage.setItem(key, value);
    },
    async removeItem(key) {
      await latency();
      await LocalStorage.removeItem(key);
    },
  };
}

function checkValue(key: string, value: unknown): string[] {
  if (SOURCE_KEYS.has(key)) {
    const { problem } = parseStoredSource(value);
    return problem ? [`${key}: ${problem}`] : [];
  }
  if (key === ACTIVITY_KEY) {
    try {
      const parsed = JSON.parse(String(value)) as unknown;
      if (!Array.isArray(parsed)) return [`${key}: not an array`];
      if (parsed.length > ACTIVITY_LIMIT) return [`${key}: ${parsed.length} entries`];
      return [];
    } catch {
      return [`${key}: not JSON`];
    }
  }
  return [];
}

/** Reads what is stored every few milliseconds until stopped, like a menu bar rendering over and over. */
function watchStorage(violations: string[]) {
  let running = true;
  let reads = 0;
  const done = (async () => {
    while (running) {
      for (const source of ["codex", "claude"] as const) {
        const { problem } = await loadSource(LocalStorage, source);
        if (problem) violations.push(`read ${source}: ${problem}`);
      }
      violations.push(...checkValue(ACTIVITY_KEY, mockControl.storage.get(ACTIVITY_KEY) ?? "[]"));
      reads += 1;
      await sleep(1);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return reads;
    },
  };
}

/** A probe runner whose answer and duration are chosen per call. */
function scriptedRunner(plan: (source: SourceId, call: number) => { run: ProbeRun; delayMs: number }) {
  let calls = 0;
  return jest.fn(async (source: SourceId) => {
    const { run, delayMs } = plan(source, ++calls);
    await sleep(delayMs);
    return run;
  });
}

const codexHome = codexHomeWithCaps();
beforeEach(() => jest.spyOn(Date, "now").mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

test("two refreshes at once: every write and every read is one whole snapshot; both runs are logged", async () => {
  const violations: string[] = [];
  const store = slowStore(violations);
  const deps = (runProbe: RefreshDependencies["runProbe"], trigger: string): RefreshDependencies => ({
    store,
    runProbe,
    ttlMs: TTL,
    now: () => NOW,
    trigger,
  });
  const slowSuccess = scriptedRunner((source) => ({ run: probeRun(BODIES[source]), delayMs: 60 }));
  const fastFailure = scriptedRunner(() => ({ run: failure, delayMs: 5 }));

  const watcher = watchStorage(violations);
  const [first, second] = await Promise.all([
    refreshSources(["codex", "claude"], deps(slowSuccess, "first")),
    refreshSources(["codex", "claude"], deps(fastFailure, "second")),
  ]);
  const reads = await watcher.stop();

  expect(violations).toEqual([]);
  expect(reads).toBeGreaterThan(5);
  expect(first.map((outcome) => outcome.status)).toEqual(["updated", "updated"]);
  expect(second.map((outcome) => outcome.status)).toEqual(["failed", "failed"]);
  // The failure landed first, the success after it: the balance is there and the error is cleared.
  const codex = await loadSource(LocalStorage, "codex");
  expect(codex.problem).toBeUndefined();
  expect(codex.stored.credits?.balance).toEqual({ kind: "codexCredits", credits: 412.5 });
  expect(codex.stored.lastError).toBeNull();
  // Every probe run is in the log: nothing that touched the network goes unrecorded.
  const activity = await loadActivity(LocalStorage);
  expect(activity.map((entry) => entry.trigger).sort()).toEqual(["first", "first", "second", "second"]);
});

test("many overlapping refreshes: the activity log keeps every run, stays parseable and capped at 50", async () => {
  const violations: string[] = [];
  const store = slowStore(violations);
  const old: ActivityEntry[] = Array.from({ length: ACTIVITY_LIMIT - 3 }, (_, index) => ({
    at: NOW - (index + 1) * MINUTE,
    source: "codex",
    host: "chatgpt.com",
    outcome: "updated",
    durationMs: 100,
    trigger: "old",
  }));
  mockControl.storage.set(ACTIVITY_KEY, JSON.stringify(old));
  const runner = scriptedRunner((source, call) => ({
    run: call % 3 === 0 ? failure : probeRun(BODIES[source]),
    delayMs: (call * 7) % 13,
  }));
  const watcher = watchStorage(violations);
  await Promise.all(
    Array.from({ length: 6 }, (_, index) =>
      refreshSources(["codex", "claude"], {
        store,
        runProbe: runner,
        ttlMs: TTL,
        now: () => NOW,
        trigger: `refresh ${index}`,
      }),
    ),
  );
  await watcher.stop();

  expect(violations).toEqual([]);
  const activity = await loadActivity(LocalStorage);
  expect(activity).toHaveLength(ACTIVITY_LIMIT);
  // The 12 new runs are all there, newest first, ahead of the older entries that still fit.
  const fresh = activity.filter((entry) => entry.trigger !== "old");
  expect(fresh).toHaveLength(12);
  expect(activity.slice(0, 12).every((entry) => entry.trigger !== "old")).toBe(true);
  for (const source of ["codex", "claude"] as const) {
    const { problem, stored } = await loadSource(LocalStorage, source);
    expect(problem).toBeUndefined();
    expect(stored.lastAttemptAt).toBe(NOW);
  }
});

test("the menu renders while a refresh runs: the last good data, then the new data", async () => {
  await saveSource(LocalStorage, "codex", {
    ...EMPTY_SOURCE,
    credits: { balance: { kind: "codexCredits", credits: 100 }, usable: true, updatedAt: NOW - HOUR },
  });
  const violations: string[] = [];
  const runner = scriptedRunner((source) => ({ run: probeRun(BODIES[source]), delayMs: 150 }));
  const refresh = refreshSources(["codex"], {
    store: slowStore(violations),
    runProbe: runner,
    ttlMs: TTL,
    now: () => NOW,
  });

  const during = await renderMenu({ codexHome, codexPlanType: "mixed" });
  expect(during.titles).toContain("Credits: $4.00");
  expect(during.title).toBe("61%");
  expect(runner).toHaveBeenCalledTimes(1);

  await refresh;
  await during.view.rerender(<></>);
  const after = await renderMenu({ codexHome, codexPlanType: "mixed" });
  expect(after.titles).toContain("Credits: $16.50");
  expect(after.titles).not.toContain("Credits: $4.00");
  expect(violations).toEqual([]);
});

test("a relaunch in the middle of a refresh: fresh menus before, between and after the sources land", async () => {
  await saveSource(LocalStorage, "codex", {
    ...EMPTY_SOURCE,
    credits: { balance: { kind: "codexCredits", credits: 100 }, usable: true, updatedAt: NOW - HOUR },
  });
  await saveSource(LocalStorage, "claude", {
    ...EMPTY_SOURCE,
    credits: {
      balance: { kind: "money", money: { amount: 20, currency: "EUR" } },
      usable: true,
      updatedAt: NOW - HOUR,
    },
  });
  const violations: string[] = [];
  let releaseCodex = () => {};
  const codexGate = new Promise<void>((resolve) => (releaseCodex = resolve));
  let releaseClaude = () => {};
  const claudeGate = new Promise<void>((resolve) => (releaseClaude = resolve));
  let codexLanded = () => {};
  const codexDone = new Promise<void>((resolve) => (codexLanded = resolve));
  const store = slowStore(violations);
  const watched: KeyValueStore = {
    ...store,
    async setItem(key, value) {
      await store.setItem(key, value);
      if (key === storageKey("codex")) codexLanded();
    },
  };
  const refresh = refreshSources(["codex", "claude"], {
    store: watched,
    runProbe: async (source) => {
      await (source === "claude" ? claudeGate : codexGate);
      return probeRun(BODIES[source]);
    },
    ttlMs: TTL,
    now: () => NOW,
  });
  const preferences = { codexHome, codexPlanType: "mixed", claudePlanType: "mixed" };

  // Relaunch 1: before anything landed.
  const before = await renderMenu(preferences);
  expect(before.titles).toEqual(expect.arrayContaining(["Credits: $4.00", "Credits: €20.00"]));
  await before.view.unmount();

  // Relaunch 2: Codex landed, Claude still fetching. Each source is whole: new Codex, old Claude.
  releaseCodex();
  await codexDone;
  const between = await renderMenu(preferences);
  expect(between.titles).toEqual(expect.arrayContaining(["Credits: $16.50", "Credits: €20.00"]));
  expect(between.titles.some((title) => title.startsWith("Stored billing data"))).toBe(false);
  await between.view.unmount();

  releaseClaude();
  await refresh;

  // Relaunch 3: after the refresh.
  const after = await renderMenu(preferences);
  expect(after.titles).toEqual(expect.arrayContaining(["Credits: $16.50", "Credits: €37.15"]));
  expect(violations).toEqual([]);
  const activity = JSON.parse(String(mockControl.storage.get(ACTIVITY_KEY))) as ActivityEntry[];
  expect(activity.map((entry) => entry.source).sort()).toEqual(["claude", "codex"]);
});

test("updateSource: overlapping read-apply-save of one source never drops a balance", async () => {
  const violations: string[] = [];
  const store = slowStore(violations);
  const runs = [probeRun(BODIES.codex), ...Array.from({ length: 9 }, () => failure)];
  // Every update starts before any has saved, as two refreshes finishing together do.
  await Promise.all(
    runs.map((run) =>
      updateSource(store, "codex", (current) => {
        const { next, outcome } = applyProbeRun("codex", current, run, NOW, TTL);
        return { next, result: outcome };
      }),
    ),
  );
  const { stored, problem } = await loadSource(LocalStorage, "codex");
  expect(problem).toBeUndefined();
  expect(stored.credits?.balance).toEqual({ kind: "codexCredits", credits: 412.5 });
  expect(stored.lastError?.code).toBe("http_error");
  expect(violations).toEqual([]);
});
