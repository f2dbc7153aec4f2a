import { activeLimiter, bindingWindow, resolvePlanType } from "../../../src/model/limiter";
import type { CapsSnapshot, CreditSnapshot, PlanTypeSetting, PrecedencePolicy } from "../../../src/model/types";
import { capWindow, caps, credits, HOUR, MINUTE, NOW, snapshot, weeklyWindow } from "../../support/builders";

/** Cap states of the truth table. */
const CAPS: Record<string, CapsSnapshot | null> = {
  fresh: caps([capWindow({ usedPercent: 37 }), weeklyWindow({ usedPercent: 61 })]),
  exhausted: caps([capWindow({ usedPercent: 100 }), weeklyWindow({ usedPercent: 74 })]),
  // The 5h window was exhausted but its reset time has passed: it counts as reset.
  reset: caps([capWindow({ usedPercent: 100, resetsAt: NOW - HOUR }), weeklyWindow({ usedPercent: 40 })]),
  missing: null,
};

/** Credit states of the truth table. */
const CREDITS: Record<string, CreditSnapshot | null> = {
  fresh: credits(),
  stale: credits({ creditUpdatedAt: NOW - 8 * HOUR, creditRefreshAt: NOW - 2 * HOUR }),
  zero: credits({ creditBalanceUSD: { amount: 0, currency: "USD" }, usable: false }),
  unusable: credits({ creditBalanceUSD: { amount: 16.5, currency: "USD" }, usable: false }),
  missing: null,
};

const CREDIT_COLUMNS = ["fresh", "stale", "zero", "unusable", "missing"];
const CAP_ROWS = ["fresh", "exhausted", "reset", "missing"];

/**
 * Expected limiter per plan type and policy: rows are cap states, columns credit states
 * (fresh, stale, zero, unusable, missing); `C` = caps, `$` = credits.
 */
const TABLE: Record<`${PlanTypeSetting}/${PrecedencePolicy}`, string[]> = {
  "subscriptionCaps/capsFirst": ["CCCCC", "CCCCC", "CCCCC", "CCCCC"],
  "subscriptionCaps/preferCredits": ["CCCCC", "CCCCC", "CCCCC", "CCCCC"],
  "usageCredits/capsFirst": ["$$$$$", "$$$$$", "$$$$$", "$$$$$"],
  "usageCredits/preferCredits": ["$$$$$", "$$$$$", "$$$$$", "$$$$$"],
  // Caps first: credits only when a cap is exhausted (and not reset) while usable credit exists, or with no caps.
  "mixed/capsFirst": ["CCCCC", "$$CCC", "CCCCC", "$$$$$"],
  // Prefer credits: credits when a fresh, usable balance exists, else caps (credits when there are no caps).
  "mixed/preferCredits": ["$CCCC", "$CCCC", "$CCCC", "$$$$$"],
  // Auto: caps + usable credit → mixed; caps only → subscription caps; credits only → usage credits.
  "auto/capsFirst": ["CCCCC", "$$CCC", "CCCCC", "$$$$C"],
  "auto/preferCredits": ["$CCCC", "$CCCC", "$CCCC", "$$$$C"],
};

describe("activeLimiter truth table", () => {
  for (const [key, rows] of Object.entries(TABLE)) {
    const [planType, policy] = key.split("/") as [PlanTypeSetting, PrecedencePolicy];
    CAP_ROWS.forEach((capState, row) => {
      CREDIT_COLUMNS.forEach((creditState, column) => {
        const expected = rows[row][column] === "C" ? "caps" : "credits";
        test(`${planType} · ${policy} · caps ${capState} · credits ${creditState} → ${expected}`, () => {
          const limiter = activeLimiter(
            snapshot({ caps: CAPS[capState], credits: CREDITS[creditState] }),
            planType,
            policy,
            NOW,
          );
          expect(limiter.kind).toBe(expected);
          expect(limiter.reason).not.toBe("");
        });
      });
    });
  }
});

