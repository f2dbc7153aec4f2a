/**
 * Hostile LocalStorage: every key the extension owns (`source-v2:codex`, `source-v2:claude`,
 * `last-local-v1:codex`, `activity-v1`) holding garbage. The real menu-bar command must still render,
 * the other source's good data and the free local caps must survive, and the damaged source must say
 * so in one line.
 */
import { readFileSync } from "node:fs";
import { LocalStorage } from "@raycast/api";
import { ACTIVITY_KEY, ACTIVITY_LIMIT, loadActivity, type ActivityEntry } from "../../../src/billing/activity";
import type { CreditReading, SourceId } from "../../../src/model/types";
import type { ProbeRun } from "../../../src/billing/probe-runner";
import { refreshSources } from "../../../src/billing/refresh";
import { EMPTY_SOURCE, loadSource, saveSource, storageKey, type StoredSource } from "../../../src/billing/storage";
import { lastGoodKey, loadLastGood } from "../../../src/sources/last-good";
import { sourceDefinition } from "../../../src/sources/registry";
import { HOUR, MINUTE, NOW } from "../../support/builders";
import { codexHomeWithCaps, renderMenu } from "../../support/hostile-menu";
import { mockControl } from "../../support/raycast-api";
import { fixturePath } from "../../support/paths";

const fixture = (name: string) => readFileSync(fixturePath(name), "utf8");
const FIVE_MB = 5 * 1024 * 1024;
/** The last instant a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;
const YEAR_9999 = Date.parse("9999-12-31T23:59:59Z");
const STORAGE_PROBLEM = /^Stored billing data (was corrupt|was unreadable|is from another version|could not be read)/;

const claudeEuros: CreditReading = {
  balance: { kind: "money", money: { amount: 37.15, currency: "EUR" } },
  usable: true,
  limit: { amount: 50, currency: "EUR" },
  updatedAt: NOW - HOUR,
};
const codexCredits: CreditReading = {
  balance: { kind: "codexCredits", credits: 412.5 },
  usable: true,
  updatedAt: NOW - HOUR,
};

/** A record exactly as `saveSource` writes it, for deriving damaged variants. */
function goodRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 2,
    ...EMPTY_SOURCE,
    credits: claudeEuros,
    freshUntilCredits: claudeEuros.updatedAt + 6 * HOUR,
    caps: {
      windows: [{ id: "5h", label: "5h", usedPercent: 37, windowMinutes: 300, resetsAt: NOW + HOUR }],
      capturedAt: NOW - MINUTE,
      origin: "claude-usage-api",
    },
    ...overrides,
  };
}
const withCredits = (credits: Record<string, unknown>) =>
  JSON.stringify(goodRecord({ credits: { ...claudeEuros, ...credits } }));
const withWindow = (window: Record<string, unknown>) =>
  JSON.stringify(
    goodRecord({
      caps: {
        windows: [{ id: "5h", label: "5h", usedPercent: 37, windowMinutes: 300, resetsAt: NOW + HOUR, ...window }],
        capturedAt: NOW - MINUTE,
        origin: "claude-usage-api",
      },
    }),
  );
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const { version: _version, ...unversioned } = goodRecord();

