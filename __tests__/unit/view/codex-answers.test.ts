/**
 * Real ChatGPT `wham/usage` answers (fixtures/real/codex-usage, provenance in fixtures/README.md) and
 * synthetic ones for shapes nobody published (fixtures/synthetic/codex-usage), each taken through the
 * real refresh into the menu and the billing view: what the user sees.
 */
import { summarizeOutcomes } from "../../../src/view/refresh-summary";
import { billingSubtitle } from "../../../src/view/subtitle";
import { settings } from "../../support/builders";
import { answerFixture, seeAnswer, type Seen } from "../../support/answers";

const at = (epochSeconds: number) => epochSeconds * 1000;

function real(name: string, now: number, preferences = {}): Seen {
  return seeAnswer("codex", answerFixture("real", "codex-usage", `${name}.json`), { now, preferences });
}

function synthetic(name: string, now: number, preferences = {}): Seen {
  return seeAnswer("codex", answerFixture("synthetic", "codex-usage", `${name}.json`), { now, preferences });
}

/** No line anywhere, nor the title, shows credit as money the user could spend. */
function expectNoAvailableCredit(seen: Seen) {
  expect(seen.title).not.toMatch(/\$/);
  expect(seen.lines[0].subtitle).toBeUndefined();
  for (const line of seen.lines) expect(line.title).not.toMatch(/^Credits: \$/);
}

describe("limit reached is a state of its own", () => {
  test("a workspace limit refuses requests while the windows show 42 % (OpenAI's own test body)", () => {
    // reset_at 1735689720 − reset_after_seconds 120: the moment the answer was made.
    const seen = real("openai-codex-apptest-reached-type-object-codex-other-1800s", at(1735689600));
    expect(seen.title).toBe("Limit reached");
    expect(seen.titles).toEqual([
      "Codex · Pro",
      "Limit reached: workspace usage limit",
      "1h 42% · resets in 2m",
      "1d 5% · resets in 1h",
      "30m (Codex Other) 88% · resets in 1h",
      "Caps as of just now",
    ]);
    expect(seen.rows["Active limiter"]).toBe("Caps Limit reached (limit reached: workspace usage limit)");
    expect(seen.model.tooltip).toBe(
      "Agent Limits · Codex: limit reached: workspace usage limit\nPace (estimate): Codex at its limit",
    );
  });

  test("the 5-hour window at 100 % with allowed false: the window and the source say so, with the reset", () => {
    const seen = real("prolite-5h-limit-reached-type-object-details-codefuel", at(1781185365 - 7370));
    expect(seen.title).toBe("Limit reached");
    expect(seen.line("Limit reached: 5h limit").subtitle).toBe("resets in 2h 2m");
    const window = seen.line("5h 100% · resets in 2h 2m");
    expect(window.subtitle).toBe("Limit reached");
    expect(window.icon).toEqual({ type: "progress", fraction: 1, tone: "critical" });
    expect(seen.titles).toContain("Weekly 16% · resets in 6d 21h");
    expect(seen.titles).toContain("5h (GPT-5.3-Codex-Spark) 0% · resets in 5h");
    expect(seen.rows["Limit reached"]).toBe("5h limit · resets in 2h 2m");
  });

  test("depleted workspace credits (a bare string type) bind the source and hand nothing to credits", () => {
    const seen = synthetic("reached-type-string-credits-depleted", at(1791821007 - 7200));
    expect(seen.title).toBe("Limit reached");
    expect(seen.line("Limit reached: workspace credits used up").subtitle).toBeUndefined();
    expect(seen.titles).toContain("5h 42% · resets in 2h");
    expect(seen.rows.Balance).toBe("Not usable: workspace credits used up");
  });

  test("an exhausted cap with usable credit draws on credits; blocked overage credit does not", () => {
    const usable = real("pro-weekly-only-primary-balance-string-approx-messages-model-usage", at(1789829691));
    expect(usable.title).toBe("0%");
    const blocked = synthetic("overage-limit-reached-5h-exhausted", at(1791819207 - 5400));
    expect(blocked.title).toBe("Limit reached");
    expect(blocked.state.snapshot.credits).toMatchObject({ usable: false, notUsableReason: "overage limit reached" });
    expect(blocked.rows.Balance).toBe("Not usable: overage limit reached");
  });

  test("a workspace spending limit that is reached binds the source, named as such", () => {
    const seen = synthetic("spend-control-reached", at(1792677807 - 864000));
    expect(seen.title).toBe("Limit reached");
    expect(seen.titles).toEqual([
      "Codex · Business (usage-based)",
      "Limit reached: workspace spending limit",
      "Spending limit 100% · resets in 10d",
      "Caps as of just now",
    ]);
    expect(seen.line(/^Spending limit/).tooltip).toContain("1,000 of 1,000 credits used, set by your workspace");
  });

  test("a code-review limit at 100 % is marked, but does not bind the source", () => {
    const seen = synthetic("code-review-limit-reached", at(1791821007 - 3600));
    expect(seen.title).toBe("35%");
    expect(seen.line(/^Weekly \(Code review\) 100%/).subtitle).toBe("Limit reached");
    expect(seen.titles).not.toContain("Limit reached: Weekly (Code review) limit");
  });
});

