import { activeLimiter, bindingWindow, resolvePlanType, sourceLimitReached } from "../../../src/model/limiter";
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
  // Auto: caps + usable credit → mixed; caps only → subscription caps; usable credits only → usage credits.
  // Credit that cannot be spent (zero, unusable) never makes auto resolve to usage credits.
  "auto/capsFirst": ["CCCCC", "$$CCC", "CCCCC", "$$CCC"],
  "auto/preferCredits": ["$CCCC", "$CCCC", "$CCCC", "$$CCC"],
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
  test("usable credit with caps is mixed; credit that cannot be spent leaves caps only", () => {
    const withCaps = (usable: boolean) => snapshot({ caps: caps([capWindow()]), credits: credits({ usable }) });
    expect(resolvePlanType(withCaps(true), "auto")).toBe("mixed");
    expect(resolvePlanType(withCaps(false), "auto")).toBe("subscriptionCaps");
  });

  test("credits only: usage credits when usable, never for a balance that cannot be spent", () => {
    expect(resolvePlanType(snapshot({ credits: credits() }), "auto")).toBe("usageCredits");
    const unknown = credits({ usable: false, creditBalanceUSD: null, notUsableReason: "balance not given" });
    expect(resolvePlanType(snapshot({ credits: unknown }), "auto")).toBe("subscriptionCaps");
  });

  test("a limit-reached signal with no windows counts as caps", () => {
    const reached = caps([], { reached: { reason: "workspace usage limit", resetsAt: null } });
    expect(resolvePlanType(snapshot({ caps: reached, credits: credits() }), "auto")).toBe("mixed");
  });

  test("nothing at all resolves to subscription caps", () => {
    expect(resolvePlanType(snapshot(), "auto")).toBe("subscriptionCaps");
  });

  test("an explicit setting is kept", () => {
    expect(resolvePlanType(snapshot(), "mixed")).toBe("mixed");
  });
});

describe("limit reached", () => {
  const signal = { reason: "workspace usage limit", resetsAt: null };

  test("a provider signal binds the whole source whatever the percentages say", () => {
    const limiter = activeLimiter(
      snapshot({ caps: caps([capWindow({ usedPercent: 42 })], { reached: signal }) }),
      "auto",
      "capsFirst",
      NOW,
    );
    expect(limiter).toMatchObject({ kind: "caps", reached: signal, reason: "limit reached: workspace usage limit" });
    expect(sourceLimitReached(snapshot({ caps: caps([capWindow()], { reached: signal }) }), NOW)).toEqual(signal);
  });

  test("a signal with a reset time stops holding once it passes", () => {
    const passed = caps([capWindow({ usedPercent: 42 })], { reached: { ...signal, resetsAt: NOW - MINUTE } });
    expect(sourceLimitReached(snapshot({ caps: passed }), NOW)).toBeNull();
  });

  test("an account window at 100 % or marked reached is a reached limit, until it resets", () => {
    const full = caps([capWindow({ usedPercent: 100 })]);
    expect(sourceLimitReached(snapshot({ caps: full }), NOW)).toEqual({
      reason: "5h limit",
      resetsAt: full.windows[0].resetsAt,
    });
    const marked = caps([weeklyWindow({ usedPercent: 80, reached: true })]);
    expect(sourceLimitReached(snapshot({ caps: marked }), NOW)?.reason).toBe("Weekly limit");
    const reset = caps([capWindow({ usedPercent: 100, resetsAt: NOW - MINUTE })]);
    expect(sourceLimitReached(snapshot({ caps: reset }), NOW)).toBeNull();
  });

  test("a scoped window at its limit does not bind the source", () => {
    const scoped = weeklyWindow({ id: "weekly:fable", label: "Weekly (Fable)", usedPercent: 100, scoped: true });
    expect(sourceLimitReached(snapshot({ caps: caps([capWindow(), scoped]) }), NOW)).toBeNull();
  });

  test("with usable credit, a reached limit hands over to credits; without, the caps stay and say so", () => {
    const reached = caps([capWindow({ usedPercent: 42 })], { reached: signal });
    expect(activeLimiter(snapshot({ caps: reached, credits: credits() }), "auto", "capsFirst", NOW)).toMatchObject({
      kind: "credits",
      reason: "workspace usage limit, credits in use",
    });
    const unusable = credits({ usable: false, notUsableReason: "out of credits" });
    expect(activeLimiter(snapshot({ caps: reached, credits: unusable }), "auto", "capsFirst", NOW)).toMatchObject({
      kind: "caps",
      reached: signal,
    });
  });
});
