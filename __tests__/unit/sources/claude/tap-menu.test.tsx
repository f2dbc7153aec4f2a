import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { confirmAlert, launchCommand, LocalStorage } from "@raycast/api";
import BillingCommand from "../../../../src/billing";
import MenuBarCommand from "../../../../src/menu-bar";
import { EMPTY_SOURCE, saveSource } from "../../../../src/billing/storage";
import { lastGoodKey } from "../../../../src/sources/last-good";
import { HOUR, MINUTE, NOW } from "../../../support/builders";
import { mockControl, shownToasts } from "../../../support/raycast-api";
import { press, render, waitFor } from "../../../support/render";
import { makeTempDir } from "../../../support/temp";
import { watchProcessesAndSockets } from "../../../support/no-traffic";

const seconds = (ms: number) => Math.round(ms / 1000);

function claudeFolder(settings?: unknown): string {
  const folder = makeTempDir("agent-limits-claude-");
  if (settings !== undefined) writeFileSync(path.join(folder, "settings.json"), JSON.stringify(settings, null, 2));
  return folder;
}

function writeTapFile(folder: string, capturedAt: number, fiveHour: number, weekly: number) {
  mkdirSync(path.join(folder, "agent-limits"), { recursive: true });
  writeFileSync(
    path.join(folder, "agent-limits", "rate-limits.json"),
    JSON.stringify({
      captured_at: seconds(capturedAt),
      rate_limits: {
        five_hour: { used_percentage: fiveHour, resets_at: seconds(NOW + 2 * HOUR) },
        seven_day: { used_percentage: weekly, resets_at: seconds(NOW + 50 * HOUR) },
      },
    }),
  );
}

async function storeProbeCaps(capturedAt: number, fiveHour: number) {
  await saveSource(LocalStorage, "claude", {
    ...EMPTY_SOURCE,
    caps: {
      windows: [{ id: "5h", label: "5h", usedPercent: fiveHour, windowMinutes: 300, resetsAt: NOW + 3 * HOUR }],
      capturedAt,
      origin: "claude-usage-api",
    },
  });
}

async function menuTitles(claudeConfigDir: string) {
  mockControl.setPreferences({ codexHome: "/nonexistent/codex", claudeConfigDir });
  const view = await render(<MenuBarCommand />);
  return { view, titles: view.findAll("menubar-item").map((item) => String(item.props.title)) };
}

const billingProps = { arguments: {}, launchType: "userInitiated" as never };

/** Opens Billing Details on the Claude folder with an install or uninstall intent, as the menu does. */
async function billingIntent(folder: string, intent: "installTap" | "uninstallTap") {
  mockControl.setPreferences({ codexHome: "/nonexistent/codex", claudeConfigDir: folder });
  await render(<BillingCommand launchContext={{ intent }} {...billingProps} />);
}

/** Installs the tap from Billing Details and waits for its toast. */
async function installThroughBilling(folder: string) {
  await billingIntent(folder, "installTap");
  await waitFor(() => shownToasts.some((toast) => toast.title === "Status-line tap installed"));
}

async function uninstallThroughBilling(folder: string) {
  await billingIntent(folder, "uninstallTap");
  await waitFor(() => shownToasts.some((toast) => toast.title === "Status-line tap uninstalled"));
}

beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
});
afterEach(() => jest.restoreAllMocks());

