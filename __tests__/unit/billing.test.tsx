import { confirmAlert, LocalStorage, updateCommandMetadata } from "@raycast/api";
import fs from "node:fs";
import path from "node:path";
import type { ReactElement } from "react";
import BillingCommand from "../../src/billing";
import { installTap } from "../../src/tap/install";
import { tapPaths } from "../../src/tap/paths";
import { ACTIVITY_KEY, appendActivity } from "../../src/billing/activity";
import type { CreditReading, SourceId } from "../../src/model/types";
import { EMPTY_SOURCE, saveSource, type StoredSource } from "../../src/billing/storage";
import { HOUR, MINUTE, NOW } from "../support/builders";
import { makeCodexHome, tokenCountLine } from "../support/codex-home";
import { environment, mockControl, shownToasts } from "../support/raycast-api";
import { findAll, press, render, settle, waitFor, type HostNode } from "../support/render";
import { makeTempDir } from "../support/temp";

const codexCredits = (credits: number, updatedAt = NOW - 2 * HOUR): CreditReading => ({
  balance: { kind: "codexCredits", credits },
  usable: true,
  updatedAt,
});

async function store(source: SourceId, stored: Partial<StoredSource>) {
  await saveSource(LocalStorage, source, { ...EMPTY_SOURCE, ...stored });
}

function codexHome() {
  const resetsAt = Math.round((NOW + 2 * HOUR) / 1000);
  return makeCodexHome(
    [
      tokenCountLine({
        timestamp: NOW - 5 * MINUTE,
        primary: { used_percent: 100, window_minutes: 300, resets_at: resetsAt },
        secondary: { used_percent: 40, window_minutes: 10080, resets_at: resetsAt + 3 * 86400 },
        planType: "pro",
      }),
    ],
    new Date(NOW),
  );
}

async function renderBilling(preferences: Record<string, unknown> = {}) {
  mockControl.setPreferences({ codexHome: codexHome(), claudeConfigDir: "/nonexistent/claude", ...preferences });
  const view = await render(<BillingCommand arguments={{}} launchType={"userInitiated" as never} />);
  const items = view.findAll("list-item");
  const item = (id: string) => items.find((node) => node.props.id === id)!;
  return { view, items, item };
}

/** Element props (detail, metadata, actions) render to their own trees. */
async function propTree(element: unknown): Promise<HostNode[]> {
  return (await render(element as ReactElement)).roots();
}

async function actionsOf(node: HostNode) {
  return propTree(node.props.actions);
}

beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
});
afterEach(() => jest.restoreAllMocks());

async function detailRows(node: HostNode) {
  const [detail] = await propTree(node.props.detail);
  const labels = findAll(await propTree(detail.props.metadata), "detail-metadata-label");
  return Object.fromEntries(labels.map((label) => [String(label.props.title), String(label.props.text)]));
}