describe("the caps limiter", () => {
  test("is the most-used window", () => {
    const limiter = activeLimiter(snapshot({ caps: CAPS.fresh }), "subscriptionCaps", "capsFirst", NOW);
    expect(limiter).toMatchObject({ kind: "caps", window: { id: "weekly", usedPercent: 61 } });
  });

  test("never binds on a window whose reset time has passed, whatever its old percentage", () => {
    const limiter = activeLimiter(snapshot({ caps: CAPS.reset }), "subscriptionCaps", "capsFirst", NOW);
    expect(limiter).toMatchObject({ kind: "caps", window: { id: "weekly", usedPercent: 40 } });
  });

  test("counts a window resetting exactly now as reset", () => {
    const window = capWindow({ usedPercent: 99, resetsAt: NOW });
    expect(bindingWindow([window, weeklyWindow({ usedPercent: 10 })], NOW)?.id).toBe("weekly");
  });

  test("ignores model-scoped windows", () => {
    const scoped = weeklyWindow({ id: "weekly:sonnet", label: "Weekly (Sonnet)", usedPercent: 95, scoped: true });
    const limiter = activeLimiter(snapshot({ caps: caps([capWindow(), scoped]) }), "auto", "capsFirst", NOW);
    expect(limiter).toMatchObject({ kind: "caps", window: { id: "5h" } });
  });

  test("has no window when there is no cap data", () => {
    expect(activeLimiter(snapshot(), "subscriptionCaps", "capsFirst", NOW)).toMatchObject({
      kind: "caps",
      window: null,
    });
  });

  test("treats a window with an unknown reset time as not reset", () => {
    const window = capWindow({ usedPercent: 100, resetsAt: null });
    const limiter = activeLimiter(snapshot({ caps: caps([window]), credits: credits() }), "mixed", "capsFirst", NOW);
    expect(limiter.kind).toBe("credits");
  });

  test("explains an exhausted cap with credits in use", () => {
    const limiter = activeLimiter(snapshot({ caps: CAPS.exhausted, credits: credits() }), "mixed", "capsFirst", NOW);
    expect(limiter.reason).toBe("5h cap at 100 %, credits in use");
  });
});

describe("auto plan type", () => {
  test("uses the Codex log's word on credits when no balance was fetched", () => {
    expect(resolvePlanType(snapshot({ caps: caps([capWindow()], { creditsUsable: true }) }), "auto")).toBe("mixed");
    expect(resolvePlanType(snapshot({ caps: caps([capWindow()], { creditsUsable: false }) }), "auto")).toBe(
      "subscriptionCaps",
    );
  });

  test("the newer word wins: a fresher balance over the log, a fresher log over an old balance", () => {
    const logSaysUsable = caps([capWindow()], { creditsUsable: true, capturedAt: NOW - 12 * MINUTE });
    const olderUnusable = credits({ usable: false, creditUpdatedAt: NOW - HOUR });
    const newerUnusable = credits({ usable: false, creditUpdatedAt: NOW - MINUTE });
    expect(resolvePlanType(snapshot({ caps: logSaysUsable, credits: olderUnusable }), "auto")).toBe("mixed");
    expect(resolvePlanType(snapshot({ caps: logSaysUsable, credits: newerUnusable }), "auto")).toBe("subscriptionCaps");
  });

  test("an exhausted cap with credit but no fetched balance stays the limiter: there is no figure to show", () => {
    const exhausted = caps([capWindow({ usedPercent: 100 })], { creditsUsable: true });
    expect(activeLimiter(snapshot({ caps: exhausted }), "auto", "capsFirst", NOW)).toMatchObject({
      kind: "caps",
      window: { id: "5h", usedPercent: 100 },
    });
  });

  test("nothing at all resolves to subscription caps", () => {
    expect(resolvePlanType(snapshot(), "auto")).toBe("subscriptionCaps");
  });

  test("an explicit setting is kept", () => {
    expect(resolvePlanType(snapshot(), "mixed")).toBe("mixed");
  });
});
