/**
 * The look back in Billing Details: per source, a chart per window and one of the balance, written as
 * SVG files to the support folder and shown in the detail's Markdown, with their text alternatives in
 * the metadata rows. And a refresh records the balance it fetched.
 */
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { environment, LocalStorage } from "@raycast/api";
import type { ReactElement } from "react";
import BillingCommand from "../../../src/billing";
import type { ProbeRun } from "../../../src/billing/probe-runner";
import { refreshSources } from "../../../src/billing/refresh";
import { EMPTY_SOURCE, saveSource } from "../../../src/billing/storage";
import { ledgerKey, parseLedger, recordReadings } from "../../../src/history/ledger";
import { capWindow, caps, HOUR, MINUTE, NOW, weeklyWindow } from "../../support/builders";
import { makeCodexHome, tokenCountLine } from "../../support/codex-home";
import { fixturePath } from "../../support/paths";
import { mockControl } from "../../support/raycast-api";
import { findAll, render, type HostNode } from "../../support/render";
import { makeTempDir } from "../../support/temp";

const DAY = 24 * HOUR;
const seconds = (ms: number) => Math.round(ms / 1000);
const FIVE_HOUR_RESET = NOW + 3 * HOUR;
const WEEKLY_RESET = NOW + 6 * DAY;

function codexHome() {
  return makeCodexHome(
    [
      tokenCountLine({
        timestamp: NOW - 2 * MINUTE,
        primary: { used_percent: 40, window_minutes: 300, resets_at: seconds(FIVE_HOUR_RESET) },
        secondary: { used_percent: 30, window_minutes: 10080, resets_at: seconds(WEEKLY_RESET) },
        planType: "plus",
      }),
    ],
    new Date(NOW),
  );
}

async function seedHistory() {
  for (const [minutesAgo, percent] of [
    [90, 5],
    [60, 10],
    [30, 25],
  ]) {
    const at = NOW - minutesAgo * MINUTE;
    const windows = [
      capWindow({ usedPercent: percent, resetsAt: FIVE_HOUR_RESET }),
      weeklyWindow({ usedPercent: 28, resetsAt: WEEKLY_RESET }),
    ];
    await recordReadings(LocalStorage, "codex", { caps: caps(windows, { capturedAt: at }), balance: null }, at);
  }
  await recordReadings(
    LocalStorage,
    "codex",
    { caps: null, balance: { at: NOW - 3 * DAY - HOUR, amount: 450, unit: "credits" } },
    NOW - 3 * DAY,
  );
  await saveSource(LocalStorage, "codex", {
    ...EMPTY_SOURCE,
    credits: { balance: { kind: "codexCredits", credits: 300 }, usable: true, updatedAt: NOW - HOUR },
  });
}

async function propTree(element: unknown): Promise<HostNode[]> {
  return (await render(element as ReactElement)).roots();
}

async function codexDetail() {
  mockControl.setPreferences({ codexHome: codexHome(), claudeConfigDir: "/nonexistent/claude" });
  const view = await render(<BillingCommand arguments={{}} launchType={"userInitiated" as never} />);
  const item = view.findAll("list-item").find((node) => node.props.id === "codex")!;
  const [detail] = await propTree(item.props.detail);
  const labels = findAll(await propTree(detail.props.metadata), "detail-metadata-label");
  const rows = Object.fromEntries(labels.map((label) => [String(label.props.title), String(label.props.text)]));
  return { markdown: String(detail.props.markdown ?? ""), rows };
}

const images = (markdown: string) => [...markdown.matchAll(/!\[([^\]]*)\]\((file:[^)]+)\)/g)];

let supportPath: string;
beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
  supportPath = environment.supportPath;
});
afterEach(() => {
  environment.supportPath = supportPath;
  jest.restoreAllMocks();
});