describe("billing view", () => {
  test("no data: each source says what to do, the activity says the network was never touched", async () => {
    const { item, view } = await renderBilling();
    const rows = await detailRows(item("codex"));
    expect(rows.Balance).toBe("Not fetched yet: use Refresh Billing");
    expect(rows["Plan type"]).toBe("Auto → Subscription caps");
    const activity = view.findAll("list-section").find((section) => section.props.title === "Billing Activity")!;
    expect(activity.props.subtitle).toBe("The network has not been touched: no billing refresh has run yet.");
  });

  test("fresh: balance, last updated (relative and absolute), fresh until, plan, limiter and why", async () => {
    await store("codex", { credits: codexCredits(412.5) });
    const { item } = await renderBilling();
    expect(item("codex").props.subtitle).toBe("$16.50");
    const rows = await detailRows(item("codex"));
    expect(rows.Balance).toBe("$16.50");
    expect(rows["Balance last updated"]).toMatch(/^2h ago \(.+\)$/);
    expect(rows["Fresh until"]).toMatch(/\(in 4h\)$/);
    expect(rows["Plan type"]).toBe("Auto → Mixed");
    expect(rows["Active limiter"]).toBe("Credits $16.50 (5h cap at 100 %, credits in use)");
    expect(rows["5h window"]).toBe("5h 100% · resets in 2h · limit reached");
    expect(rows["Codex credits"]).toBe("412.5 × $0.04 per credit");
  });

  test("stale: the balance is marked stale, with the time it went stale", async () => {
    await store("codex", { credits: codexCredits(412.5, NOW - 8 * HOUR) });
    const { item } = await renderBilling();
    const rows = await detailRows(item("codex"));
    expect(rows.Balance).toBe("$16.50 (stale)");
    expect(rows["Stale since"]).toMatch(/\(2h ago\)$/);
    expect(item("codex").props.icon).toMatchObject({ source: "Clock" });
  });

  test("error and rate limit: the last error with its hint, and when a refresh is allowed again", async () => {
    await store("claude", {
      credits: {
        balance: { kind: "money", money: { amount: 20, currency: "USD" } },
        usable: true,
        updatedAt: NOW - HOUR,
      },
      lastError: {
        code: "rate_limited",
        message: "rate limited",
        hint: "Try again in 5 minutes",
        at: NOW - MINUTE,
        httpStatus: 429,
      },
      coolDownUntil: NOW + 4 * MINUTE,
    });
    const { item } = await renderBilling({ claudePlanType: "usageCredits" });
    const rows = await detailRows(item("claude"));
    expect(rows["Last error"]).toBe("rate limited (1m ago)");
    expect(rows["What to do"]).toBe("Try again in 5 minutes");
    expect(rows["Rate limited"]).toMatch(/^Next refresh allowed after /);
    expect(rows.Balance).toBe("$20.00");
    expect(item("claude").props.icon).toMatchObject({ source: "Warning" });
  });

  test("actions: Refresh Billing asks first, copy as text holds the whole picture", async () => {
    await store("codex", { credits: codexCredits(412.5) });
    mockControl.answerAlerts(false);
    const { item } = await renderBilling();
    const panel = await actionsOf(item("codex"));
    const actions = findAll(panel, "action");
    expect(actions.map((action) => action.props.title)).toEqual([
      "Refresh Billing",
      "Refresh Codex Only",
      "Open Extension Preferences",
    ]);
    await press(actions[0]);
    expect(confirmAlert).toHaveBeenCalledWith(expect.objectContaining({ title: "Refresh Codex and Claude Billing?" }));
    await press(actions[1]);
    expect(confirmAlert).toHaveBeenLastCalledWith(expect.objectContaining({ title: "Refresh Codex Billing?" }));
    const copy = findAll(panel, "action-copy-to-clipboard")[0];
    expect(copy.props.content).toMatch(/^Codex\nBalance: \$16.50\nBalance last updated: 2h ago/);
    // Every row the detail shows is in the copied text.
    const rows = Object.entries(await detailRows(item("codex")));
    expect(rows.length).toBeGreaterThan(5);
    for (const [label, text] of rows) expect(copy.props.content).toContain(`${label}: ${text}`);
  });

  test("the activity log shows every probe run and when the network was last touched, by what", async () => {
    await appendActivity(LocalStorage, [
      {
        at: NOW - 3 * HOUR,
        source: "codex",
        host: "chatgpt.com",
        outcome: "updated",
        durationMs: 412,
        trigger: "Menu bar",
      },
      {
        at: NOW - 3 * HOUR,
        source: "claude",
        host: null,
        outcome: "skipped: not set up",
        durationMs: 20,
        trigger: "Menu bar",
      },
    ]);
    const { view } = await renderBilling();
    const section = view.findAll("list-section").find((node) => node.props.title === "Billing Activity")!;
    expect(section.props.subtitle).toMatch(/^Network last touched 3h ago \(.+\) by Menu bar: chatgpt.com$/);
    expect(section.children.map((child) => child.props.title)).toEqual(["Codex updated", "Claude skipped: not set up"]);
    expect(section.children[1].props.subtitle).toBe("3h ago · no request sent");
  });

  test("keeps the root-search subtitle current and stale-aware", async () => {
    await store("codex", { credits: codexCredits(412.5, NOW - 8 * HOUR) });
    await renderBilling({ codexPlanType: "mixed" });
    expect(updateCommandMetadata).toHaveBeenLastCalledWith({
      subtitle: expect.stringMatching(/^Codex \$16.50 \(stale\) · updated /),
    });
  });

  test("a bad preference is listed with a way to fix it", async () => {
    const { view } = await renderBilling({ codexCreditUnitPrice: "abc" });
    const section = view.findAll("list-section").find((node) => node.props.title === "Preferences")!;
    expect(section.children[0].props.title).toMatch(/Codex credit price “abc”/);
  });

  test("the activity log key is capped at 50 entries", async () => {
    for (let i = 0; i < 60; i++) {
      await appendActivity(LocalStorage, [
        { at: NOW - i, source: "codex", host: "chatgpt.com", outcome: "updated", durationMs: 1, trigger: "test" },
      ]);
    }
    const kept = JSON.parse(String(mockControl.storage.get(ACTIVITY_KEY))) as { at: number }[];
    expect(kept).toHaveLength(50);
    // The newest 50, newest first.
    expect([kept[0].at, kept[kept.length - 1].at]).toEqual([NOW - 59, NOW - 10]);
  });
});

describe("an installed status-line tap", () => {
  const shippedTap = () => path.join(environment.assetsPath, "probes", "claude_statusline_tap.sh");

  async function claudeFolderWithTap(copy: string | null) {
    const claudeDir = makeTempDir("agent-limits-claude-");
    fs.writeFileSync(path.join(claudeDir, "settings.json"), "{}\n");
    expect((await installTap(claudeDir, shippedTap())).ok).toBe(true);
    const { tapPath, settingsPath } = tapPaths(claudeDir);
    if (copy !== null) fs.writeFileSync(tapPath, copy);
    return { claudeDir, tapPath, settings: fs.readFileSync(settingsPath, "utf8"), settingsPath };
  }

  test("an older copy is brought to this version when Billing Details opens, and a toast says so", async () => {
    const { claudeDir, tapPath, settings, settingsPath } = await claudeFolderWithTap("# an older tap\n");
    await renderBilling({ claudeConfigDir: claudeDir });
    await waitFor(() => shownToasts.some((toast) => toast.title === "Status-line tap updated to this version"));
    expect(fs.readFileSync(tapPath).equals(fs.readFileSync(shippedTap()))).toBe(true);
    expect(fs.readFileSync(settingsPath, "utf8")).toBe(settings);
  });

  test("a copy of this version is left alone, with no toast", async () => {
    const { claudeDir, tapPath } = await claudeFolderWithTap(null);
    const inode = fs.statSync(tapPath).ino;
    await renderBilling({ claudeConfigDir: claudeDir });
    await settle(20);
    expect(fs.statSync(tapPath).ino).toBe(inode);
    expect(shownToasts.map((toast) => toast.title)).not.toContain("Status-line tap updated to this version");
  });
});
