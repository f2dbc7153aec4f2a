import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchCommand, LocalStorage, open, openExtensionPreferences } from "@raycast/api";
import { mockControl } from "../support/raycast-api";
import MenuBarCommand from "../../src/menu-bar";
import type { CreditReading, SourceId } from "../../src/model/types";
import { EMPTY_SOURCE, saveSource, storageKey, type StoredSource } from "../../src/billing/storage";
import { HOUR, MINUTE, NOW } from "../support/builders";
import { makeCodexHome, tokenCountLine } from "../support/codex-home";
import { press, render, type HostNode } from "../support/render";
import { makeTempDir } from "../support/temp";
import { watchProcessesAndSockets } from "../support/no-traffic";

const seconds = (ms: number) => Math.round(ms / 1000);

function codexHome(options: { fiveHour?: number; weekly?: number; fiveHourResetsAt?: number } = {}) {
  return makeCodexHome(
    [
      tokenCountLine({
        timestamp: NOW - 12 * MINUTE,
        primary: {
          used_percent: options.fiveHour ?? 37,
          window_minutes: 300,
          resets_at: seconds(options.fiveHourResetsAt ?? NOW + 2 * HOUR + 41 * MINUTE),
        },
        secondary: { used_percent: options.weekly ?? 61, window_minutes: 10080, resets_at: seconds(NOW + 76 * HOUR) },
        planType: "plus",
      }),
    ],
    new Date(NOW),
  );
}

function codexCredits(credits: number, updatedAt = NOW - HOUR): CreditReading {
  return { balance: { kind: "codexCredits", credits }, usable: true, updatedAt };
}

async function store(source: SourceId, stored: Partial<StoredSource>) {
  await saveSource(LocalStorage, source, { ...EMPTY_SOURCE, ...stored });
}

async function renderMenu(preferences: Record<string, unknown>) {
  mockControl.setPreferences({ claudeConfigDir: "/nonexistent/claude", ...preferences });
  const view = await render(<MenuBarCommand />);
  const items = view.findAll("menubar-item");
  return {
    view,
    root: view.root(),
    items,
    titles: items.map((item) => String(item.props.title)),
    item: (title: string | RegExp): HostNode => {
      const found = items.find((item) =>
        typeof title === "string" ? item.props.title === title : title.test(String(item.props.title)),
      );
      if (!found) throw new Error(`no item ${title} in ${items.map((i) => i.props.title).join(" | ")}`);
      return found;
    },
  };
}

beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe("menu bar from Codex session logs", () => {
  test("title is the binding percent; the Codex section shows both windows, plan and capture time", async () => {
    const menu = await renderMenu({ codexHome: codexHome() });
    expect(menu.root.props.isLoading).toBe(false);
    expect(menu.root.props.title).toBe("61%");
    expect(menu.titles).toEqual(
      expect.arrayContaining([
        "Codex · Plus",
        "5h 37% · resets in 2h 41m",
        "Weekly 61% · resets in 3d 4h",
        "Caps as of 12m ago",
        "Refresh Billing…",
        "Billing Details",
        "Open Codex Usage Dashboard",
        "Open Extension Preferences",
      ]),
    );
    expect(menu.item("5h 37% · resets in 2h 41m").props.icon).toBeDefined();
    expect(menu.item("Caps as of 12m ago").props.subtitle).toBe("Codex session log");
  });

  test("a window whose reset has passed shows as reset and no longer binds", async () => {
    const menu = await renderMenu({ codexHome: codexHome({ fiveHour: 100, fiveHourResetsAt: NOW - MINUTE }) });
    expect(menu.titles).toContain("5h reset · 0% used");
    expect(menu.root.props.title).toBe("61%");
  });

  test("no Codex home: the menu says why and what to do, and the rest still works", async () => {
    const menu = await renderMenu({ codexHome: "/nonexistent/codex home" });
    expect(menu.root.props.title).toBe("–");
    expect(menu.item("Codex").props.subtitle).toBeUndefined();
    expect(menu.item("Codex folder not found").props.subtitle).toBe(
      "Install Codex, or check the Codex Home preference.",
    );
    await press(menu.item("Refresh Billing…"));
    expect(launchCommand).toHaveBeenCalledWith({
      name: "refresh-billing",
      type: "userInitiated",
      context: { trigger: "Menu bar" },
    });
  });

  test("someone without Codex or Claude Code sees what to do, not an error", async () => {
    const home = makeTempDir("agent-limits-home-");
    jest.spyOn(os, "homedir").mockReturnValue(home);
    const menu = await renderMenu({ codexHome: "", claudeConfigDir: "" });
    expect(menu.titles[0]).toBe("No usage data yet");
    expect(menu.titles.some((title) => /not found/.test(title))).toBe(false);
  });

  test("a Claude Config Folder that does not exist says so", async () => {
    const menu = await renderMenu({ codexHome: codexHome(), claudeConfigDir: "/nonexistent/claude" });
    expect(menu.item("Claude folder not found").props.subtitle).toBe("Check the Claude Config Folder preference.");
  });

  test("footer actions reach the billing view, preferences and dashboards", async () => {
    const menu = await renderMenu({ codexHome: codexHome() });
    await press(menu.item("Billing Details"));
    expect(launchCommand).toHaveBeenCalledWith({ name: "billing", type: "userInitiated" });
    await press(menu.item("Open Extension Preferences"));
    expect(openExtensionPreferences).toHaveBeenCalled();
    await press(menu.item("Open Codex Usage Dashboard"));
    expect(open).toHaveBeenCalledWith("https://chatgpt.com/codex/settings/usage");
  });

  test("a bad preference shows one clear line that opens preferences", async () => {
    const menu = await renderMenu({ codexHome: codexHome(), codexCreditUnitPrice: "abc" });
    const line = menu.item(/Codex credit price “abc”/);
    await press(line);
    expect(openExtensionPreferences).toHaveBeenCalled();
    expect(menu.root.props.title).toBe("61%");
  });

  test("a log dated ahead of the clock does not beat today's caps, and the menu says it was ignored", async () => {
    const home = codexHome({ fiveHour: 37 });
    const ahead = new Date(NOW + 300 * 24 * HOUR);
    const [year, month, day] = [ahead.getFullYear(), ahead.getMonth() + 1, ahead.getDate()].map((n) =>
      String(n).padStart(2, "0"),
    );
    const folder = path.join(home, "sessions", year, month, day);
    mkdirSync(folder, { recursive: true });
    const future = tokenCountLine({
      timestamp: ahead.getTime(),
      primary: { used_percent: 99, window_minutes: 300, resets_at: seconds(ahead.getTime() + HOUR) },
      planType: "plus",
    });
    writeFileSync(
      path.join(folder, `rollout-${year}-${month}-${day}T10-00-00-019a1f3e-7c2d-7b41-9e0a-3f6d2c1b8a78.jsonl`),
      `${future}\n`,
    );
    const menu = await renderMenu({ codexHome: home });
    expect(menu.titles).toContain("5h 37% · resets in 2h 41m");
    expect(menu.titles.join("\n")).not.toMatch(/99%|in 10mo/);
    expect(menu.item(/dated in the future/).props.title).toMatch(/check this Mac's clock/);
    await menu.view.unmount();
  });

  test("the interval launch reads local data only: no probe, no network", async () => {
    mockControl.setLaunchType("background" as never);
    const traffic = watchProcessesAndSockets();
    const menu = await renderMenu({ codexHome: codexHome() });
    expect(menu.root.props.title).toBe("61%");
    traffic.expectNone();
    expect(launchCommand).not.toHaveBeenCalled();
  });
});

describe("credits in the menu", () => {
  test("mixed plan, fresh balance: a Credits line with its tooltip, the header badge, caps still bind", async () => {
    await store("codex", { credits: codexCredits(412.5) });
    const menu = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed" });
    const line = menu.item("Credits: $16.50");
    expect(line.props.tooltip).toMatch(/^Updated 1h ago .* · fresh until /);
    expect(menu.item("Codex · Plus").props.subtitle).toBe("Credits: $16.50");
    expect(menu.root.props.title).toBe("61%");
    await press(line);
    expect(launchCommand).toHaveBeenCalledWith({ name: "billing", type: "userInitiated" });
  });

  test("prefer credits: the title shows the money while the balance is fresh", async () => {
    await store("codex", { credits: codexCredits(412.5) });
    const menu = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed", preferCredits: true });
    expect(menu.root.props.title).toBe("$16.50");
  });

  test("an exhausted cap with usable credit: the title shows the money", async () => {
    await store("codex", { credits: codexCredits(412.5) });
    const menu = await renderMenu({ codexHome: codexHome({ fiveHour: 100 }) });
    expect(menu.root.props.title).toBe("$16.50");
  });

  test("past the TTL: a Stale line that launches Refresh Billing, no badge", async () => {
    await store("codex", { credits: codexCredits(412.5, NOW - 7 * HOUR) });
    const menu = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed" });
    const stale = menu.item(/^Stale/);
    expect(stale.props.title).toBe("Stale: $16.50 · updated 7h ago");
    expect(menu.item("Codex · Plus").props.subtitle).toBeUndefined();
    await press(stale);
    expect(launchCommand).toHaveBeenCalledWith({
      name: "refresh-billing",
      type: "userInitiated",
      context: { trigger: "Menu bar", sources: ["codex"] },
    });
  });

  test("a stale balance in the title turns the menu bar icon into a clock and says so", async () => {
    await store("codex", { credits: codexCredits(412.5, NOW - 7 * HOUR) });
    const menu = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed", preferCredits: true });
    // Prefer credits needs a fresh balance: a stale one leaves the caps in charge.
    // The gauge is tinted: at its average so far (61 % in 92 h) the weekly window runs out before it resets.
    expect(menu.root.props).toMatchObject({ title: "61%", icon: { source: "Gauge", tintColor: "Orange" } });
    await menu.view.unmount();
    const usage = await renderMenu({ codexHome: "/nonexistent/codex", codexPlanType: "usageCredits" });
    expect(usage.root.props).toMatchObject({ title: "$16.50", icon: "Clock" });
    expect(usage.root.props.tooltip).toContain("(stale: Refresh Billing)");
  });

  test("a longer TTL applies to a balance already stored", async () => {
    await store("codex", { credits: codexCredits(412.5, NOW - 7 * HOUR) });
    const menu = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed", creditTtlHours: "12" });
    expect(menu.titles).toContain("Credits: $16.50");
  });

  test("two stale sources never give two identical items", async () => {
    await store("codex", { credits: codexCredits(250, NOW - 8 * HOUR) });
    await store("claude", {
      credits: {
        balance: { kind: "money", money: { amount: 10, currency: "USD" } },
        usable: true,
        updatedAt: NOW - 8 * HOUR,
      },
    });
    const menu = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed", claudePlanType: "usageCredits" });
    const stale = menu.items.filter((item) => String(item.props.title).startsWith("Stale"));
    expect(stale).toHaveLength(2);
    const [a, b] = stale.map((item) => JSON.stringify({ ...item.props, onAction: undefined }));
    expect(a).not.toEqual(b);
  });

  test("never for a subscription-caps plan, nor with Show Credits off", async () => {
    await store("codex", { credits: codexCredits(412.5) });
    const caps = await renderMenu({ codexHome: codexHome(), codexPlanType: "subscriptionCaps" });
    expect(caps.titles.some((title) => /Credits|Stale/.test(title))).toBe(false);
    await caps.view.unmount();
    const hidden = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed", showCredits: false });
    expect(hidden.titles.some((title) => /Credits|Stale/.test(title))).toBe(false);
    expect(hidden.item("Codex · Plus").props.subtitle).toBeUndefined();
  });

  test("a low balance is marked", async () => {
    await store("codex", { credits: codexCredits(100) });
    const menu = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed" });
    expect(menu.item("Credits: $4.00").props.subtitle).toBe("Low");
  });

  test("Claude's balance shows in its own currency", async () => {
    await store("claude", {
      credits: {
        balance: { kind: "money", money: { amount: 37.15, currency: "EUR" } },
        usable: true,
        limit: { amount: 50, currency: "EUR" },
        updatedAt: NOW - HOUR,
      },
    });
    const menu = await renderMenu({ codexHome: codexHome(), claudePlanType: "mixed" });
    expect(menu.titles).toContain("Credits: €37.15");
  });

  test("a failed refresh keeps the last good balance on screen and says why", async () => {
    await store("codex", {
      credits: codexCredits(412.5),
      lastError: {
        code: "auth_expired",
        message: "login expired or rejected",
        hint: "Run codex once",
        at: NOW - MINUTE,
      },
    });
    const menu = await renderMenu({ codexHome: codexHome(), codexPlanType: "mixed" });
    expect(menu.titles).toContain("Credits: $16.50");
    expect(menu.item(/^Last refresh failed/).props.tooltip).toBe("Run codex once");
  });

  test("corrupt storage is ignored with a message, the caps still show", async () => {
    mockControl.storage.set(storageKey("codex"), "{not json");
    const menu = await renderMenu({ codexHome: codexHome() });
    expect(menu.titles).toContain("Stored billing data was corrupt and was ignored.");
    expect(menu.root.props.title).toBe("61%");
  });
});