describe("the look back in Billing Details", () => {
  test("a chart per window and one of the balance, as SVG files in the support folder", async () => {
    await seedHistory();
    const { markdown } = await codexDetail();
    const shown = images(markdown);
    expect(shown.map(([, alt]) => alt.split(/[,:]/)[0])).toEqual([
      "5h window",
      "Weekly window",
      "Balance over the last 30 days",
    ]);
    for (const [, , url] of shown) {
      const file = fileURLToPath(url);
      expect(file.startsWith(path.join(environment.supportPath, "charts"))).toBe(true);
      expect(readFileSync(file, "utf8")).toMatch(/^<svg [^>]+>[\s\S]*<\/svg>$/);
    }
    const fiveHour = readFileSync(fileURLToPath(shown[0][2]), "utf8");
    expect(fiveHour).toContain('stroke-dasharray="5 4"'); // the pace line
    expect(fiveHour.match(/<circle /g)).toHaveLength(4);
    expect(shown[0][1]).toContain("runs out in ~");
    // $18 at the most: the balance axis tops out at a round $20, its middle line at $10.
    const balanceAxis = [
      ...readFileSync(fileURLToPath(shown[2][2]), "utf8").matchAll(/text-anchor="end"[^>]*>([^<]+)</g),
    ];
    expect(balanceAxis.map(([, label]) => label)).toEqual(["$0.00", "$10.00", "$20.00", "now"]);
    expect(markdown).toContain("estimates from readings recorded on this Mac");
  });

  test("every chart has its text alternative in the rows", async () => {
    await seedHistory();
    const { rows } = await codexDetail();
    expect(rows["5h readings"]).toMatch(/^[ ▁▂▃▄▅▆▇█]*[▁▂▃▄▅▆▇█] 5% → 40% since .+ \(4 readings\)$/);
    expect(rows["5h pace (estimate)"]).toMatch(
      /^runs out in ~\S+ \S+ \(resets in 3h\) at [\d.]+%\/h, from 3 readings over 58m$/,
    );
    expect(rows["Weekly readings"]).toMatch(/28% → 30% since .+ \(3 readings\)$/);
    // 28 % → 30 % in the last 28 minutes is 4.3 %/h: faster than a week allows.
    expect(rows["Weekly pace (estimate)"]).toBe(
      "runs out in ~16h 20m (resets in 6d) at 4.3%/h, from 2 readings over 28m",
    );
    expect(rows["Balance, last 30 days"]).toMatch(/\$18\.00 → \$12\.00 since .+ \(2 readings\)$/);
    expect(rows["Runway (estimate)"]).toBe("~6 days at $2.00/day, from 2 readings over 3d");
  });

  test("the same chart is written once; a new chart gets a new file", async () => {
    await seedHistory();
    const first = images((await codexDetail()).markdown).map(([, , url]) => url);
    const inodes = () => first.map((url) => statSync(fileURLToPath(url)).ino);
    const before = inodes();
    const again = images((await codexDetail()).markdown).map(([, , url]) => url);
    expect(again).toEqual(first);
    // Not written again: the very same files.
    expect(inodes()).toEqual(before);
    jest.spyOn(Date, "now").mockReturnValue(NOW + 20 * MINUTE);
    const later = images((await codexDetail()).markdown).map(([, , url]) => url);
    expect(later[0]).not.toBe(first[0]);
  });

  test("where no image can be written, block characters with the same words", async () => {
    await seedHistory();
    const blocker = path.join(makeTempDir("agent-limits-support-"), "a-file");
    writeFileSync(blocker, "");
    environment.supportPath = blocker; // a file, not a folder: nothing can be written under it
    const { markdown } = await codexDetail();
    expect(images(markdown)).toHaveLength(0);
    expect(markdown).toMatch(/`[ ▁▂▃▄▅▆▇█]+` {2}\n5h window, used 5% → 40%/);
    expect(markdown).toContain("Balance over the last 30 days");
  });

  test("a charts folder that is a link elsewhere is not written through", async () => {
    await seedHistory();
    const support = makeTempDir("agent-limits-support-");
    const elsewhere = makeTempDir("agent-limits-elsewhere-");
    symlinkSync(elsewhere, path.join(support, "charts"));
    environment.supportPath = support;
    const { markdown } = await codexDetail();
    expect(images(markdown)).toHaveLength(0);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  test("no history and no caps: no look back", async () => {
    mockControl.setPreferences({ codexHome: "/nonexistent/codex", claudeConfigDir: "/nonexistent/claude" });
    const view = await render(<BillingCommand arguments={{}} launchType={"userInitiated" as never} />);
    const item = view.findAll("list-item").find((node) => node.props.id === "codex")!;
    const [detail] = await propTree(item.props.detail);
    expect(detail.props.markdown).toBeUndefined();
  });
});

describe("a refresh records the balance it fetched", () => {
  test("usable Codex credits go into the ledger, at the fetch time", async () => {
    const stdout = readFileSync(fixturePath("codex-usage/pro-with-credits-and-spark.json"), "utf8");
    const run: ProbeRun = { exitCode: 0, stdout, timedOut: false, truncated: false, durationMs: 5 };
    await refreshSources(["codex"], {
      store: LocalStorage,
      runProbe: async () => run,
      ttlMs: 6 * HOUR,
      now: () => NOW,
    });
    expect(parseLedger(mockControl.storage.get(ledgerKey("codex"))).balance).toEqual({
      unit: "credits",
      points: [[NOW, 412.5]],
    });
  });

  test("a failed refresh records nothing", async () => {
    const run: ProbeRun = { exitCode: 10, stdout: "", timedOut: false, truncated: false, durationMs: 5 };
    await refreshSources(["codex"], {
      store: LocalStorage,
      runProbe: async () => run,
      ttlMs: 6 * HOUR,
      now: () => NOW,
    });
    expect(mockControl.storage.get(ledgerKey("codex"))).toBeUndefined();
  });
});