/** [label, the raw value in LocalStorage]; every row must be ignored with a message. */
const GARBAGE: [string, string | number | boolean][] = [
  ["non-JSON text", "{not json"],
  ["an empty string", ""],
  ["a record cut in half", JSON.stringify(goodRecord()).slice(0, 60)],
  ["JSON null", "null"],
  ["a JSON array", "[]"],
  ["a JSON string", '"source"'],
  ["a plain number as text (old format)", "42"],
  ["a number instead of a string", 42],
  ["zero instead of a string", 0],
  ["a boolean instead of a string", true],
  ["false instead of a string", false],
  ["an old format {version: 0}", JSON.stringify({ version: 0, balance: 12.3, currency: "USD", updatedAt: NOW })],
  ["a record without a version", JSON.stringify(unversioned)],
  ["a record from a future version", JSON.stringify(goodRecord({ version: 3 }))],
  ["a record from the previous version", JSON.stringify(goodRecord({ version: 1 }))],
  ["the version as a string", JSON.stringify(goodRecord({ version: "2" }))],
  ["credits as a string", JSON.stringify(goodRecord({ credits: "€37.15" }))],
  ["an amount as a string", withCredits({ balance: { kind: "money", money: { amount: "37.15", currency: "EUR" } } })],
  [
    "a currency that is not a code",
    withCredits({ balance: { kind: "money", money: { amount: 1, currency: "euros" } } }),
  ],
  ["an unknown balance kind", withCredits({ balance: { kind: "gold", grams: 3 } })],
  ["usable as a string", withCredits({ usable: "yes" })],
  ["a negative update time", withCredits({ updatedAt: -1 })],
  ["an update time beyond what a Date can hold", withCredits({ updatedAt: 1e300 })],
  ["an update time at the very end of what a Date can hold", withCredits({ updatedAt: MAX_DATE_MS })],
  ["a percent as a string", withWindow({ usedPercent: "37" })],
  ["a percent above 100", withWindow({ usedPercent: 250 })],
  ["a negative percent", withWindow({ usedPercent: -5 })],
  ["a reset time beyond what a Date can hold", withWindow({ resetsAt: 1e300 })],
  [
    "an error time beyond what a Date can hold",
    JSON.stringify(goodRecord({ lastError: { code: "x", message: "m", hint: "h", at: 1e300 } })),
  ],
  ["a cool-down as a string", JSON.stringify(goodRecord({ coolDownUntil: "later" }))],
  [
    "51 windows",
    JSON.stringify(
      goodRecord({
        caps: {
          windows: Array.from({ length: 51 }, (_, i) => ({
            id: `w${i}`,
            label: `w${i}`,
            usedPercent: 1,
            windowMinutes: 60,
            resetsAt: null,
          })),
          capturedAt: NOW,
          origin: "claude-usage-api",
        },
      }),
    ),
  ],
  ["an unknown caps origin", JSON.stringify(goodRecord({ caps: { windows: [], capturedAt: NOW, origin: "gemini" } }))],
  ["a NaN literal", '{"version":2,"credits":null,"freshUntilCredits":NaN}'],
  ["deeply nested arrays", "[".repeat(100_000) + "]".repeat(100_000)],
  ["binary noise", "\u0000\u0001\u00ff\uFFFD\uD800garbage"],
  ["a 5 MB string", "x".repeat(FIVE_MB)],
  ["a 5 MB valid record", JSON.stringify(goodRecord({ padding: "x".repeat(FIVE_MB) }))],
];

async function store(source: SourceId, stored: Partial<StoredSource>) {
  await saveSource(LocalStorage, source, { ...EMPTY_SOURCE, ...stored });
}

const probeRun = (stdout: string, exitCode = 0): ProbeRun => ({
  exitCode,
  stdout,
  timedOut: false,
  truncated: false,
  durationMs: 5,
});
const codexBody = fixture("codex-usage/pro-with-credits-and-spark.json");

