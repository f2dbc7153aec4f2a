/**
 * The rendered menu-bar command and billing view with real local data: the Codex balance that comes
 * free with the session log, the Claude plan from the credentials file, and a Claude answer without
 * usage, all as the user sees them.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { launchCommand, LocalStorage } from "@raycast/api";
import BillingCommand from "../../src/billing";
import { refreshSources } from "../../src/billing/refresh";
import { EMPTY_SOURCE, saveSource } from "../../src/billing/storage";
import type { CreditReading } from "../../src/model/types";
import { summarizeOutcomes } from "../../src/view/refresh-summary";
import { answerFixture } from "../support/answers";
import { HOUR, MINUTE, NOW } from "../support/builders";
import { makeCodexHome, tokenCountLine } from "../support/codex-home";
import { renderMenu } from "../support/hostile-menu";
import { mockControl } from "../support/raycast-api";
import { findAll, press, render } from "../support/render";
import { makeTempDir } from "../support/temp";
import { watchProcessesAndSockets } from "../support/no-traffic";

const seconds = (ms: number) => Math.round(ms / 1000);

/** A Codex home whose newest line says 5h 37 %, weekly 61 % and, like sample A, 412.5 credits. */
function codexHomeWithBalance(loggedAt = NOW - 12 * MINUTE, balance: string | null = "412.5") {
  return makeCodexHome(
    [
      tokenCountLine({
        timestamp: loggedAt,
        primary: { used_percent: 37, window_minutes: 300, resets_at: seconds(NOW + 2 * HOUR) },
        secondary: { used_percent: 61, window_minutes: 10080, resets_at: seconds(NOW + 76 * HOUR) },
        planType: "plus",
        credits: { has_credits: true, unlimited: false, balance },
      }),
    ],
    new Date(NOW),
  );
}

function fetchedCodexCredits(credits: number, updatedAt: number): CreditReading {
  return { balance: { kind: "codexCredits", credits }, usable: true, updatedAt, origin: "usage-api" };
}

beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
});
afterEach(() => jest.restoreAllMocks());

describe("the Codex balance from the session log: no network, no confirmation", () => {
  test("shown as the Codex balance with its capture time and origin, badge included", async () => {
    const spawn = jest.spyOn(jest.requireActual<typeof import("node:child_process")>("node:child_process"), "spawn");
    const menu = await renderMenu({ codexHome: codexHomeWithBalance() });
    expect(menu.title).toBe("61%");
    const line = menu.item("Credits: $16.50");
    expect(line.props.tooltip).toMatch(/^Updated 12m ago \(.+\) from the Codex session log · fresh until /);
    expect(menu.item("Codex · Plus").props.subtitle).toBe("Credits: $16.50");
    expect(spawn).not.toHaveBeenCalled();
    expect(launchCommand).not.toHaveBeenCalled();
  });

  test("between a fetched balance and a logged one, the newer wins", async () => {
    await saveSource(LocalStorage, "codex", {
      ...EMPTY_SOURCE,
      credits: fetchedCodexCredits(100, NOW - 5 * MINUTE),
    });
    const fetchedNewer = await renderMenu({ codexHome: codexHomeWithBalance() });
    expect(fetchedNewer.item("Credits: $4.00").props.tooltip).toContain("by Refresh Billing");
    await fetchedNewer.view.unmount();

    await saveSource(LocalStorage, "codex", { ...EMPTY_SOURCE, credits: fetchedCodexCredits(100, NOW - HOUR) });
    const loggedNewer = await renderMenu({ codexHome: codexHomeWithBalance() });
    expect(loggedNewer.titles).toContain("Credits: $16.50");
  });

  test("a logged balance past the freshness time is Stale, measured from its capture; the line refreshes", async () => {
    const menu = await renderMenu({ codexHome: codexHomeWithBalance(NOW - 7 * HOUR) });
    const stale = menu.item(/^Stale/);
    expect(stale.props.title).toBe("Stale: $16.50 · updated 7h ago");
    expect(menu.item("Codex · Plus").props.subtitle).toBeUndefined();
    await press(stale);
    expect(launchCommand).toHaveBeenCalledWith(
      expect.objectContaining({ name: "refresh-billing", context: { trigger: "Menu bar", sources: ["codex"] } }),
    );
  });

  test("a logged has_credits with no balance is not a balance: caps only", async () => {
    const menu = await renderMenu({ codexHome: codexHomeWithBalance(NOW - 12 * MINUTE, null) });
    expect(menu.titles.some((title) => /^(Credits|Stale)/.test(title))).toBe(false);
    expect(menu.item("Codex · Plus").props.subtitle).toBeUndefined();
  });

  test("the billing view says where the balance came from", async () => {
    mockControl.setPreferences({ codexHome: codexHomeWithBalance(), claudeConfigDir: "/nonexistent/claude" });
    const view = await render(<BillingCommand arguments={{}} launchType={"userInitiated" as never} />);
    const codex = view.findAll("list-item").find((node) => node.props.id === "codex")!;
    const [detail] = (await render(codex.props.detail as never)).roots();
    const labels = findAll((await render(detail.props.metadata as never)).roots(), "detail-metadata-label");
    const rows = Object.fromEntries(labels.map((label) => [String(label.props.title), String(label.props.text)]));
    expect(rows).toMatchObject({ Balance: "$16.50", "Balance from": "Codex session log", Plan: "Plus" });
    expect(codex.props.subtitle).toBe("$16.50");
  });
});