describe("credit that cannot be spent is never shown as available", () => {
  test("has_credits false with no cap windows: no $0.00 title, no badge (the reported bug)", () => {
    const seen = synthetic("has-credits-false-no-windows", Date.parse("2026-10-12T12:00:00Z"));
    expect(seen.title).toBe("–");
    expect(seen.titles).toEqual(["Codex · Plus", "No limit windows reported · just now"]);
    expectNoAvailableCredit(seen);
    expect(seen.rows.Balance).toBe("Not usable: no credits");
    expect(seen.rows["Plan type"]).toBe("Auto → Subscription caps");
  });

  test("…and with the plan type set to mixed, the line says why instead of an amount", () => {
    const seen = synthetic("has-credits-false-no-windows", Date.parse("2026-10-12T12:00:00Z"), {
      codexPlanType: "mixed",
    });
    expect(seen.line("Credits: not usable").subtitle).toBe("no credits");
    expectNoAvailableCredit(seen);
    expect(seen.billing.subtitle).toBe("credits not usable");
    expect(
      billingSubtitle([seen.state], settings({ codexPlanType: "mixed" }), seen.state.snapshot.caps!.capturedAt),
    ).toMatch(/^Codex credits not usable · updated /);
  });

  test.each([
    ["plus-balance-string-zero-referral-beacon-openusage-465", at(1778689421 - 6699), "46%", "no credits"],
    ["plus-full-current-shape-spend-control-null-model-usage-headroom", at(1791056429 - 11362), "51%", "no credits"],
    ["prolite-spark-bengalfox-credits-only-has-credits-kamilkov", at(1783893080 - 18000), "28%", "no credits"],
    ["team-live-capture-code-review-window", at(1771422975 - 4851), "7%", "no credits"],
  ])("%s: caps only, balance %s not usable", (name, now, title, reason) => {
    const seen = real(name, now);
    expect(seen.title).toBe(title);
    expectNoAvailableCredit(seen);
    expect(seen.rows.Balance).toBe(`Not usable: ${reason}`);
  });

  test("balance null is unknown, never 0 credits: a Business workspace with only a spending limit", () => {
    const now = at(1785542400 - 920777);
    const seen = real("business-no-rate-limit-credits-balance-null-spend-control-usagepal-27", now);
    expect(seen.title).toBe("26%");
    expect(seen.titles).toEqual(["Codex · Business", "Spending limit 26% · resets in 10d 15h", "Caps as of just now"]);
    expect(seen.line(/^Spending limit/).tooltip).toContain("3,832 of 15,000 credits used, set by your workspace");
    expect(seen.rows.Balance).toBe("Not usable: balance not given");
    expect(JSON.stringify(seen.stored.credits)).not.toMatch(/"credits":0/);
    expectNoAvailableCredit(seen);
  });

  test("a usable balance string with trailing zeros shows as money, with its credits in the tooltip", () => {
    const seen = real("pro-weekly-only-primary-balance-string-approx-messages-model-usage", at(1789829691));
    expect(seen.line("Credits: $4.11").tooltip).toContain("102.846973 credits × $0.04");
    expect(seen.lines[0].subtitle).toBe("Credits: $4.11");
    expect(seen.rows["Codex credits"]).toBe("102.846973 × $0.04 per credit");
  });

  test("an empty balance string is unknown; a numeric balance with unlimited is unlimited", () => {
    const empty = synthetic("balance-empty-string-and-number", at(1791821007 - 3600), { codexPlanType: "mixed" });
    expect(empty.line("Credits: not usable").subtitle).toBe("balance not given");
    const unlimited = synthetic("balance-number-unlimited", at(1791821007 - 3600));
    expect(unlimited.line("Credits: Unlimited").subtitle).toBeUndefined();
    expect(unlimited.lines[0].subtitle).toBe("Credits: Unlimited");
  });
});

