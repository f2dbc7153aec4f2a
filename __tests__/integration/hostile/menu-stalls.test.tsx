/**
 * Hostile machines, seen from the real menu-bar command: a source whose folder read hangs for ever,
 * throws, or briefly finds nothing it can read. The other source must still show, the menu must stop
 * loading within the load budget, and the last good local caps must stay on screen with their age.
 */
import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { LocalStorage } from "@raycast/api";
import { lastGoodKey, loadLastGood } from "../../../src/sources/last-good";
import { SOURCE_LOAD_BUDGET_MS } from "../../../src/sources/load";
import { sourceDefinition } from "../../../src/sources/registry";
import { HOUR, MINUTE, NOW } from "../../support/builders";
import { codexHomeWithCaps, renderMenu, type Menu } from "../../support/hostile-menu";
import { mockControl } from "../../support/raycast-api";
import { makeTempDir } from "../../support/temp";

/** Generous: the menu must stop loading about when the budget runs out, not seconds later. */
const LOADED_WITHIN_MS = SOURCE_LOAD_BUDGET_MS + 2500;
const seconds = (ms: number) => Math.round(ms / 1000);
const CODEX_CAPS = ["5h 37% · resets in 2h 41m", "Weekly 61% · resets in 3d 4h", "Caps as of 12m ago"];
const CLAUDE_CAPS = ["5h 20% · resets in 2h", "Weekly 44% · resets in 2d 2h", "Caps as of 3m ago"];

/** A Claude folder whose status-line tap saved 5h 20 %, weekly 44 %, three minutes ago. */
function claudeFolderWithTap(): string {
  const folder = makeTempDir("agent-limits-claude-");
  writeFileSync(path.join(folder, "settings.json"), "{}\n");
  mkdirSync(path.join(folder, "agent-limits"));
  writeFileSync(
    path.join(folder, "agent-limits", "rate-limits.json"),
    JSON.stringify({
      captured_at: seconds(NOW - 3 * MINUTE),
      rate_limits: {
        five_hour: { used_percentage: 20, resets_at: seconds(NOW + 2 * HOUR) },
        seven_day: { used_percentage: 44, resets_at: seconds(NOW + 50 * HOUR) },
      },
    }),
  );
  return folder;
}

const hangForEver = () => new Promise<never>(() => {});

async function timedMenu(preferences: Record<string, unknown>): Promise<{ menu: Menu; ms: number }> {
  const started = performance.now();
  const menu = await renderMenu(preferences);
  return { menu, ms: performance.now() - started };
}

function sectionTitles(menu: Menu, source: string): string[] {
  return menu.section(source).map((item) => String(item.props.title));
}

