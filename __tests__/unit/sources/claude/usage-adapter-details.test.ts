import { adaptClaudeUsage, HUNDREDFOLD_WARNING, NO_MONTHLY_LIMIT } from "../../../../src/sources/claude/usage-adapter";
import type { CapWindow } from "../../../../src/model/types";
import { expectOk, FETCHED_AT } from "../../../support/fixtures";

const FIVE_HOUR_RESET = Date.parse("2026-10-12T16:40:59.581Z");

function fiveHour(usedPercent: number, resetsAt: number | null = FIVE_HOUR_RESET): CapWindow {
  return { id: "5h", label: "5h", usedPercent, windowMinutes: 300, resetsAt };
}

function scopedWeekly(slug: string, name: string, usedPercent: number, resetsAt: number | null): CapWindow {
  return { id: `weekly:${slug}`, label: `Weekly (${name})`, usedPercent, windowMinutes: 10080, resetsAt, scoped: true };
}

describe("adaptClaudeUsage details", () => {
  function adaptBody(body: unknown) {
    return expectOk(adaptClaudeUsage(JSON.stringify(body), FETCHED_AT));
  }

  test("a null utilization skips the window and falls back to limits", () => {
    const result = adaptBody({
      five_hour: { utilization: null, resets_at: null },
      seven_day: { utilization: null, resets_at: null },
      limits: [{ kind: "session", percent: 20, resets_at: "2026-10-12T16:40:59.581404+00:00" }],
    });
    expect(result.caps?.windows).toEqual([fiveHour(20)]);
  });

  test("limits[] wins over the legacy bucket for a shared window; the legacy reset fills a gap", () => {
    const result = adaptBody({
      five_hour: { utilization: 99, resets_at: "2026-10-12T16:40:59.581404+00:00" },
      limits: [{ kind: "session", percent: 11, resets_at: "...", is_active: true, severity: "normal" }],
    });
    expect(result.caps?.windows).toEqual([{ ...fiveHour(11), active: true }]);
  });

  test("all windows null and no extra usage is an error with a hint, never updated", () => {
    const outcome = adaptClaudeUsage(JSON.stringify({ five_hour: null, seven_day: null, limits: [] }), FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "no_usage", message: "Claude reported no limits" });
  });

  test("{} (a login without the profile scope) is an error that says to log in with claude", () => {
    const outcome = adaptClaudeUsage("{}", FETCHED_AT);
    expect(outcome).toMatchObject({
      ok: false,
      error: "no_usage",
      message: "Claude answered without usage data",
      hint: expect.stringContaining("Log in with `claude`"),
    });
  });

  test("limits and seven_day_opus both feed scoped windows without duplicates; ids become names", () => {
    const result = adaptBody({
      seven_day_opus: { utilization: 9, resets_at: null },
      limits: [
        { kind: "weekly_scoped", percent: 40, scope: { model: { display_name: "Opus" } } },
        { kind: "weekly_scoped", percent: 41, scope: { model: { display_name: "Opus" } } },
        { kind: "weekly_scoped", percent: 5, scope: { model: { id: "claude-haiku", display_name: null } } },
      ],
    });
    expect(result.caps?.windows).toEqual([
      scopedWeekly("opus", "Opus", 40, null),
      scopedWeekly("claude-haiku", "Claude Haiku", 5, null),
    ]);
  });

  test("every bucket carrying a utilization is a window with a human name; other objects are not", () => {
    const result = adaptBody({
      seven_day_omelette: { utilization: 29, resets_at: null },
      seven_day_cowork: { utilization: 9, resets_at: null },
      seven_day_sonnet_max: { utilization: 3, resets_at: null },
      iguana_necktie: { utilization: 1, resets_at: null },
      tangelo: null,
      seven_day_breakdown: {
        as_of: "2026-09-23T12:54:43Z",
        rows: [{ key: "chat", display_name: "Chats", percent: 3 }],
      },
    });
    expect(result.caps?.windows.map((window) => [window.label, window.windowMinutes, window.scoped])).toEqual([
      ["Weekly (Claude Design)", 10080, true],
      ["Weekly (Cowork)", 10080, true],
      ["Weekly (Sonnet Max)", 10080, true],
      ["Iguana Necktie", null, true],
    ]);
  });

  test("used above the limit leaves nothing, never a negative balance", () => {
    const reading = adaptBody({ extra_usage: { is_enabled: true, monthly_limit: 1000, used_credits: 1500 } }).credits;
    expect(reading).toMatchObject({
      balance: { kind: "money", money: { amount: 0, currency: "USD" } },
      usable: false,
      notUsableReason: "monthly limit used up",
    });
  });

  test("monthly_limit 0 while enabled is no known limit: not usable, balance unknown", () => {
    const result = adaptBody({ extra_usage: { is_enabled: true, monthly_limit: 0, used_credits: 0, currency: "EUR" } });
    expect(result.credits).toMatchObject({
      balance: { kind: "unknown" },
      usable: false,
      notUsableReason: NO_MONTHLY_LIMIT,
      limit: null,
    });
  });

  test("disabled spend is never a balance, whatever its amount", () => {
    const amount = (minor: number) => ({ amount_minor: minor, currency: "USD", exponent: 2 });
    const off = adaptBody({ spend: { enabled: false, used: amount(100), limit: amount(1000) } }).credits;
    expect(off).toMatchObject({ balance: { kind: "unknown" }, usable: false, limit: { amount: 10 } });
    const outOfCredits = adaptBody({
      spend: { enabled: false, disabled_reason: "out_of_credits", used: amount(0), limit: amount(20000) },
    }).credits;
    expect(outOfCredits).toMatchObject({ balance: { kind: "unknown" }, notUsableReason: "out of credits" });
    const enabledButReason = adaptBody({
      extra_usage: { is_enabled: true, monthly_limit: 1000, used_credits: 0, disabled_reason: "org_level_disabled" },
    }).credits;
    expect(enabledButReason).toMatchObject({
      balance: { kind: "unknown" },
      usable: false,
      notUsableReason: "turned off by your organization",
    });
  });

  test("a limit sent in major units against minor used also warns", () => {
    const result = adaptBody({
      extra_usage: { is_enabled: true, monthly_limit: 50, used_credits: 1250, utilization: 25 },
    });
    expect(result.warnings).toEqual([HUNDREDFOLD_WARNING]);
    expect(result.credits?.balance).toEqual({ kind: "money", money: { amount: 0, currency: "USD" } });
  });

  test("a plain disagreement with utilization is not called 100× off", () => {
    const result = adaptBody({
      extra_usage: { is_enabled: true, monthly_limit: 1000, used_credits: 500, utilization: 80 },
    });
    expect(result.warnings).toEqual([]);
    expect(result.credits?.warning).toBeUndefined();
  });

  test("a currency that is not an ISO code drops the credit reading with a warning", () => {
    const result = adaptBody({
      five_hour: { utilization: 1, resets_at: null },
      extra_usage: { is_enabled: true, monthly_limit: 1000, used_credits: 0, currency: "€" },
    });
    expect(result.credits).toBeNull();
    expect(result.creditsDropped).toBe(true);
    expect(result.caps?.windows).toEqual([fiveHour(1, null)]);
    expect(result.warnings).toEqual(['Claude reported an unknown currency "€"; the extra-usage balance is not shown.']);
  });

  test.each([
    ['{"five_hour":{"utilization":5},"extra_usage":{"decimal_places":2.5}}', "extra_usage.decimal_places"],
    ['{"five_hour":{"utilization":5},"extra_usage":{"is_enabled":"yes"}}', "extra_usage.is_enabled"],
    ['{"five_hour":{"utilization":5},"spend":{"limit":{"exponent":-1}}}', "spend.limit.exponent"],
    ['{"five_hour":{"utilization":5},"limits":{"kind":"session"}}', "limits"],
    ['{"five_hour":{"utilization":5},"limits":[{"kind":"session","percent":"lots"}]}', "limits[0].percent"],
    ['{"five_hour":{"utilization":5},"seven_day":{"utilization":7,"resets_at":12}}', "seven_day.resets_at"],
  ])("%s: the rest is kept and %s is named once", (body, field) => {
    const result = expectOk(adaptClaudeUsage(body, FETCHED_AT));
    expect(result.caps?.windows[0]).toMatchObject({ id: "5h", usedPercent: 5 });
    expect(result.warnings).toEqual([`Claude usage: left out what could not be read (${field}); the rest is shown.`]);
  });

  test("a body with nothing readable names the first bad part", () => {
    const outcome = adaptClaudeUsage('{"five_hour":[],"extra_usage":7}', FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (!outcome.ok)
      expect(outcome.message).toBe(
        "Claude usage response has an unexpected shape at five_hour: expected an object, got an array (and 1 more)",
      );
  });

  test("[1,2] is not an object", () => {
    expect(adaptClaudeUsage("[1,2]", FETCHED_AT)).toMatchObject({ ok: false, error: "wrong_shape" });
  });
});
