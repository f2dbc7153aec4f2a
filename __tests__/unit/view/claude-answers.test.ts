/**
 * Real Claude OAuth `usage` answers (fixtures/real/claude-usage, provenance in fixtures/README.md)
 * and synthetic ones for shapes nobody published (fixtures/synthetic/claude-usage), each taken
 * through the real refresh into the menu and the billing view: what the user sees.
 */
import { summarizeOutcomes } from "../../../src/view/refresh-summary";
import { answerFixture, seeAnswer, type Seen } from "../../support/answers";

function real(name: string, now: string, preferences = {}): Seen {
  return seeAnswer("claude", answerFixture("real", "claude-usage", `${name}.json`), {
    now: Date.parse(now),
    preferences,
  });
}

function synthetic(name: string, now: string, preferences = {}): Seen {
  return seeAnswer("claude", answerFixture("synthetic", "claude-usage", `${name}.json`), {
    now: Date.parse(now),
    preferences,
  });
}

/** A published `limits[]` element on its own, as the body it came in. */
function fragment(name: string, now: string): Seen {
  const entry = JSON.parse(answerFixture("real", "claude-usage", `${name}.json`));
  return seeAnswer("claude", JSON.stringify({ limits: [entry] }), { now: Date.parse(now) });
}

const windowTitles = (seen: Seen) => seen.titles.filter((title) => /%/.test(title));

describe("credit that cannot be spent is never a balance", () => {
  const FABLE = "fable-active-critical-spend-disabled-out-of-credits-claude-proxy";

  test("spend disabled, out of credits, plan type mixed: no $200 anywhere, the reason instead (the reported bug)", () => {
    const seen = real(FABLE, "2026-08-13T21:00:00Z", { claudePlanType: "mixed" });
    expect(seen.title).toBe("97%");
    expect(seen.line("Credits: not usable").subtitle).toBe("out of credits");
    expect(seen.lines[0]).toMatchObject({ title: "Claude", subtitle: undefined });
    for (const line of seen.lines) expect(`${line.title} ${line.subtitle ?? ""}`).not.toContain("$200");
    expect(seen.billing.subtitle).toBe("credits not usable");
    expect(seen.rows.Balance).toBe("Not usable: out of credits");
    expect(seen.rows["Monthly limit"]).toBe("$200.00");
  });

  test.each([
    ["extra-usage-out-of-credits-limits-severity-kamilkov", "2026-07-12T19:30:00Z", "out of credits"],
    ["pro-all-codename-buckets-null-spend-full-user-disabled-headroom", "2026-10-03T19:19:59Z", "turned off by you"],
    ["max-2026-03-ccometixline-sonnet-bucket-extra-all-null", "2026-03-10T03:59:59Z", "turned off"],
    ["pro-two-limits-no-scope-key-golden-cheilman", "2026-08-02T06:20:00Z", "turned off"],
  ])("%s: auto stays on the caps, no credit line, billing says %p", (name, now, reason) => {
    const seen = real(name, now);
    expect(seen.rows["Plan type"]).toBe("Auto → Subscription caps");
    expect(seen.titles.some((title) => /^(Credits|Stale)/.test(title))).toBe(false);
    expect(seen.rows.Balance).toBe(`Not usable: ${reason}`);
  });

  test("extra usage turned off by the organization (synthetic): its reason, never its amount", () => {
    const seen = synthetic("cowork-omelette-oauth-apps-nonnull-severity-warning", "2026-10-12T14:00:00Z", {
      claudePlanType: "mixed",
    });
    expect(seen.line("Credits: not usable").subtitle).toBe("turned off by your organization");
    expect(seen.rows["Monthly limit"]).toBe("$50.00");
  });

  test.each([
    ["max-2026-03-extra-enabled-sonnet-cowork-null-iguana-codefuel", "2026-03-02T10:00:00Z", "Credits: $10.00"],
    ["omelette-zero-null-reset-extra-enabled-usd-tokenspy", "2026-05-02T09:39:59Z", "Credits: $20.00"],
    ["spend-enabled-cap-credits-publisher-edited-yxhuang", "2025-12-31T23:00:00Z", "Credits: $67.00"],
  ])("%s: enabled with a known limit is usable: %s, with the header badge", (name, now, line) => {
    const seen = real(name, now);
    expect(seen.rows["Plan type"]).toBe("Auto → Mixed");
    expect(seen.titles).toContain(line);
    expect(seen.lines[0].subtitle).toBe(line);
  });

  test("an exhausted 5-hour window with usable extra usage: the title is the money, the limit still said", () => {
    const seen = synthetic("spend-enabled-mixed-reason", "2026-10-12T14:40:59Z");
    expect(seen.title).toBe("€37.50");
    expect(seen.titles).toContain("Limit reached: 5h limit");
    expect(seen.rows["Active limiter"]).toBe("Credits €37.50 (5h cap at 100 %, credits in use)");
  });
});

