/**
 * Hostile provider bodies, through the real adapters and then through the menu after a stored
 * refresh: out-of-range percentages, reset times in the past, at epoch 0, before it or in the year
 * 9999, amounts that look 100× off, and currencies Intl does not know. Nothing crashes, nothing is
 * stored that the menu cannot show, and a suspicious amount carries a visible warning.
 */
import { LocalStorage } from "@raycast/api";
import { adaptClaudeUsage, HUNDREDFOLD_WARNING } from "../../../src/sources/claude/usage-adapter";
import { adaptCodexUsage } from "../../../src/sources/codex/usage-adapter";
import type { AdapterOutcome } from "../../../src/sources/parse";
import type { SourceId } from "../../../src/model/types";
import type { ProbeRun } from "../../../src/billing/probe-runner";
import { refreshSources, type RefreshOutcome } from "../../../src/billing/refresh";
import { capsSnapshotSchema, creditReadingSchema } from "../../../src/model/schemas";
import { EMPTY_SOURCE, loadSource, saveSource } from "../../../src/billing/storage";
import { HOUR, MINUTE, NOW } from "../../support/builders";
import { makeCodexHome, tokenCountLine } from "../../support/codex-home";
import { renderMenu, type Menu } from "../../support/hostile-menu";

const TTL = 6 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => Math.round(ms / 1000);
const YEAR_9999_S = seconds(Date.parse("9999-12-31T23:59:59Z"));
const RESETS_IN_2H = "resets in 2h";
const UNKNOWN = "reset time unknown";

const run = (stdout: string): ProbeRun => ({ exitCode: 0, stdout, timedOut: false, truncated: false, durationMs: 5 });

/** Runs the real refresh with this body as the probe's stdout, then renders the menu from storage. */
async function refreshThenRender(source: SourceId, body: unknown): Promise<{ outcome: RefreshOutcome; menu: Menu }> {
  const stdout = typeof body === "string" ? body : JSON.stringify(body);
  const [outcome] = await refreshSources([source], {
    store: LocalStorage,
    runProbe: async () => run(stdout),
    ttlMs: TTL,
    now: () => NOW,
  });
  const menu = await renderMenu({
    codexHome: "/nonexistent/codex",
    claudePlanType: "mixed",
    codexPlanType: "mixed",
  });
  return { outcome, menu };
}

