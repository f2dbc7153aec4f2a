import { adaptCodexUsage } from "../../../../src/sources/codex/usage-adapter";
import { expectOk, FETCHED_AT } from "../../../support/fixtures";
import { credits, fiveHour } from "./usage-values";

describe("adaptCodexUsage details", () => {
  function adaptBody(body: unknown) {
    return adaptCodexUsage(JSON.stringify(body), FETCHED_AT);
  }

  function windowOf(seconds: number) {
    const outcome = adaptBody({
      rate_limit: { primary_window: { used_percent: 1, limit_window_seconds: seconds, reset_at: null } },
    });
    return expectOk(outcome).caps?.windows[0];
  }

  test("windows are labelled by their length, derived, with a one-minute tolerance", () => {
    expect(windowOf(17940)).toMatchObject({ id: "5h", windowMinutes: 300 });
    expect(windowOf(18060)).toMatchObject({ id: "5h", windowMinutes: 300 });
    expect(windowOf(18061)).toMatchObject({ id: "302m", label: "302m", windowMinutes: 302 });
    expect(windowOf(604740)).toMatchObject({ id: "weekly", label: "Weekly" });
    expect(windowOf(86400)).toMatchObject({ id: "1440m", label: "1d", windowMinutes: 1440 });
    expect(windowOf(32400)).toMatchObject({ id: "540m", label: "9h", windowMinutes: 540 });
    expect(windowOf(3600)).toMatchObject({ id: "60m", label: "1h", windowMinutes: 60 });
    expect(windowOf(1800)).toMatchObject({ id: "30m", label: "30m", windowMinutes: 30 });
  });

  test("a window without a length is kept, named by its slot, and says the length is not given", () => {
    const result = expectOk(
      adaptBody({ rate_limit: { primary_window: { used_percent: 10 }, secondary_window: null } }),
    );
    expect(result.caps?.windows).toEqual([
      {
        id: "primary",
        label: "Primary window",
        usedPercent: 10,
        windowMinutes: null,
        resetsAt: null,
        note: "length not given",
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  test("a window with null used_percent is skipped silently; the body has nothing else, so it is an error", () => {
    const window = { used_percent: null, limit_window_seconds: 18000 };
    expect(adaptBody({ rate_limit: { primary_window: window } })).toMatchObject({ ok: false, error: "no_usage" });
  });

  test("two windows of the same length are both shown, under distinct ids", () => {
    const first = { used_percent: 10, limit_window_seconds: 18000, reset_at: 1791823260 };
    const second = { used_percent: 90, limit_window_seconds: 18000, reset_at: 1791823260 };
    const result = expectOk(adaptBody({ rate_limit: { primary_window: first, secondary_window: second } }));
    expect(result.caps?.windows.map((window) => [window.id, window.usedPercent])).toEqual([
      ["5h", 10],
      ["5h:2", 90],
    ]);
  });

  test("an extra bucket is named for people: its limit_name, a known feature, or its id made readable", () => {
    const bucket = (limit_name: string | null, metered_feature: string | null) => ({
      limit_name,
      metered_feature,
      rate_limit: { primary_window: { used_percent: 3, limit_window_seconds: 604800, reset_at: 1792141964 } },
    });
    const labels = (entry: object) =>
      expectOk(adaptBody({ additional_rate_limits: [entry] })).caps?.windows.map((window) => window.label);
    expect(labels(bucket("Spark", null))).toEqual(["Weekly (Spark)"]);
    expect(labels(bucket(null, "codex_bengalfox"))).toEqual(["Weekly (GPT-5.3-Codex-Spark)"]);
    expect(labels(bucket("codex_other", "codex_other"))).toEqual(["Weekly (Codex Other)"]);
    expect(labels(bucket(null, null))).toEqual(["Weekly (Extra limit 1)"]);
  });

  test("a bucket at its limit marks its most-used window, scoped to it", () => {
    const entry = {
      limit_name: "codex_other",
      rate_limit: {
        allowed: false,
        primary_window: { used_percent: 80, limit_window_seconds: 1800 },
        secondary_window: { used_percent: 20, limit_window_seconds: 604800 },
      },
    };
    const windows = expectOk(adaptBody({ additional_rate_limits: [entry] })).caps?.windows;
    expect(windows?.map((window) => [window.label, window.reached ?? false, window.scoped])).toEqual([
      ["30m (Codex Other)", true, true],
      ["Weekly (Codex Other)", false, true],
    ]);
  });

  test("credit usability follows has_credits, the balance and what blocks it (SPEC §3)", () => {
    const read = (body: object) => expectOk(adaptBody({ credits: body })).credits;
    expect(read({ has_credits: true, balance: "5" })).toEqual(credits(5, true));
    expect(read({ has_credits: true, balance: null })).toMatchObject({
      balance: { kind: "unknown" },
      usable: false,
      notUsableReason: "balance not given",
    });
    expect(read({ has_credits: true, balance: "0" })).toMatchObject({
      usable: false,
      notUsableReason: "out of credits",
    });
    expect(read({ balance: "5" })).toMatchObject({ usable: false, notUsableReason: "not reported as usable" });
    expect(read({ has_credits: false, unlimited: true, balance: null })).toMatchObject({
      balance: { kind: "unknown" },
      usable: false,
      notUsableReason: "no credits",
    });
    expect(read({ has_credits: true, unlimited: true, balance: null })).toMatchObject({
      balance: { kind: "unlimited" },
      usable: true,
    });
    expect(read({ has_credits: true, overage_limit_reached: true, balance: "40" })).toMatchObject({
      usable: false,
      notUsableReason: "overage limit reached",
    });
  });

  test.each(["abc", "NaN", "Infinity", "0x10", "", "1,5"])(
    "balance %j is left out as unreadable: unknown, never zero, and named once",
    (balance) => {
      const result = expectOk(adaptBody({ credits: { has_credits: true, unlimited: false, balance } }));
      expect(result.credits).toMatchObject({ balance: { kind: "unknown" }, usable: false });
      expect(result.warnings).toEqual([
        "Codex usage: left out what could not be read (credits.balance); the rest is shown.",
      ]);
    },
  );

  test.each([
    ["9.99", 9.99],
    [" 12 ", 12],
    ["1e3", 1000],
    ["-2.5", -2.5],
  ])("balance %j parses to %d", (balance, expected) => {
    const reading = expectOk(adaptBody({ credits: { has_credits: true, balance } })).credits;
    expect(reading?.balance).toEqual({ kind: "codexCredits", credits: expected });
  });

  test("a reached workspace spend limit binds the source and blocks the credits", () => {
    const reached = {
      spend_control: { reached: true, individual_limit: null },
      credits: { has_credits: true, balance: "5" },
    };
    const result = expectOk(adaptBody(reached));
    expect(result.caps?.reached).toEqual({ reason: "workspace spending limit", resetsAt: null });
    expect(result.credits).toMatchObject({ usable: false, notUsableReason: "workspace spending limit reached" });
    const odd = adaptBody({ spend_control: "odd", individual_limit: [1], credits: { has_credits: false } });
    expect(expectOk(odd).caps?.reached).toBeUndefined();
  });

  test("rate_limit_reached_type as a string or an object with type or kind", () => {
    const reachedOf = (type: unknown) =>
      expectOk(adaptBody({ rate_limit_reached_type: type, credits: { has_credits: false } })).caps?.reached?.reason;
    expect(reachedOf("workspace_member_credits_depleted")).toBe("workspace credits used up");
    expect(reachedOf({ type: "workspace_member_usage_limit_reached" })).toBe("workspace usage limit");
    expect(reachedOf({ kind: "workspace_owner_usage_limit_reached" })).toBe("workspace owner's usage limit");
    expect(reachedOf({ type: "brand_new_limit_reached" })).toBe("brand new limit");
    expect(reachedOf({ details: "default" })).toBeUndefined();
  });

  test("a generic rate_limit_reached marks the most-used window when none is at 100 %", () => {
    const body = {
      rate_limit_reached_type: "rate_limit_reached",
      rate_limit: {
        primary_window: { used_percent: 42, limit_window_seconds: 18000 },
        secondary_window: { used_percent: 60, limit_window_seconds: 604800 },
      },
    };
    const result = expectOk(adaptBody(body));
    expect(result.caps?.windows.map((window) => window.reached ?? false)).toEqual([false, true]);
    expect(result.caps?.reached).toBeUndefined();
  });

  test("banked resets are kept only as a positive whole count", () => {
    const banked = (count: unknown) =>
      expectOk(adaptBody({ rate_limit_reset_credits: { available_count: count }, credits: { has_credits: false } }))
        .caps?.bankedResets;
    expect([banked(2), banked(0), banked(-1), banked(1.5), banked("3")]).toEqual([
      2,
      undefined,
      undefined,
      undefined,
      3,
    ]);
  });

  test("a negative or overflowing reset falls back to unknown", () => {
    const window = { used_percent: 1, limit_window_seconds: 18000, reset_at: 1e308, reset_after_seconds: -1e300 };
    expect(expectOk(adaptBody({ rate_limit: { primary_window: window } })).caps?.windows[0].resetsAt).toBeNull();
  });

  test.each([
    ['{"rate_limit":5}', "rate_limit: expected an object"],
    [
      '{"additional_rate_limits":[{"rate_limit":{"primary_window":{"used_percent":true}}}]}',
      "additional_rate_limits[0]",
    ],
    ['{"credits":[1]}', "credits: expected an object"],
  ])("%s has nothing readable: the error names %s", (body, field) => {
    const outcome = adaptCodexUsage(body, FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (!outcome.ok) expect(outcome.message).toContain(field);
  });

  test.each(["[]", '"text"', "null"])("%s is not an object", (body) => {
    expect(adaptCodexUsage(body, FETCHED_AT)).toMatchObject({ ok: false, error: "wrong_shape" });
  });

  test("one bad field costs only itself: the plan and a window are kept, the bad parts named once", () => {
    const body = {
      plan_type: 7,
      credits: { has_credits: "yes", balance: "4" },
      rate_limit: { primary_window: { used_percent: 12, limit_window_seconds: 18000, reset_at: "soon" } },
    };
    const result = expectOk(adaptBody(body));
    expect(result.caps?.windows).toEqual([fiveHour(12, null)]);
    expect(result.caps?.planName).toBeUndefined();
    expect(result.warnings).toEqual([
      "Codex usage: left out what could not be read (credits.has_credits, rate_limit.primary_window.reset_at, plan_type); the rest is shown.",
    ]);
  });

  test("an empty body is not JSON", () => {
    expect(adaptCodexUsage("  \n", FETCHED_AT)).toMatchObject({ ok: false, error: "not_json" });
  });

  test("an empty object is an answer without usage: an error with a hint", () => {
    expect(adaptCodexUsage("{}", FETCHED_AT)).toMatchObject({ ok: false, error: "no_usage" });
  });

  test("personal fields are never read into the result", () => {
    const body = { email: "a@example.com", user_id: "user-1", account_id: "acct-1", credits: { has_credits: false } };
    expect(JSON.stringify(expectOk(adaptBody(body)))).not.toMatch(/example\.com|user-1|acct-1/);
  });
});