describe("every bucket, named for people", () => {
  test("Claude Design (omelette), Cowork and OAuth apps weeklies, and a code-name bucket (synthetic)", () => {
    const seen = synthetic("cowork-omelette-oauth-apps-nonnull-severity-warning", "2026-10-12T14:00:00Z");
    expect(windowTitles(seen)).toEqual([
      "5h 41% · resets in 2h 40m",
      "Weekly 72% · resets in 3d 19h",
      "Weekly (OAuth apps) 12% · resets in 3d 19h",
      "Weekly (Cowork) 64% · resets in 3d 19h",
      "Weekly (Claude Design) 100% · resets in 3d 19h",
      "Amber Gauge 7% · reset time unknown",
    ]);
    expect(seen.title).toBe("72%");
    expect(seen.line(/^Weekly \(Claude Design\)/).subtitle).toBe("Limit reached");
    expect(seen.line(/^Weekly 72%/)).toMatchObject({ subtitle: "Active limit", icon: { tone: "warning" } });
    expect(seen.titles.join(" ")).not.toMatch(/Claude Code|omelette|amber_gauge/);
  });

  test("the real Claude Design and Cowork buckets (CodexBar's test body)", () => {
    const seen = real("codexbar-test-omelette-29-cowork-9", "2025-12-25T10:00:00Z");
    expect(windowTitles(seen)).toEqual([
      "5h 13% · resets in 2h",
      "Weekly (Claude Design) 29% · resets in 5d 14h",
      "Weekly (Cowork) 9% · resets in 6d 14h",
    ]);
  });

  test("Claude Design at 0 % with no reset time is shown, never dropped", () => {
    const seen = real("omelette-zero-null-reset-extra-enabled-usd-tokenspy", "2026-05-02T09:39:59Z");
    expect(seen.titles).toContain("Weekly (Claude Design) 0% · reset time unknown");
  });

  test("seven_day_breakdown rows are not limits; the non-null code-name bucket is", () => {
    const seen = real("seven-day-breakdown-rows-nimbus-quill-quota-tray", "2026-09-23T15:10:00Z");
    expect(windowTitles(seen)).toEqual([
      "5h 9% · resets in 1h",
      "Weekly 36% · resets in 4d 23h",
      "Weekly (Fable) 20% · resets in 4d 23h",
      "Nimbus Quill 0% · reset time unknown",
    ]);
    expect(seen.line(/^Nimbus Quill/).tooltip).toContain("length not given");
  });

  test("the Sonnet weekly", () => {
    const seen = real("max-2026-03-ccometixline-sonnet-bucket-extra-all-null", "2026-03-10T03:59:59Z");
    expect(windowTitles(seen)).toEqual([
      "5h 37% · resets in 1h",
      "Weekly 26% · resets in 5d 11h",
      "Weekly (Sonnet) 1% · resets in 6d 17h",
    ]);
  });
});

describe("limits[]: the active limit and limits reached", () => {
  test("the scoped Fable weekly at 100 % is marked; the account weekly at 97 % is critical and binds", () => {
    const seen = real("fable-active-critical-spend-disabled-out-of-credits-claude-proxy", "2026-08-13T21:00:00Z");
    expect(windowTitles(seen)).toEqual([
      "5h 6% · resets in 4h 30m",
      "Weekly 97% · resets in 1h",
      "Weekly (Fable) 100% · resets in 1h",
    ]);
    expect(seen.line(/^Weekly \(Fable\)/)).toMatchObject({ subtitle: "Limit reached", icon: { tone: "critical" } });
    expect(seen.line(/^Weekly 97%/).icon).toMatchObject({ tone: "critical" });
    expect(seen.title).toBe("97%");
  });

  test.each([
    ["limits-entry-fable-critical-100-caut", "2026-09-04T18:59:59Z"],
    ["limits-entry-fable-critical-100-smithers", "2026-08-18T20:59:59Z"],
  ])("%s (a published limits[] element): Fable weekly limit reached", (name, now) => {
    const seen = fragment(name, now);
    expect(seen.line("Weekly (Fable) 100% · resets in 1h").subtitle).toBe("Limit reached");
  });

  test.each([
    ["session-is-active-binding-spend-minimal-quota-burndown", "2026-09-03T00:19:59Z", "5h 44% · resets in 1h", "44%"],
    ["pro-two-limits-no-scope-key-golden-cheilman", "2026-08-02T06:20:00Z", "Weekly 54% · resets in 17h 40m", "54%"],
    [
      "limits-array-fable-active-trimmed-codezeno",
      "2026-07-11T12:00:00Z",
      "Weekly (Fable) 43% · reset time unknown",
      "29%",
    ],
  ])("%s: %s is flagged as the active limit", (name, now, line, title) => {
    const seen = real(name, now);
    expect(seen.line(line).subtitle).toBe("Active limit");
    expect(seen.title).toBe(title);
  });

  test("limits[] wins over disagreeing legacy buckets (publisher-edited body)", () => {
    const seen = real("spend-enabled-cap-credits-publisher-edited-yxhuang", "2025-12-31T23:00:00Z");
    expect(windowTitles(seen)).toEqual(["5h 11% · resets in 1h", "Weekly 22% · resets in 2d 1h"]);
  });

  test("two plain windows, nothing else", () => {
    const seen = real("minimal-two-windows-openclaw", "2026-04-02T15:00:00Z");
    expect(seen.titles).toEqual([
      "Claude",
      "5h 54% · resets in 2h",
      "Weekly 53% · resets in 12h",
      "Caps as of just now",
    ]);
  });
});

describe("an answer without usage", () => {
  test("{} is an error that says to log in with claude, never 'Claude updated'; the last good data stays", () => {
    const good = real("minimal-two-windows-openclaw", "2026-04-02T15:00:00Z");
    const seen = seeAnswer("claude", answerFixture("synthetic", "claude-usage", "empty-object.json"), {
      now: Date.parse("2026-04-02T15:05:00Z"),
      previous: good.stored,
    });
    expect(seen.outcome.status).toBe("failed");
    expect(seen.line("Last refresh failed: Claude answered without usage data").tooltip).toMatch(
      /cannot read usage .* Log in with `claude`/,
    );
    expect(seen.titles).toContain("5h 54% · resets in 1h 55m");
    const toast = summarizeOutcomes([seen.outcome]);
    expect(toast.title).toBe("Billing refresh failed");
    expect(toast.message).not.toMatch(/updated/);
  });
});