describe("Claude caps from the status-line tap", () => {
  test("the menu shows the tap's caps and their capture time, with no network", async () => {
    const folder = claudeFolder({});
    writeTapFile(folder, NOW - 3 * MINUTE, 37, 61);
    const traffic = watchProcessesAndSockets();
    const { titles, view } = await menuTitles(folder);
    traffic.expectNone();
    expect(titles).toEqual(
      expect.arrayContaining(["5h 37% · resets in 2h", "Weekly 61% · resets in 2d 2h", "Caps as of 3m ago"]),
    );
    const captured = view.findAll("menubar-item").find((item) => item.props.title === "Caps as of 3m ago")!;
    expect(captured.props.subtitle).toBe("Claude Code status line");
    expect(view.root().props.title).toBe("61%");
  });

  test("the newer of tap and probe data wins", async () => {
    const folder = claudeFolder({});
    writeTapFile(folder, NOW - 30 * MINUTE, 10, 20);
    await storeProbeCaps(NOW - 5 * MINUTE, 44);
    expect((await menuTitles(folder)).titles).toContain("5h 44% · resets in 3h");

    writeTapFile(folder, NOW - MINUTE, 12, 20);
    const { titles } = await menuTitles(folder);
    expect(titles).toContain("5h 12% · resets in 2h");
    expect(titles).not.toContain("5h 44% · resets in 3h");
  });

  test("a tap window past its reset shows as reset", async () => {
    const folder = claudeFolder({});
    mkdirSync(path.join(folder, "agent-limits"));
    writeFileSync(
      path.join(folder, "agent-limits", "rate-limits.json"),
      JSON.stringify({
        captured_at: seconds(NOW - 6 * HOUR),
        rate_limits: { five_hour: { used_percentage: 100, resets_at: seconds(NOW - HOUR) } },
      }),
    );
    expect((await menuTitles(folder)).titles).toContain("5h reset · 0% used");
  });

  test("without the tap, the menu offers it; the offer opens the billing view to confirm", async () => {
    const folder = claudeFolder({ theme: "dark" });
    const { view, titles } = await menuTitles(folder);
    expect(titles).toContain("No Claude data yet");
    const offer = view
      .findAll("menubar-item")
      .find((item) => item.props.title === "Live Claude Caps: Install Status-Line Tap…")!;
    await press(offer);
    expect(launchCommand).toHaveBeenCalledWith({
      name: "billing",
      type: "userInitiated",
      context: { intent: "installTap", source: "claude" },
    });
  });

  test("install from the billing view: confirmation shows what changes; cancel changes nothing", async () => {
    const folder = claudeFolder({ theme: "dark", statusLine: { type: "command", command: "echo hi", padding: 1 } });
    const before = readFileSync(path.join(folder, "settings.json"), "utf8");
    mockControl.setPreferences({ codexHome: "/nonexistent/codex", claudeConfigDir: folder });
    mockControl.answerAlerts(false);
    await render(
      <BillingCommand launchContext={{ intent: "installTap" }} arguments={{}} launchType={"userInitiated" as never} />,
    );
    await waitFor(() => jest.mocked(confirmAlert).mock.calls.length > 0);
    expect(confirmAlert).toHaveBeenCalledWith(
      expect.objectContaining({ title: "Install the Claude Status-Line Tap?" }),
    );
    expect(jest.mocked(confirmAlert).mock.calls[0][0].message).toContain("settings.json");
    expect(readFileSync(path.join(folder, "settings.json"), "utf8")).toBe(before);
  });

  test("install then uninstall round trip from the billing view restores settings.json", async () => {
    const folder = claudeFolder({ theme: "dark", statusLine: { type: "command", command: "echo hi" } });
    const before = readFileSync(path.join(folder, "settings.json"), "utf8");
    await installThroughBilling(folder);
    const installed = JSON.parse(readFileSync(path.join(folder, "settings.json"), "utf8"));
    expect(installed.theme).toBe("dark");
    expect(installed.statusLine.command).toContain("claude_statusline_tap.sh");
    expect(shownToasts.at(-1)).toMatchObject({ style: "SUCCESS", title: "Status-line tap installed" });

    await uninstallThroughBilling(folder);
    expect(readFileSync(path.join(folder, "settings.json"), "utf8")).toBe(before);
  });

  test("uninstalling forgets the tap's last caps: the menu does not keep showing them", async () => {
    const folder = claudeFolder({ theme: "dark" });
    await installThroughBilling(folder);
    writeTapFile(folder, NOW - 3 * MINUTE, 37, 61);
    expect((await menuTitles(folder)).titles).toContain("5h 37% · resets in 2h");
    expect(await LocalStorage.getItem(lastGoodKey("claude"))).toEqual(expect.stringContaining('"usedPercent":37'));

    await uninstallThroughBilling(folder);
    expect(await LocalStorage.getItem(lastGoodKey("claude"))).toBeUndefined();
    const { titles } = await menuTitles(folder);
    expect(titles).not.toContain("5h 37% · resets in 2h");
    expect(titles).toContain("No Claude data yet");
  });

  test("a cancelled uninstall keeps the tap's last caps", async () => {
    const folder = claudeFolder({ theme: "dark" });
    await installThroughBilling(folder);
    writeTapFile(folder, NOW - 3 * MINUTE, 37, 61);
    await menuTitles(folder);
    const kept = await LocalStorage.getItem(lastGoodKey("claude"));
    expect(kept).toEqual(expect.any(String));

    mockControl.answerAlerts(false);
    await billingIntent(folder, "uninstallTap");
    await waitFor(() => jest.mocked(confirmAlert).mock.calls.length > 1);
    expect(await LocalStorage.getItem(lastGoodKey("claude"))).toBe(kept);
  });
});
