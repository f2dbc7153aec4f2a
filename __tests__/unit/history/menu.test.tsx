/**
 * Pace and runway in the real menu-bar command: window lines, the menu bar tooltip's verdict, the
 * icon's tint, the credit line's runway, and the readings each launch records.
 */
import { LocalStorage } from "@raycast/api";
import { EMPTY_SOURCE, saveSource } from "../../../src/billing/storage";
import { ledgerKey, parseLedger, recordReadings } from "../../../src/history/ledger";
import type { CreditReading } from "../../../src/model/types";
import { capWindow, caps, HOUR, MINUTE, NOW, weeklyWindow } from "../../support/builders";
import { makeCodexHome, tokenCountLine } from "../../support/codex-home";
import { renderMenu } from "../../support/hostile-menu";
import { mockControl } from "../../support/raycast-api";

const DAY = 24 * HOUR;
const seconds = (ms: number) => Math.round(ms / 1000);
/** The 5h window started 2 hours ago and resets in 3; the weekly one started a day ago. */
const FIVE_HOUR_RESET = NOW + 3 * HOUR;
const WEEKLY_RESET = NOW + 6 * DAY;

function codexHome(fiveHour: number, weekly = 10) {
  return makeCodexHome(
    [
      tokenCountLine({
        timestamp: NOW - 2 * MINUTE,
        primary: { used_percent: fiveHour, window_minutes: 300, resets_at: seconds(FIVE_HOUR_RESET) },
        secondary: { used_percent: weekly, window_minutes: 10080, resets_at: seconds(WEEKLY_RESET) },
        planType: "plus",
      }),
    ],
    new Date(NOW),
  );
}

/** Earlier menu launches that saw the 5h window at these percentages. */
async function earlierLaunches(readings: [minutesAgo: number, percent: number][]) {
  for (const [minutesAgo, percent] of readings) {
    const at = NOW - minutesAgo * MINUTE;
    const snapshot = caps(
      [
        capWindow({ usedPercent: percent, resetsAt: FIVE_HOUR_RESET }),
        weeklyWindow({ usedPercent: 10, resetsAt: WEEKLY_RESET }),
      ],
      { capturedAt: at },
    );
    await recordReadings(LocalStorage, "codex", { caps: snapshot, balance: null }, at);
  }
}

beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
});
afterEach(() => jest.restoreAllMocks());

describe("pace in the menu", () => {
  test("a window's line: the short estimate as subtitle, in full with its data in the tooltip", async () => {
    await earlierLaunches([
      [60, 10],
      [30, 25],
    ]);
    const menu = await renderMenu({ codexHome: codexHome(40) });
    const line = menu.item("5h 40% · resets in 3h");
    // 30 % in the 58 minutes from the first reading to the current one: 60 % left lasts 1h 56m.
    expect(line.props.subtitle).toBe("runs out in ~1h 56m");
    expect(line.props.tooltip).toMatch(
      /^Resets .+ · Estimate: runs out in ~1h 56m \(resets in 3h\) at 31\.0%\/h, from 3 readings over 58m$/,
    );
    // The run-out time in the machine's own clock format (`14:20`, `2:20 PM`, `下午2:20`…).
    const runsOutAt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }).format(
      NOW + 116 * MINUTE,
    );
    expect(menu.root.props.tooltip).toMatch(/\nPace \(estimate\): Codex runs out ~.+$/);
    expect(String(menu.root.props.tooltip).endsWith(`Pace (estimate): Codex runs out ~${runsOutAt}`)).toBe(true);
  });

  test("without history, the window's average so far; a slow one lasts until reset", async () => {
    const menu = await renderMenu({ codexHome: codexHome(20) });
    const line = menu.item("5h 20% · resets in 3h");
    expect(line.props.subtitle).toBe("lasts until reset");
    expect(line.props.tooltip).toContain(
      "Estimate: lasts until reset (resets in 3h) at 10.2%/h, from the average so far: 20% in 1h 58m",
    );
    expect(menu.root.props.tooltip).toMatch(/\nPace \(estimate\): Codex lasts until reset$/);
    expect(menu.root.props.icon).toBe("Gauge");
  });

  test("0 % used: no estimate on the line", async () => {
    const menu = await renderMenu({ codexHome: codexHome(0, 0) });
    const line = menu.item("5h 0% · resets in 3h");
    expect(line.props.subtitle).toBeUndefined();
    expect(line.props.tooltip).not.toContain("Estimate");
    expect(menu.root.props.tooltip).not.toContain("Pace");
  });
});

