/**
 * What a rollout line means, from real published lines (fixtures/real/codex-sessions) and synthetic
 * ones for shapes nobody published (fixtures/synthetic/codex-sessions), read as the menu shows them.
 */
import { EMPTY_SOURCE } from "../../../../src/billing/storage";
import { newestSnapshotInText } from "../../../../src/sources/codex/log-lines";
import { answerFixture, seeState } from "../../../support/answers";

const real = (name: string) => answerFixture("real", "codex-sessions", name);
const synthetic = (name: string) => answerFixture("synthetic", "codex-sessions", name);

/** A published payload (or `rate_limits` fragment) in the rollout envelope Codex writes around it. */
function tokenCountLine(timestamp: string, payload: object): string {
  return JSON.stringify({ timestamp, type: "event_msg", payload: { type: "token_count", ...payload } });
}

/** The menu's section for the snapshot a log text gives, at `now`. */
function menuOf(text: string, now: string) {
  const localCaps = newestSnapshotInText(text);
  return seeState("codex", EMPTY_SOURCE, { now: Date.parse(now), localCaps });
}

const windowTitles = (titles: string[]) => titles.filter((title) => /%/.test(title));

describe("real rollout lines", () => {
  test("Codex Desktop 0.104: windows, no plan, a credits object with no balance is not a credit line", () => {
    const seen = menuOf(real("codex-0.104-desktop-credits-nobalance-plan-null.jsonl"), "2026-02-23T12:00:00Z");
    expect(seen.titles[0]).toBe("Codex");
    expect(windowTitles(seen.titles)).toEqual(["5h 1% · resets in 4h 40m", "Weekly 1% · resets in 5d 21h"]);
    expect(seen.titles.some((title) => /^(Credits|Stale)/.test(title))).toBe(false);
    expect(seen.state.snapshot.credits).toMatchObject({ usable: false, creditBalanceUSD: null });
    expect(seen.rows.Balance).toBe("Not usable: no credits");
  });

  test("0.114 with rate_limits null is no reading (look further back), never 0 %", () => {
    expect(newestSnapshotInText(real("codex-0.114-rate-limits-null-team-issue-14880.jsonl"))).toBeNull();
  });

  test("0.46 exec: 299 and 10079 minutes are 5h and weekly; resets count from the line time", () => {
    const seen = menuOf(real("codex-0.46-exec-resets-in-seconds-299-10079.jsonl"), "2025-10-29T01:00:00Z");
    expect(windowTitles(seen.titles)).toEqual(["5h 0% · resets in 4h 49m", "Weekly 7% · resets in 5d 16h"]);
  });

  test("the flat legacy payload: primary and secondary by their lengths, with no reset time", () => {
    const payload = JSON.parse(real("codex-0.4x-flat-legacy-tokencount-payload-upstream-test.json"));
    const seen = menuOf(tokenCountLine("2025-09-22T07:15:03.551Z", payload), "2025-09-22T07:20:00Z");
    expect(windowTitles(seen.titles)).toEqual(["10m 13% · reset time unknown", "1h 40% · reset time unknown"]);
    expect(seen.title).toBe("40%");
  });

  test("0.58: absolute resets, no limit id, no credits", () => {
    const payload = JSON.parse(real("codex-0.58-resets-at-no-limit-id-payload-tankygranny.json"));
    const seen = menuOf(tokenCountLine("2025-11-18T13:55:53.000Z", payload), "2025-11-18T14:00:00Z");
    expect(windowTitles(seen.titles)).toEqual(["5h 7% · resets in 2h 26m", "Weekly 77% · resets in 1d 12h"]);
  });

  test("May 2026 CLI: credits null, plan Plus", () => {
    const rateLimits = JSON.parse(real("current-rate-limits-object-plus-reached-type-null-irrlicht-309.json"));
    const seen = menuOf(
      tokenCountLine("2026-05-12T20:00:00.000Z", { rate_limits: rateLimits }),
      "2026-05-12T20:00:00Z",
    );
    expect(seen.titles[0]).toBe("Codex · Plus");
    expect(windowTitles(seen.titles)).toEqual(["5h 1% · resets in 2h 32m", "Weekly 0% · resets in 3d 20h"]);
    expect(seen.state.snapshot.credits).toBeNull();
  });
});