describe("one bad field never costs the rest", () => {
  test("credits.balance as an array: the 5-hour window is kept, the field is named once in the toast", () => {
    const seen = real("codexbar-test-balance-empty-array", at(1766948068) - 2 * 3600_000);
    expect(seen.outcome.status).toBe("updated");
    expect(seen.titles).toEqual(["Codex", "5h 22% · resets in 2h", "Caps as of just now"]);
    expect(summarizeOutcomes([seen.outcome]).message).toBe(
      "Codex updated. Codex usage: left out what could not be read (credits.balance); the rest is shown.",
    );
  });
});

describe("every window with a number is shown, labelled by its length", () => {
  test.each([
    ["codexbar-test-32400s-window-only", at(1766948068) - 2 * 3600_000, ["9h 17% · resets in 2h"]],
    ["codexbar-test-free-weekly-only", at(1775468693) - 3 * 86400_000, ["Weekly 0% · resets in 3d"]],
    ["prolite-weekly-only-95pct-quota-tray", at(1790471273 - 303190), ["Weekly 95% · resets in 3d 12h"]],
    [
      "pro-weekly-only-82pct-spark-weekly-only-scopefuel",
      at(1785259911 - 311872),
      ["Weekly 82% · resets in 3d 14h", "Weekly (GPT-5.3-Codex-Spark) 0% · resets in 7d"],
    ],
    [
      "team-live-capture-code-review-window",
      at(1771422975 - 4851),
      ["5h 7% · resets in 1h 20m", "Weekly 2% · resets in 6d 20h", "Weekly (Code review) 0% · resets in 7d"],
    ],
  ])("%s", (name, now, windows) => {
    const seen = real(name, now);
    expect(seen.titles.filter((title) => /%/.test(title))).toEqual(windows);
  });

  test("a weekly-only plan at 95 % is critical, not a 5-hour window", () => {
    const seen = real("prolite-weekly-only-95pct-quota-tray", at(1790471273 - 303190));
    expect(seen.line(/^Weekly 95%/).icon).toMatchObject({ tone: "critical" });
    expect(seen.titles.some((title) => title.startsWith("5h"))).toBe(false);
  });

  test("windows without limit_window_seconds are shown by their slot and say the length is not given", () => {
    const seen = synthetic("windows-without-length", at(1791822807 - 9000));
    expect(seen.title).toBe("61%");
    expect(seen.titles).toContain("Primary window 37% · resets in 2h 30m");
    expect(seen.line(/^Secondary window 61%/).tooltip).toContain("length not given");
    expect(seen.rows["Primary window window"]).toBe("Primary window 37% · resets in 2h 30m · length not given");
  });

  test("no raw bucket id reaches the menu", () => {
    const seen = real("openai-codex-apptest-reached-type-object-codex-other-1800s", at(1735689600));
    expect(seen.lines.length).toBeGreaterThan(0);
    expect(seen.lines.map((line) => line.title)).toContainEqual(expect.stringContaining("Codex Other"));
    for (const line of seen.lines) expect(line.title).not.toMatch(/codex_other|codex_bengalfox|_/);
  });
});

describe("plans and banked resets", () => {
  test.each([
    ["prolite-weekly-only-95pct-quota-tray", at(1790471273 - 303190), "Codex · Pro Lite", "1 reset available"],
    [
      "plus-full-current-shape-spend-control-null-model-usage-headroom",
      at(1791045067),
      "Codex · Plus",
      "2 resets available",
    ],
  ])("%s: %s, %s in the section and the billing view", (name, now, header, resets) => {
    const seen = real(name, now);
    expect(seen.titles[0]).toBe(header);
    expect(seen.titles).toContain(resets);
    expect(seen.rows["Banked resets"]).toBe(resets);
  });

  test("an answer without usage is an error with a hint, and the last good data stays", () => {
    const good = real("team-live-capture-code-review-window", at(1771418124));
    const seen = seeAnswer("codex", "{}", { now: at(1771418124) + 60_000, previous: good.stored });
    expect(seen.outcome.status).toBe("failed");
    expect(seen.line("Last refresh failed: Codex answered without usage data").tooltip).toContain("codex login");
    expect(seen.titles).toContain("5h 7% · resets in 1h 19m");
    expect(summarizeOutcomes([seen.outcome]).message).not.toMatch(/updated/);
  });

  test("personal fields are never stored", () => {
    const seen = real("plus-balance-string-zero-referral-beacon-openusage-465", at(1778682722));
    expect(JSON.stringify(seen.stored)).not.toMatch(/REDACTED|email|user_id|account_id/);
  });
});