let codexHome: string;
let claudeConfigDir: string;
beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
  codexHome = codexHomeWithCaps();
  claudeConfigDir = claudeFolderWithTap();
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe("a source whose folder read never ends", () => {
  test("Claude hangs: Codex shows in full, Claude says why, loading ends within the budget", async () => {
    const claudeRead = jest.spyOn(sourceDefinition("claude"), "readLocal").mockImplementation(hangForEver);
    const { menu, ms } = await timedMenu({ codexHome, claudeConfigDir });

    expect(claudeRead).toHaveBeenCalled();
    expect(menu.root.props.isLoading).toBe(false);
    expect(ms).toBeLessThan(LOADED_WITHIN_MS);
    expect(menu.title).toBe("61%");
    expect(sectionTitles(menu, "codex")).toEqual(expect.arrayContaining(["Codex · Plus", ...CODEX_CAPS]));
    const problem = menu.item("Reading Claude's folder took too long");
    expect(problem.props.subtitle).toBe("Trying again at the next refresh");
    expect(sectionTitles(menu, "claude")).toEqual(["Claude", "Reading Claude's folder took too long"]);
  });

  test("Codex hangs: Claude shows in full, Codex says why", async () => {
    jest.spyOn(sourceDefinition("codex"), "readLocal").mockImplementation(hangForEver);
    const { menu, ms } = await timedMenu({ codexHome, claudeConfigDir });

    expect(menu.root.props.isLoading).toBe(false);
    expect(ms).toBeLessThan(LOADED_WITHIN_MS);
    expect(menu.title).toBe("44%");
    expect(sectionTitles(menu, "claude")).toEqual(expect.arrayContaining(CLAUDE_CAPS));
    expect(sectionTitles(menu, "codex")).toContain("Reading Codex's folder took too long");
  });

  test("both hang: the menu still stops loading, with one line per source and every action", async () => {
    for (const source of ["codex", "claude"]) {
      jest.spyOn(sourceDefinition(source), "readLocal").mockImplementation(hangForEver);
    }
    const { menu, ms } = await timedMenu({ codexHome, claudeConfigDir });

    expect(menu.root.props.isLoading).toBe(false);
    expect(ms).toBeLessThan(LOADED_WITHIN_MS);
    expect(menu.title).toBe("–");
    expect(menu.titles).toEqual(
      expect.arrayContaining([
        "Reading Codex's folder took too long",
        "Reading Claude's folder took too long",
        "Refresh Billing…",
        "Open Extension Preferences",
      ]),
    );
  });

  test("LocalStorage itself never answering: local caps still show, billing data is reported unreadable", async () => {
    const getItem = jest.mocked(LocalStorage.getItem);
    const original = getItem.getMockImplementation()!;
    getItem.mockImplementation(hangForEver);
    const { menu, ms } = await timedMenu({ codexHome, claudeConfigDir }).finally(() =>
      getItem.mockImplementation(original),
    );

    expect(menu.root.props.isLoading).toBe(false);
    expect(ms).toBeLessThan(LOADED_WITHIN_MS);
    expect(menu.title).toBe("61%");
    expect(sectionTitles(menu, "codex")).toEqual(expect.arrayContaining(CODEX_CAPS));
    expect(sectionTitles(menu, "claude")).toEqual(expect.arrayContaining(CLAUDE_CAPS));
    expect(sectionTitles(menu, "codex")).toContain("Stored billing data could not be read.");
  });

  test("a FIFO named settings.json in the Claude folder: Codex unaffected, the menu never waits on it", async () => {
    const settings = path.join(claudeConfigDir, "settings.json");
    rmSync(settings);
    execFileSync("mkfifo", [settings]);
    try {
      const { menu, ms } = await timedMenu({ codexHome, claudeConfigDir });

      expect(menu.root.props.isLoading).toBe(false);
      expect(ms).toBeLessThan(LOADED_WITHIN_MS);
      expect(sectionTitles(menu, "codex")).toEqual(expect.arrayContaining(CODEX_CAPS));
      // Whether the Claude reader skips the FIFO or stalls on it, Claude says something true.
      const claude = sectionTitles(menu, "claude");
      const showsCaps = CLAUDE_CAPS.every((title) => claude.includes(title));
      expect(showsCaps || claude.includes("Reading Claude's folder took too long")).toBe(true);
    } finally {
      releaseFifo(settings);
    }
  });
});

/** Ends any read still blocked on the FIFO: a writer that opens and closes gives the reader end-of-file. */
function releaseFifo(fifo: string) {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader is waiting.
  }
}