function expectStorable(outcome: AdapterOutcome) {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.message}`);
  const { caps, credits } = outcome.result;
  if (caps) expect(capsSnapshotSchema.safeParse(caps).success).toBe(true);
  if (credits) expect(creditReadingSchema.safeParse(credits).success).toBe(true);
  for (const window of caps?.windows ?? []) {
    expect(window.usedPercent).toBeGreaterThanOrEqual(0);
    expect(window.usedPercent).toBeLessThanOrEqual(100);
  }
  return outcome.result;
}

beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe("Claude windows with hostile percentages and reset times", () => {
  test.each<[string, string, unknown, unknown]>([
    ["a percent over 100", `5h 100% · ${RESETS_IN_2H}`, 150, iso(NOW + 2 * HOUR)],
    ["a percent of 1e308", `5h 100% · ${RESETS_IN_2H}`, 1e308, iso(NOW + 2 * HOUR)],
    ["a negative percent", `5h 0% · ${RESETS_IN_2H}`, -20, iso(NOW + 2 * HOUR)],
    ["a percent as a string", `5h 100% · ${RESETS_IN_2H}`, "250", iso(NOW + 2 * HOUR)],
    ["a percent just under 100", `5h 99% · ${RESETS_IN_2H}`, 99.6, iso(NOW + 2 * HOUR)],
    ["a percent just over 0", `5h <1% · ${RESETS_IN_2H}`, 0.2, iso(NOW + 2 * HOUR)],
    ["a reset in the past", "5h reset · 0% used", 80, iso(NOW - HOUR)],
    ["a reset at epoch 0", `5h 80% · ${UNKNOWN}`, 80, "1970-01-01T00:00:00Z"],
    ["a reset before 1970", `5h 80% · ${UNKNOWN}`, 80, "1969-07-20T20:17:40Z"],
    ["a reset in the year 9999", "5h 80% · resets in over a year", 80, "9999-12-31T23:59:59Z"],
    ["a reset after the year 9999", `5h 80% · ${UNKNOWN}`, 80, "+010000-01-01T00:00:00Z"],
    ["a reset at the end of what a Date holds", `5h 80% · ${UNKNOWN}`, 80, "+275760-09-13T00:00:00Z"],
    ["a reset that is not a date", `5h 80% · ${UNKNOWN}`, 80, "soon"],
    ["a reset with an impossible day", `5h 80% · ${UNKNOWN}`, 80, "2026-02-31T00:00:00Z"],
  ])("%s: storable, and the menu shows %p", async (_label, line, utilization, resetsAt) => {
    const body = { five_hour: { utilization, resets_at: resetsAt } };
    expectStorable(adaptClaudeUsage(JSON.stringify(body), NOW));
    const { outcome, menu } = await refreshThenRender("claude", body);
    expect(outcome.status).toBe("updated");
    expect(menu.section("claude").map((item) => item.props.title)).toContain(line);
    // A window at 100 % is a reached limit: the title says so in words.
    expect(menu.title).toMatch(/^(\d{1,3}%|<1%|Limit reached)$/);
    expect(menu.title === "Limit reached").toBe(line.startsWith("5h 100%"));
    for (const item of menu.items) expect(String(item.props.tooltip ?? "")).not.toMatch(/Invalid|NaN|Infinity/);
  });
});

describe("Codex windows with hostile percentages and reset times", () => {
  const window = (fields: Record<string, unknown>) => ({
    rate_limit: { primary_window: { limit_window_seconds: 18000, ...fields } },
  });
  test.each<[string, string, Record<string, unknown>]>([
    ["a percent over 100", `5h 100% · ${RESETS_IN_2H}`, { used_percent: 150, reset_at: seconds(NOW + 2 * HOUR) }],
    ["a negative percent", `5h 0% · ${RESETS_IN_2H}`, { used_percent: -5, reset_at: seconds(NOW + 2 * HOUR) }],
    ["a percent of 1e308", `5h 100% · ${RESETS_IN_2H}`, { used_percent: 1e308, reset_at: seconds(NOW + 2 * HOUR) }],
    ["a reset in the past", "5h reset · 0% used", { used_percent: 90, reset_at: seconds(NOW - HOUR) }],
    ["a reset at epoch 0", `5h 90% · ${UNKNOWN}`, { used_percent: 90, reset_at: 0 }],
    ["a negative reset", `5h 90% · ${UNKNOWN}`, { used_percent: 90, reset_at: -86400 }],
    ["a reset in the year 9999", "5h 90% · resets in over a year", { used_percent: 90, reset_at: YEAR_9999_S }],
    ["a reset after the year 9999", `5h 90% · ${UNKNOWN}`, { used_percent: 90, reset_at: 1e13 }],
    ["a reset of 1e308 seconds", `5h 90% · ${UNKNOWN}`, { used_percent: 90, reset_at: 1e308 }],
    ["a reset that already passed, relative", "5h reset · 0% used", { used_percent: 90, reset_after_seconds: -3600 }],
    ["a relative reset of 1e300 seconds", `5h 90% · ${UNKNOWN}`, { used_percent: 90, reset_after_seconds: 1e300 }],
  ])("%s: storable, and the menu shows %p", async (_label, line, fields) => {
    const body = window(fields);
    expectStorable(adaptCodexUsage(JSON.stringify(body), NOW));
    const { outcome, menu } = await refreshThenRender("codex", body);
    expect(outcome.status).toBe("updated");
    expect(menu.section("codex").map((item) => item.props.title)).toContain(line);
    for (const item of menu.items) expect(String(item.props.tooltip ?? "")).not.toMatch(/Invalid|NaN|Infinity/);
  });
});

describe("Codex session logs (the free, local path) with hostile percentages and reset times", () => {
  test.each<[string, string, number, number | null]>([
    ["a percent over 100", `5h 100% · ${RESETS_IN_2H}`, 250, seconds(NOW + 2 * HOUR)],
    ["a percent of 1e308", `5h 100% · ${RESETS_IN_2H}`, 1e308, seconds(NOW + 2 * HOUR)],
    ["a negative percent", `5h 0% · ${RESETS_IN_2H}`, -1, seconds(NOW + 2 * HOUR)],
    ["a reset in the past", "5h reset · 0% used", 70, seconds(NOW - HOUR)],
    ["a reset at epoch 0", `5h 70% · ${UNKNOWN}`, 70, 0],
    ["a negative reset", `5h 70% · ${UNKNOWN}`, 70, -5],
    ["a reset in the year 9999", "5h 70% · resets in over a year", 70, YEAR_9999_S],
    ["a reset of 1e20 seconds", `5h 70% · ${UNKNOWN}`, 70, 1e20],
    ["a reset of 1e308 seconds", `5h 70% · ${UNKNOWN}`, 70, 1e308],
  ])("%s: the menu shows %p", async (_label, line, usedPercent, resetsAt) => {
    const home = makeCodexHome(
      [
        tokenCountLine({
          timestamp: NOW - MINUTE,
          primary: { used_percent: usedPercent, window_minutes: 300, resets_at: resetsAt },
        }),
      ],
      new Date(NOW),
    );
    const menu = await renderMenu({ codexHome: home });
    expect(menu.section("codex").map((item) => item.props.title)).toContain(line);
    for (const item of menu.items) expect(String(item.props.tooltip ?? "")).not.toMatch(/Invalid|NaN|Infinity/);
  });
});

describe("amounts that look 100× off against the utilization", () => {
  test.each<[string, Record<string, unknown>]>([
    [
      "used in major units, limit in minor units",
      { extra_usage: { is_enabled: true, monthly_limit: 5000, used_credits: 12.5, utilization: 25, currency: "USD" } },
    ],
    [
      "used in minor units ×100",
      {
        extra_usage: { is_enabled: true, monthly_limit: 5000, used_credits: 125000, utilization: 25, currency: "USD" },
      },
    ],
    [
      "the newer spend block, used in major units",
      {
        spend: {
          used: { amount_minor: 4.5, currency: "GBP", exponent: 2 },
          limit: { amount_minor: 3000, currency: "GBP", exponent: 2 },
          percent: 15,
          enabled: true,
        },
      },
    ],
  ])("%s: a warning in the credit line, not a silently wrong number", async (_label, body) => {
    const adapted = expectStorable(adaptClaudeUsage(JSON.stringify(body), NOW));
    expect(adapted.warnings).toContain(HUNDREDFOLD_WARNING);
    const { outcome, menu } = await refreshThenRender("claude", body);
    expect(outcome).toMatchObject({ status: "updated", warnings: expect.arrayContaining([HUNDREDFOLD_WARNING]) });
    const line = menu.section("claude").find((item) => String(item.props.title).startsWith("Credits: "));
    expect(line).toBeDefined();
    expect(line!.props.subtitle).toBeDefined();
    expect(String(line!.props.tooltip)).toContain(HUNDREDFOLD_WARNING);
    expect(line!.props.icon).toEqual({ source: "Coins", tintColor: "Orange" });
  });

  test("amounts that agree with the utilization carry no warning", async () => {
    const body = {
      extra_usage: { is_enabled: true, monthly_limit: 5000, used_credits: 1250, utilization: 25, currency: "USD" },
    };
    const { menu } = await refreshThenRender("claude", body);
    const line = menu.item("Credits: $37.50");
    expect(line.props.subtitle).toBeUndefined();
    expect(String(line.props.tooltip)).not.toContain(HUNDREDFOLD_WARNING);
  });

  test("the warning survives a relaunch and the balance going stale", async () => {
    const body = { extra_usage: { is_enabled: true, monthly_limit: 5000, used_credits: 12.5, utilization: 25 } };
    await refreshThenRender("claude", body);
    jest.spyOn(Date, "now").mockReturnValue(NOW + 7 * HOUR);
    const menu = await renderMenu({ codexHome: "/nonexistent/codex", claudePlanType: "mixed" });
    const stale = menu.item(/^Stale: /);
    expect(String(stale.props.tooltip)).toContain(HUNDREDFOLD_WARNING);
  });
});

describe("currencies Intl does not know", () => {
  const body = (currency: unknown) => ({
    five_hour: { utilization: 10, resets_at: iso(NOW + 2 * HOUR) },
    extra_usage: { is_enabled: true, monthly_limit: 5000, used_credits: 1285, utilization: 25.7, currency },
  });

  test.each<[string, unknown, string]>([
    ["a well-formed code no country uses", "ZZZ", "Credits: ZZZ 37.15"],
    ["a lower-case code", "usd", "Credits: $37.15"],
    ["a mixed-case code with spaces", " eUr ", "Credits: €37.15"],
    ["no currency at all", null, "Credits: $37.15"],
  ])("%s (%p): shown as %p", async (_label, currency, line) => {
    expectStorable(adaptClaudeUsage(JSON.stringify(body(currency)), NOW));
    const { outcome, menu } = await refreshThenRender("claude", body(currency));
    expect(outcome.status).toBe("updated");
    expect(menu.section("claude").map((item) => String(item.props.title).replace(/\u00a0/g, " "))).toContain(line);
  });

  test.each<[string, unknown]>([
    ["a currency symbol", "€"],
    ["a dollar sign", "$"],
    ["an empty string", ""],
    ["a word", "dollars"],
    ["a code with digits", "US1"],
    ["a 300-character string", "Z".repeat(300)],
    ["control characters", "\u0000\u001b[31mEUR"],
  ])("%s: no crash, no balance claimed in a made-up currency", async (_label, currency) => {
    const outcome = adaptClaudeUsage(JSON.stringify(body(currency)), NOW);
    const adapted = expectStorable(outcome);
    const { menu } = await refreshThenRender("claude", body(currency));
    expect(menu.root.type).toBe("menubar-extra");
    const credit = menu.section("claude").find((item) => /^(Credits|Stale)/.test(String(item.props.title)));
    if (adapted.credits) {
      // Treated as a default (an empty code is USD): then it must be a real code.
      expect(adapted.credits.balance).toMatchObject({ money: { currency: expect.stringMatching(/^[A-Z]{3}$/) } });
    } else {
      expect(adapted.warnings.join(" ")).toMatch(/unknown currency/);
      expect(String(credit?.props.title)).not.toMatch(/\d/);
    }
    for (const item of menu.items) {
      for (const control of ["\u001b", "\u0000"]) expect(String(item.props.title)).not.toContain(control);
    }
  });

  test("an absurd balance is shown short, not as 300 digits", async () => {
    const huge = { extra_usage: { is_enabled: true, monthly_limit: 1e300, used_credits: 0, currency: "USD" } };
    const { menu } = await refreshThenRender("claude", huge);
    const line = menu.section("claude").find((item) => String(item.props.title).startsWith("Credits: "));
    expect(String(line?.props.title).length).toBeLessThan(30);
  });
});

describe("a rejected body never costs the last good data", () => {
  test.each<[string, string]>([
    ["a percent that is a word", JSON.stringify({ five_hour: { utilization: "lots" } })],
    ["windows as an array", JSON.stringify({ five_hour: [] })],
    ["an HTML page", "<html><body>Just a moment...</body></html>"],
    ["a JSON string", '"ok"'],
  ])("%s: an error with a hint, the old balance and caps stay", async (_label, body) => {
    const lastGood = {
      credits: {
        balance: { kind: "money" as const, money: { amount: 37.15, currency: "EUR" } },
        usable: true,
        updatedAt: NOW - 10 * MINUTE,
      },
      caps: {
        windows: [{ id: "5h", label: "5h", usedPercent: 12, windowMinutes: 300, resetsAt: NOW + 2 * HOUR }],
        capturedAt: NOW - 10 * MINUTE,
        origin: "claude-usage-api" as const,
      },
    };
    await saveSource(LocalStorage, "claude", { ...EMPTY_SOURCE, ...lastGood });
    const { outcome, menu } = await refreshThenRender("claude", body);
    expect(outcome.status).toBe("failed");
    const { stored } = await loadSource(LocalStorage, "claude");
    expect(stored.credits).toEqual(lastGood.credits);
    expect(stored.caps).toEqual(lastGood.caps);
    expect(menu.section("claude").map((item) => item.props.title)).toEqual(
      expect.arrayContaining(["5h 12% · resets in 2h", "Credits: €37.15"]),
    );
    expect(menu.item(/^Last refresh failed: /).props.tooltip).toMatch(/\S/);
  });
});

describe("one bad field costs only itself", () => {
  test("a reset time as a number: the window stays with its reset unknown, and the toast names the field", async () => {
    const body = { five_hour: { utilization: 10, resets_at: 1_800_000_000 }, seven_day: { utilization: 20 } };
    const { outcome, menu } = await refreshThenRender("claude", body);
    expect(outcome).toEqual({
      source: "claude",
      status: "updated",
      warnings: ["Claude usage: left out what could not be read (five_hour.resets_at); the rest is shown."],
    });
    expect(menu.section("claude").map((item) => item.props.title)).toEqual(
      expect.arrayContaining([`5h 10% · ${UNKNOWN}`, `Weekly 20% · ${UNKNOWN}`]),
    );
  });
});