describe("a Codex log whose newest reading is another bucket", () => {
  test("right after the limit was hit (a premium reading only): the plan and no API-key talk", async () => {
    const premium = answerFixture("synthetic", "codex-sessions", "premium-only-after-limit.jsonl")
      .trim()
      .split("\n")
      .map((line) => line.replace("2026-10-12T13:59", new Date(NOW - 5 * MINUTE).toISOString().slice(0, 16)));
    const menu = await renderMenu({ codexHome: makeCodexHome(premium, new Date(NOW)) });
    expect(menu.section("codex").map((item) => item.props.title)).toEqual([
      "Codex · Plus",
      "No limit windows reported · 4m ago",
    ]);
    expect(menu.text().join(" ")).not.toMatch(/API-key|No rate limits/);
  });
});

describe("Claude in the menu", () => {
  function claudeFolder(credentials: string | null): string {
    const folder = makeTempDir("agent-limits-claude-");
    if (credentials !== null) writeFileSync(path.join(folder, ".credentials.json"), credentials);
    return folder;
  }

  test("the plan comes from the local credentials file, with no network", async () => {
    const folder = claudeFolder(
      answerFixture("real", "claude-credentials", "max-no-refresh-token-quota-axi-pr63.json"),
    );
    await saveSource(LocalStorage, "claude", {
      ...EMPTY_SOURCE,
      caps: {
        windows: [{ id: "5h", label: "5h", usedPercent: 20, windowMinutes: 300, resetsAt: NOW + HOUR }],
        capturedAt: NOW - MINUTE,
        origin: "claude-usage-api",
      },
    });
    const traffic = watchProcessesAndSockets();
    const menu = await renderMenu({ codexHome: "/nonexistent/codex", claudeConfigDir: folder });
    expect(menu.section("claude")[0].props.title).toBe("Claude · Max");
    traffic.expectNone();
  });

  test("an answer of {} is a failed refresh that says how to fix it, not 'No Claude data yet'", async () => {
    const folder = claudeFolder(null);
    const outcomes = await refreshSources(["claude"], {
      store: LocalStorage,
      runProbe: async () => ({ exitCode: 0, stdout: "{}\n", timedOut: false, truncated: false, durationMs: 3 }),
      ttlMs: 6 * HOUR,
      now: () => NOW,
    });
    expect(summarizeOutcomes(outcomes)).toMatchObject({ success: false, title: "Billing refresh failed" });
    const menu = await renderMenu({ codexHome: "/nonexistent/codex", claudeConfigDir: folder });
    const error = menu.item("Last refresh failed: Claude answered without usage data");
    expect(error.props.tooltip).toContain("Log in with `claude`");
    expect(menu.titles).not.toContain("No Claude data yet");
    expect(menu.titles).toContain("Live Claude Caps: Install Status-Line Tap…");
  });
});