const codexHome = codexHomeWithCaps();
beforeEach(() => jest.spyOn(Date, "now").mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

describe.each<[SourceId, SourceId]>([
  ["codex", "claude"],
  ["claude", "codex"],
])("garbage under source-v2:%s", (damaged, healthy) => {
  test.each(GARBAGE)("%s: the menu renders, says the data was ignored, and keeps the rest", async (_label, raw) => {
    if (healthy === "claude") await store("claude", { credits: claudeEuros });
    else await store("codex", { credits: codexCredits });
    mockControl.storage.set(storageKey(damaged), raw);

    const menu = await renderMenu({ codexHome, codexPlanType: "mixed", claudePlanType: "mixed" });

    // The free local caps still bind the title.
    expect(menu.title).toBe("61%");
    // One clear line in the damaged source's section.
    const problems = menu.section(damaged).filter((item) => STORAGE_PROBLEM.test(String(item.props.title)));
    expect(problems).toHaveLength(1);
    // The healthy source's balance survives.
    expect(menu.section(healthy).map((item) => item.props.title)).toContain(
      healthy === "claude" ? "Credits: €37.15" : "Credits: $16.50",
    );
    expect(menu.section(healthy).some((item) => STORAGE_PROBLEM.test(String(item.props.title)))).toBe(false);
  });
});

describe("a damaged record is healed by the next refresh", () => {
  test.each(GARBAGE.filter((_, index) => index % 4 === 0))("%s", async (_label, raw) => {
    mockControl.storage.set(storageKey("codex"), raw);
    expect((await loadSource(LocalStorage, "codex")).problem).toMatch(STORAGE_PROBLEM);
    await refreshSources(["codex"], {
      store: LocalStorage,
      runProbe: async () => probeRun(codexBody),
      ttlMs: 6 * HOUR,
      now: () => NOW,
    });
    const { stored, problem } = await loadSource(LocalStorage, "codex");
    expect(problem).toBeUndefined();
    expect(stored.credits?.balance).toEqual({ kind: "codexCredits", credits: 412.5 });
    const menu = await renderMenu({ codexHome, codexPlanType: "mixed" });
    expect(menu.titles.some((title) => STORAGE_PROBLEM.test(title))).toBe(false);
  });
});

test("LocalStorage itself failing to read: one message, the menu still renders from local data", async () => {
  const getItem = jest.mocked(LocalStorage.getItem);
  const original = getItem.getMockImplementation()!;
  getItem.mockImplementation(async (key: string) => {
    if (key === storageKey("codex")) throw new Error("database is locked");
    return original(key);
  });
  try {
    const menu = await renderMenu({ codexHome });
    expect(menu.title).toBe("61%");
    expect(menu.titles).toContain("Stored billing data could not be read.");
  } finally {
    getItem.mockImplementation(original);
  }
});

test("a __proto__ key in a stored record pollutes nothing and is dropped", async () => {
  const raw = JSON.stringify(goodRecord()).replace(/^\{/, '{"__proto__":{"polluted":true,"version":9},');
  mockControl.storage.set(storageKey("claude"), raw);
  const { stored, problem } = await loadSource(LocalStorage, "claude");
  expect(problem).toBeUndefined();
  expect(stored.credits).toEqual(claudeEuros);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(stored)).not.toContain("__proto__");
});

describe("values from the future are never fresh for ever", () => {
  test.each([
    ["an update 3 hours ahead of the clock", NOW + 3 * HOUR],
    ["an update 1 minute ahead of the clock", NOW + MINUTE],
    ["an update in the year 9999", YEAR_9999],
  ])("%s: shown as Stale, with a refresh action, and no fresh badge", async (_label, updatedAt) => {
    await store("claude", { credits: { ...claudeEuros, updatedAt }, freshUntilCredits: MAX_DATE_MS });
    const menu = await renderMenu({ codexHome, claudePlanType: "mixed" });
    const claude = menu.section("claude");
    expect(claude.map((item) => String(item.props.title))).not.toContain("Credits: €37.15");
    const stale = claude.find((item) => String(item.props.title).startsWith("Stale"));
    expect(stale?.props.title).toMatch(/^Stale: €37\.15 · updated /);
    expect(stale?.props.action ?? stale?.props.onAction).toBeDefined();
    expect(claude[0].props.subtitle).toBeUndefined();
    expect(menu.title).toBe("61%");
  });

  test("a stored FreshUntilCredits far ahead does not extend a balance past the TTL", async () => {
    await store("claude", { credits: { ...claudeEuros, updatedAt: NOW - 7 * HOUR }, freshUntilCredits: YEAR_9999 });
    const menu = await renderMenu({ codexHome, claudePlanType: "mixed" });
    expect(menu.section("claude").some((item) => String(item.props.title).startsWith("Stale: €37.15"))).toBe(true);
  });

  test("an error, attempt and cool-down from the future still render", async () => {
    await store("claude", {
      credits: claudeEuros,
      lastAttemptAt: YEAR_9999,
      coolDownUntil: YEAR_9999,
      lastError: { code: "timeout", message: "timed out", hint: "Try again later.", at: YEAR_9999 },
    });
    const menu = await renderMenu({ codexHome, claudePlanType: "mixed" });
    expect(menu.item(/^Last refresh failed: timed out/).props.tooltip).toBe("Try again later.");
    expect(menu.section("claude").map((item) => item.props.title)).toContain("Credits: €37.15");
  });
});

describe("garbage under last-local-v1:codex", () => {
  test.each(GARBAGE)("%s: no caps from it after a failed read; the next good read replaces it", async (_label, raw) => {
    await store("codex", { credits: codexCredits });
    mockControl.storage.set(lastGoodKey("codex"), raw);
    const read = jest.spyOn(sourceDefinition("codex"), "readLocal").mockRejectedValue(new Error("unreadable"));

    const failed = await renderMenu({ codexHome, codexPlanType: "mixed" });
    expect(failed.section("codex").map((item) => item.props.title)).toEqual(
      expect.arrayContaining(["Credits: $16.50", "Could not read Codex's folder"]),
    );
    expect(failed.titles.some((title) => /^(5h|Weekly|Caps as of)/.test(title))).toBe(false);
    await failed.view.unmount();

    read.mockRestore();
    const healed = await renderMenu({ codexHome });
    expect(healed.title).toBe("61%");
    expect((await loadLastGood(LocalStorage, "codex"))?.folder).toBe(codexHome);
  });
});

describe("garbage under activity-v1", () => {
  const entry = (index: number): ActivityEntry => ({
    at: NOW - index * MINUTE,
    source: "codex",
    host: "chatgpt.com",
    outcome: "updated",
    durationMs: 100,
    trigger: "test",
  });
  const ACTIVITY_GARBAGE: [string, string | number | boolean][] = [
    ["non-JSON text", "[{"],
    ["an empty string", ""],
    ["a number instead of a string", 7],
    ["a boolean instead of a string", true],
    ["a JSON object", "{}"],
    ["JSON null", "null"],
    ["entries of the wrong type", JSON.stringify([1, "two", null])],
    ["an entry with an unknown source", JSON.stringify([{ ...entry(0), source: "gemini" }])],
    ["an entry with a NaN-ish time", JSON.stringify([{ ...entry(0), at: "yesterday" }])],
    ["an entry with a 1 MB outcome", JSON.stringify([{ ...entry(0), outcome: "x".repeat(1024 * 1024) }])],
    ["an old format (a plain count)", "3"],
    ["more entries than the cap", JSON.stringify(Array.from({ length: ACTIVITY_LIMIT + 10 }, (_, i) => entry(i)))],
    ["a 5 MB string", "y".repeat(FIVE_MB)],
    ["a 5 MB JSON array", JSON.stringify(Array.from({ length: 40_000 }, (_, i) => entry(i)))],
  ];

  test.each(ACTIVITY_GARBAGE)(
    "%s: read as empty, the menu renders, and the next refresh writes a clean capped log",
    async (_label, raw) => {
      mockControl.storage.set(ACTIVITY_KEY, raw);
      await expect(loadActivity(LocalStorage)).resolves.toEqual(expect.any(Array));
      const menu = await renderMenu({ codexHome });
      expect(menu.title).toBe("61%");

      await refreshSources(["codex"], {
        store: LocalStorage,
        runProbe: async () => probeRun(codexBody),
        ttlMs: 6 * HOUR,
        now: () => NOW,
        trigger: "robustness",
      });
      const written = mockControl.storage.get(ACTIVITY_KEY);
      expect(typeof written).toBe("string");
      const parsed = JSON.parse(written as string) as ActivityEntry[];
      expect(Array.isArray(parsed)).toBe(true);
      expect(parsed.length).toBeGreaterThanOrEqual(1);
      expect(parsed.length).toBeLessThanOrEqual(ACTIVITY_LIMIT);
      expect(parsed[0]).toMatchObject({ source: "codex", outcome: "updated", trigger: "robustness" });
      expect((written as string).length).toBeLessThan(64 * 1024);
      expect(await loadActivity(LocalStorage)).toEqual(parsed);
    },
  );
});
