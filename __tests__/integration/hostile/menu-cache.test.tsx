/**
 * Hostile caches, seen from the real menu-bar command: Raycast's Cache holding a value of another
 * shape or version, and LocalStorage holding a last-good record of another version. A bad value is
 * never painted, never crashes the menu, and is replaced by the next load, so a relaunch does not
 * fail the same way. The menu writes only the extension's own storage.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Cache, LocalStorage } from "@raycast/api";
import { EMPTY_SOURCE } from "../../../src/billing/storage";
import type { CapsSnapshot } from "../../../src/model/types";
import { MENU_CACHE_NAMESPACE, SOURCE_INPUTS_CACHE_KEY } from "../../../src/raycast/cache";
import { lastGoodKey, loadLastGood } from "../../../src/sources/last-good";
import { SOURCE_LOAD_BUDGET_MS } from "../../../src/sources/load";
import { sourceDefinition } from "../../../src/sources/registry";
import * as menuModel from "../../../src/view/menu-model";
import { HOUR, MINUTE, NOW } from "../../support/builders";
import { codexHomeWithCaps, renderMenu } from "../../support/hostile-menu";
import { mockControl } from "../../support/raycast-api";

const LOADED_WITHIN_MS = SOURCE_LOAD_BUDGET_MS + 2500;
const FIVE_MB = 5 * 1024 * 1024;
const cache = new Cache({ namespace: MENU_CACHE_NAMESPACE });

/** Caps the cache remembers (95 % weekly) that differ from the disk's (61 %), to tell the two apart. */
const cachedCaps: CapsSnapshot = {
  windows: [
    { id: "5h", label: "5h", usedPercent: 90, windowMinutes: 300, resetsAt: NOW + HOUR },
    { id: "weekly", label: "Weekly", usedPercent: 95, windowMinutes: 10080, resetsAt: NOW + 50 * HOUR },
  ],
  capturedAt: NOW - 30 * MINUTE,
  origin: "codex-session-log",
  planName: "plus",
};
/** Made once per file; the cache remembers which folder its caps came from. */
const codexHome = codexHomeWithCaps();
const cachedCodex = { source: "codex", folder: codexHome, localCaps: cachedCaps, stored: EMPTY_SOURCE };
const cachedWith = (overrides: Record<string, unknown>) => JSON.stringify([{ ...cachedCodex, ...overrides }]);
const cachedCapsWith = (overrides: Record<string, unknown>) =>
  cachedWith({ localCaps: { ...cachedCaps, ...overrides } });

/** [label, the raw cached string]; none of them may be painted. */
const CACHE_GARBAGE: [string, string][] = [
  ["[{}]", "[{}]"],
  ["[null]", "[null]"],
  ['{"a":1}', '{"a":1}'],
  ["JSON null", "null"],
  ["a JSON string", '"states"'],
  ["a number", "42"],
  ["a boolean", "true"],
  ["an empty list", "[]"],
  ["the text undefined", "undefined"],
  ["non-JSON text", "[{"],
  ["an empty string", ""],
  ["a NaN literal", '[{"source":"codex","localCaps":NaN}]'],
  ["binary noise", "\u0000\u0001\u00ff\uFFFD\uD800garbage"],
  ["deeply nested arrays", "[".repeat(100_000) + "]".repeat(100_000)],
  ["a 5 MB string", "x".repeat(FIVE_MB)],
  ["a 5 MB list of valid entries", JSON.stringify(Array.from({ length: 12_000 }, () => cachedCodex))],
  ["a source the registry does not have", cachedWith({ source: "gemini" })],
  ["a source id that is not a string", cachedWith({ source: 7 })],
  ["caps as a string", cachedWith({ localCaps: "95%" })],
  ["a percent above 100", cachedCapsWith({ windows: [{ ...cachedCaps.windows[0], usedPercent: 250 }] })],
  ["a capture time beyond what a Date can hold", cachedCapsWith({ capturedAt: 1e300 })],
  ["a capture time as a Raycast date marker", cachedCapsWith({ capturedAt: "__raycast_cached_date__2026-11-28" })],
  ["an unknown caps origin", cachedCapsWith({ origin: "gemini" })],
  [
    "51 windows",
    cachedCapsWith({ windows: Array.from({ length: 51 }, (_, i) => ({ ...cachedCaps.windows[0], id: `w${i}` })) }),
  ],
  ["a stored record of another shape", cachedWith({ stored: { balance: 12.3, currency: "USD" } })],
  ["no stored record", cachedWith({ stored: undefined })],
  [
    "a problem line that would open a URL",
    cachedWith({
      localProblem: { message: "Click here", hint: "", action: { type: "openUrl", url: "https://x.test" } },
    }),
  ],
  ["a 1 MB problem line", cachedWith({ localProblem: { message: "x".repeat(1024 * 1024), hint: "" } })],
  ["a tap status of another version", cachedWith({ tapStatus: "maybe" })],
  ["caps read from another Codex Home", cachedWith({ folder: "/Users/someone/other-codex" })],
  ["caps that do not say which folder they came from", cachedWith({ folder: undefined })],
];