describe("a non-codex bucket as the newest reading (synthetic lines)", () => {
  test("a premium reading right after the limit was hit: its plan and credits, never 'API-key login'", () => {
    const snapshot = newestSnapshotInText(synthetic("premium-only-after-limit.jsonl"));
    expect(snapshot).toMatchObject({
      windows: [],
      planName: "plus",
      credits: { usable: false, notUsableReason: "no credits", origin: "codex-session-log" },
    });
    const seen = menuOf(synthetic("premium-only-after-limit.jsonl"), "2026-10-12T14:00:00Z");
    expect(seen.titles).toEqual(["Codex · Plus", "No limit windows reported · just now"]);
    expect(seen.titles.join(" ")).not.toMatch(/API-key/);
  });

  test("a newer premium reading carries its reached signal over the older codex windows", () => {
    const codex =
      '{"timestamp":"2026-10-12T13:58:02.417Z","type":"event_msg","payload":{"type":"token_count","rate_limits":{"limit_id":"codex","primary":{"used_percent":97.0,"window_minutes":300,"resets_at":1791823260},"secondary":null,"credits":{"has_credits":true,"unlimited":false,"balance":"20"},"plan_type":"plus"}}}';
    const premium =
      '{"timestamp":"2026-10-12T13:59:30.250Z","type":"event_msg","payload":{"type":"token_count","rate_limits":{"limit_id":"premium","primary":null,"secondary":null,"credits":{"has_credits":false,"unlimited":false,"balance":"0"},"plan_type":null,"rate_limit_reached_type":"workspace_member_usage_limit_reached"}}}';
    const seen = menuOf(`${codex}\n${premium}\n`, "2026-10-12T14:00:00Z");
    expect(seen.title).toBe("Limit reached");
    expect(seen.titles).toEqual([
      "Codex · Plus",
      "Limit reached: workspace usage limit",
      "5h 97% · resets in 2h 41m",
      "Caps as of 1m ago",
    ]);
    expect(seen.rows.Balance).toBe("Not usable: no credits");
  });

  test("only a model bucket: its plan, and no account windows claimed", () => {
    expect(newestSnapshotInText(synthetic("bengalfox-only.jsonl"))).toEqual({
      windows: [],
      capturedAt: Date.parse("2026-10-12T13:59:45.781Z"),
      origin: "codex-session-log",
      planName: "pro",
    });
  });
});

describe("limit-reached signals in the log (synthetic lines)", () => {
  test("rate_limit_reached_type as an object binds the source, whatever the percentages", () => {
    const seen = menuOf(synthetic("reached-type-object-line.jsonl"), "2026-10-12T14:00:00Z");
    expect(seen.title).toBe("Limit reached");
    expect(seen.titles[1]).toBe("Limit reached: workspace usage limit");
    expect(seen.titles).toContain("5h 42% · resets in 2h 41m");
  });

  test("spend_control_reached: the workspace spending limit, until its reset; the credits are blocked", () => {
    const seen = menuOf(synthetic("spend-control-reached-line.jsonl"), "2026-10-12T14:00:00Z");
    expect(seen.line("Limit reached: workspace spending limit").subtitle).toBe("resets in 19d 10h");
    expect(seen.state.snapshot.credits).toMatchObject({ notUsableReason: "workspace spending limit reached" });
    expect(seen.title).toBe("Limit reached");
  });

  test("a generic rate_limit_reached marks the most-used window when none is at 100 %", () => {
    const seen = menuOf(synthetic("generic-reached-no-full-window.jsonl"), "2026-10-12T14:00:00Z");
    expect(seen.title).toBe("Limit reached");
    expect(seen.line("5h 97% · resets in 2h 41m").subtitle).toBe("Limit reached");
    expect(seen.line("Limit reached: 5h limit").subtitle).toBe("resets in 2h 41m");
  });
});