describe("nothing lost: the last good local caps stay after a read failure", () => {
  async function showGoodCaps() {
    const menu = await renderMenu({ codexHome, claudeConfigDir });
    expect(menu.titles).toEqual(expect.arrayContaining(CODEX_CAPS));
    await menu.view.unmount();
    expect((await loadLastGood(LocalStorage, "codex"))?.caps.windows.map((window) => window.usedPercent)).toEqual([
      37, 61,
    ]);
  }

  test("a reader that throws: the old caps, their age, and one line that says what happened", async () => {
    await showGoodCaps();
    const recordBefore = mockControl.storage.get(lastGoodKey("codex"));
    jest
      .spyOn(sourceDefinition("codex"), "readLocal")
      .mockRejectedValue(Object.assign(new Error("i/o error at /Users/someone/.codex"), { code: "EIO" }));
    const { menu, ms } = await timedMenu({ codexHome, claudeConfigDir });

    expect(ms).toBeLessThan(LOADED_WITHIN_MS);
    expect(menu.title).toBe("61%");
    expect(sectionTitles(menu, "codex")).toEqual(
      expect.arrayContaining([...CODEX_CAPS, "Could not read Codex's folder (EIO)"]),
    );
    expect(menu.item("Could not read Codex's folder (EIO)").props.subtitle).toBe(
      "Showing the last caps read; trying again at the next refresh",
    );
    expect(menu.text().some((text) => text.includes("/Users/someone"))).toBe(false);
    expect(sectionTitles(menu, "claude")).toEqual(expect.arrayContaining(CLAUDE_CAPS));
    expect(mockControl.storage.get(lastGoodKey("codex"))).toBe(recordBefore);
  });

  test("a reader that hangs: the old caps stay, with the timeout line", async () => {
    await showGoodCaps();
    jest.spyOn(sourceDefinition("codex"), "readLocal").mockImplementation(hangForEver);
    const { menu, ms } = await timedMenu({ codexHome, claudeConfigDir });

    expect(menu.root.props.isLoading).toBe(false);
    expect(ms).toBeLessThan(LOADED_WITHIN_MS);
    expect(sectionTitles(menu, "codex")).toEqual(
      expect.arrayContaining([...CODEX_CAPS, "Reading Codex's folder took too long"]),
    );
  });

  test("the sessions folder briefly replaced by a file: the old caps stay, with the reader's own message", async () => {
    await showGoodCaps();
    const sessions = path.join(codexHome, "sessions");
    renameSync(sessions, `${sessions}.away`);
    writeFileSync(sessions, "not a folder");
    const during = await renderMenu({ codexHome, claudeConfigDir });
    expect(sectionTitles(during, "codex")).toEqual(
      expect.arrayContaining([...CODEX_CAPS, "Codex sessions path is not a folder"]),
    );
    await during.view.unmount();

    rmSync(sessions);
    renameSync(`${sessions}.away`, sessions);
    const after = await renderMenu({ codexHome, claudeConfigDir });
    expect(sectionTitles(after, "codex")).toEqual(expect.arrayContaining(CODEX_CAPS));
    expect(sectionTitles(after, "codex")).not.toContain("Codex sessions path is not a folder");
  });

  test("old enough caps show as old: three hours later the same caps say so, and a passed reset shows as reset", async () => {
    await showGoodCaps();
    jest.spyOn(Date, "now").mockReturnValue(NOW + 2 * HOUR + 48 * MINUTE);
    jest.spyOn(sourceDefinition("codex"), "readLocal").mockRejectedValue(new Error("gone"));
    const menu = await renderMenu({ codexHome, claudeConfigDir });

    expect(sectionTitles(menu, "codex")).toEqual(
      expect.arrayContaining([
        "5h reset · 0% used",
        "Weekly 61% · resets in 3d 1h",
        "Caps as of 3h ago",
        "Could not read Codex's folder",
      ]),
    );
  });

  test("caps kept for another folder are not shown for a new Codex Home", async () => {
    await showGoodCaps();
    const otherHome = makeTempDir("agent-limits-codex-other-");
    jest.spyOn(sourceDefinition("codex"), "readLocal").mockRejectedValue(new Error("gone"));
    const menu = await renderMenu({ codexHome: otherHome, claudeConfigDir });

    expect(sectionTitles(menu, "codex")).toEqual(["Codex", "Could not read Codex's folder"]);
    expect(menu.item("Could not read Codex's folder").props.subtitle).toBe("Trying again at the next refresh");
  });

  test("a reader that answers with junk counts as a failed read, and the old caps stay", async () => {
    await showGoodCaps();
    const junk = [undefined, null, 42, {}, { caps: { windows: "all" } }];
    for (const answer of junk) {
      jest.spyOn(sourceDefinition("codex"), "readLocal").mockResolvedValue(answer as never);
      const menu = await renderMenu({ codexHome, claudeConfigDir });
      expect(sectionTitles(menu, "codex")).toEqual(
        expect.arrayContaining([...CODEX_CAPS, "Could not read Codex's folder"]),
      );
      await menu.view.unmount();
    }
  });
});