async function timedMenu(preferences: Record<string, unknown>) {
  const started = performance.now();
  const menu = await renderMenu(preferences);
  return { menu, ms: performance.now() - started };
}

/** The menu as the command first rendered it, before any load finished: what the cache painted. */
function firstPaint(build: jest.SpyInstance<menuModel.MenuModel>) {
  const model = build.mock.results[0].value as menuModel.MenuModel;
  return { title: model.title, lines: model.sections.flatMap((section) => section.lines.map((line) => line.title)) };
}

/** The cached value now, checked the strict way: it must be the load's inputs for both sources. */
function cachedSources(): { source: string; percents: number[] | undefined }[] {
  const raw = cache.get(SOURCE_INPUTS_CACHE_KEY);
  expect(typeof raw).toBe("string");
  const parsed = JSON.parse(raw!) as { source: string; localCaps: CapsSnapshot | null }[];
  return parsed.map((entry) => ({
    source: entry.source,
    percents: entry.localCaps?.windows.map((window) => window.usedPercent),
  }));
}

let build: jest.SpyInstance<menuModel.MenuModel>;
beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
  build = jest.spyOn(menuModel, "buildMenuModel");
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe("a cached value of another shape", () => {
  test.each(CACHE_GARBAGE)("%s: never painted, the menu renders, the cache is replaced", async (_label, raw) => {
    cache.set(SOURCE_INPUTS_CACHE_KEY, raw);
    const { menu, ms } = await timedMenu({ codexHome });

    expect(firstPaint(build)).toEqual({ title: "–", lines: expect.not.arrayContaining(["5h 90% · resets in 1h"]) });
    expect(menu.root.props.isLoading).toBe(false);
    expect(ms).toBeLessThan(LOADED_WITHIN_MS);
    expect(menu.title).toBe("61%");
    expect(menu.titles).not.toContain("5h 90% · resets in 1h");
    expect(cachedSources()).toEqual([
      { source: "codex", percents: [37, 61] },
      { source: "claude", percents: undefined },
    ]);
  });

  test("one bad entry costs only itself: the good source paints at once, then the whole cache is rewritten", async () => {
    cache.set(SOURCE_INPUTS_CACHE_KEY, JSON.stringify([cachedCodex, {}, { ...cachedCodex, source: "claude", x: 1 }]));
    const menu = await renderMenu({ codexHome });

    expect(firstPaint(build).title).toBe("95%");
    expect(firstPaint(build).lines).toContain("5h 90% · resets in 1h");
    expect(menu.title).toBe("61%");
    expect(cachedSources()).toEqual([
      { source: "codex", percents: [37, 61] },
      { source: "claude", percents: undefined },
    ]);
  });

  test("a good cache paints at once and is judged by the current clock", async () => {
    cache.set(SOURCE_INPUTS_CACHE_KEY, JSON.stringify([cachedCodex]));
    jest.spyOn(Date, "now").mockReturnValue(NOW + 2 * HOUR);
    const menu = await renderMenu({ codexHome });

    // The 5h window reset an hour ago: the cached 90 % no longer holds.
    expect(firstPaint(build).lines).toEqual(expect.arrayContaining(["5h reset · 0% used", "Caps as of 2h ago"]));
    expect(menu.titles).toContain("Caps as of 2h ago");
  });

  test("the same bad cache on every relaunch: each launch renders, and only the first finds it", async () => {
    cache.set(SOURCE_INPUTS_CACHE_KEY, "[{}]");
    for (let launch = 0; launch < 3; launch++) {
      build.mockClear();
      const menu = await renderMenu({ codexHome });
      expect(menu.title).toBe("61%");
      expect(firstPaint(build).title).toBe(launch === 0 ? "–" : "61%");
      await menu.view.unmount();
    }
  });

  test("a bad cache while both readers hang: replaced anyway, by what the load could say", async () => {
    cache.set(SOURCE_INPUTS_CACHE_KEY, '{"a":1}');
    for (const source of ["codex", "claude"]) {
      jest.spyOn(sourceDefinition(source), "readLocal").mockImplementation(() => new Promise(() => {}));
    }
    const menu = await renderMenu({ codexHome });
    expect(menu.root.props.isLoading).toBe(false);
    expect(menu.titles).toContain("Reading Codex's folder took too long");
    expect(cachedSources().map((entry) => entry.source)).toEqual(["codex", "claude"]);
  });

  test("a cache from another version of the extension is never read", async () => {
    new Cache({ namespace: MENU_CACHE_NAMESPACE }).set("source-inputs-v0", JSON.stringify([cachedCodex]));
    new Cache().set(SOURCE_INPUTS_CACHE_KEY, JSON.stringify([cachedCodex]));
    await renderMenu({ codexHome });
    expect(firstPaint(build).title).toBe("–");
  });

  test("a __proto__ key in a cached entry pollutes nothing", async () => {
    const raw = JSON.stringify([cachedCodex]).replace(/^\[\{/, '[{"__proto__":{"polluted":true},');
    cache.set(SOURCE_INPUTS_CACHE_KEY, raw);
    const menu = await renderMenu({ codexHome });
    expect(firstPaint(build).title).toBe("95%");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(menu.title).toBe("61%");
  });
});

describe("a last-good record of another version in LocalStorage", () => {
  const record = (overrides: Record<string, unknown>) =>
    JSON.stringify({ version: 1, folder: codexHome, caps: cachedCaps, ...overrides });

  test.each([
    ["a future version", () => record({ version: 2 })],
    ["no version", () => record({ version: undefined })],
    ["the version as text", () => record({ version: "1" })],
    ["caps of another shape", () => record({ caps: { percent: 95 } })],
    ["a number instead of a string", () => 95],
    ["non-JSON text", () => "{caps"],
    ["a 5 MB record", () => record({ padding: "x".repeat(FIVE_MB) })],
  ])("%s: ignored when the read fails, replaced after the next good read", async (_label, value) => {
    mockControl.storage.set(lastGoodKey("codex"), value());
    const read = jest.spyOn(sourceDefinition("codex"), "readLocal").mockRejectedValue(new Error("gone"));
    const failed = await renderMenu({ codexHome });

    expect(failed.titles).not.toContain("5h 90% · resets in 1h");
    expect(failed.item("Could not read Codex's folder").props.subtitle).toBe("Trying again at the next refresh");
    expect(failed.title).toBe("–");
    await failed.view.unmount();

    read.mockRestore();
    const healed = await renderMenu({ codexHome });
    expect(healed.title).toBe("61%");
    const kept = await loadLastGood(LocalStorage, "codex");
    expect(kept?.caps.windows.map((window) => window.usedPercent)).toEqual([37, 61]);
    expect(JSON.parse(String(mockControl.storage.get(lastGoodKey("codex")))).version).toBe(1);
  });

  test("a record under an older key is never read, even one this version's schema would accept", async () => {
    mockControl.storage.set("last-local-v0:codex", record({}));
    jest.spyOn(sourceDefinition("codex"), "readLocal").mockRejectedValue(new Error("gone"));
    const menu = await renderMenu({ codexHome });
    expect(menu.titles).not.toContain("5h 90% · resets in 1h");
    await menu.view.unmount();

    // The same record under this version's key is what a failed read shows.
    mockControl.storage.set(lastGoodKey("codex"), record({}));
    const kept = await renderMenu({ codexHome });
    expect(kept.titles).toContain("5h 90% · resets in 1h");
  });
});

/** Every file under a folder with its size and modification time. */
function snapshotTree(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(folder, { recursive: true }) as string[]) {
    const stats = statSync(path.join(folder, name));
    files[name] = `${stats.size}:${stats.mtimeMs}:${stats.mode}`;
  }
  return files;
}

test("the menu writes only the extension's own storage: the last good reading, the history and the cache, each once", async () => {
  const before = snapshotTree(codexHome);
  const first = await renderMenu({ codexHome });
  await first.view.unmount();
  mockControl.cacheWrites.length = 0;
  const second = await renderMenu({ codexHome });

  expect(second.title).toBe("61%");
  expect(snapshotTree(codexHome)).toEqual(before);
  // The same reading is not written twice.
  expect(jest.mocked(LocalStorage.setItem).mock.calls.map(([key]) => key)).toEqual([
    lastGoodKey("codex"),
    "history-v1:codex",
  ]);
  expect(cache.get(SOURCE_INPUTS_CACHE_KEY)).toBeDefined();
  // Nor is the same cached value: Raycast keeps its Cache on disk, so a set is a file write.
  expect(mockControl.cacheWrites).toEqual([]);
  // The history has its own record, read by every load: the cache does not carry a second copy.
  expect(cache.get(SOURCE_INPUTS_CACHE_KEY)).not.toContain('"history"');
});