describe("the menu bar icon's tint", () => {
  test("warning when a binding window is projected to run out before its reset", async () => {
    await earlierLaunches([[50, 5]]);
    const menu = await renderMenu({ codexHome: codexHome(40) });
    expect(menu.root.props.icon).toEqual({ source: "Gauge", tintColor: "Orange" });
  });

  test("warning at 80 %, even at a pace that lasts", async () => {
    await earlierLaunches([[50, 80]]);
    const menu = await renderMenu({ codexHome: codexHome(80) });
    expect(menu.item("5h 80% · resets in 3h").props.subtitle).toBe("lasts until reset");
    expect(menu.root.props.icon).toEqual({ source: "Gauge", tintColor: "Orange" });
  });

  test("critical at the limit; the verdict says until when", async () => {
    const menu = await renderMenu({ codexHome: codexHome(100) });
    expect(menu.root.props.icon).toEqual({ source: "Gauge", tintColor: "Red" });
    expect(menu.root.props.tooltip).toMatch(/Pace \(estimate\): Codex at its limit until /);
    expect(menu.item("5h 100% · resets in 3h").props.tooltip).toContain("Estimate: at its limit until it resets in 3h");
  });
});

describe("credit runway in the menu", () => {
  const reading = (credits: number, updatedAt: number, usable = true): CreditReading => ({
    balance: { kind: "codexCredits", credits },
    usable,
    updatedAt,
  });

  async function balanceHistory(usable: boolean) {
    // Two refreshes three days apart: 450 → 300 credits, 50 a day.
    await recordReadings(
      LocalStorage,
      "codex",
      { caps: null, balance: { at: NOW - 3 * DAY - HOUR, amount: 450, unit: "credits" } },
      NOW - 3 * DAY,
    );
    await saveSource(LocalStorage, "codex", { ...EMPTY_SOURCE, credits: reading(300, NOW - HOUR, usable) });
  }

  test("the credit line's tooltip: days left at the spend per day, from which readings", async () => {
    await balanceHistory(true);
    const menu = await renderMenu({ codexHome: codexHome(20), codexPlanType: "mixed" });
    expect(menu.item("Credits: $12.00").props.tooltip).toMatch(
      / · Estimate: ~6 days at \$2\.00\/day, from 2 readings over 3d$/,
    );
  });

  test("never for a balance that is not usable", async () => {
    await balanceHistory(false);
    const menu = await renderMenu({ codexHome: codexHome(20), codexPlanType: "mixed" });
    expect(menu.text().join("\n")).not.toContain("/day");
  });
});

describe("what a launch records", () => {
  test("the caps it read; launching again on the same data writes nothing", async () => {
    await renderMenu({ codexHome: codexHome(40) });
    const ledger = parseLedger(mockControl.storage.get(ledgerKey("codex")));
    expect(ledger.windows.map((series) => [series.id, series.points])).toEqual([
      ["5h", [[NOW - 2 * MINUTE, 40]]],
      ["weekly", [[NOW - 2 * MINUTE, 10]]],
    ]);
    jest.mocked(LocalStorage.setItem).mockClear();
    await renderMenu({ codexHome: codexHome(40) });
    expect(jest.mocked(LocalStorage.setItem).mock.calls.map(([key]) => key)).not.toContain(ledgerKey("codex"));
  });

  test("a damaged ledger is dropped: the menu shows its estimate from the average, and a new ledger starts", async () => {
    mockControl.storage.set(ledgerKey("codex"), "{not json");
    const menu = await renderMenu({ codexHome: codexHome(20) });
    expect(menu.item("5h 20% · resets in 3h").props.subtitle).toBe("lasts until reset");
    expect(menu.text().join("\n")).not.toMatch(/history|ledger/i);
    expect(parseLedger(mockControl.storage.get(ledgerKey("codex"))).windows).toHaveLength(2);
  });
});
