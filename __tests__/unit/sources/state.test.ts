import { EMPTY_SOURCE } from "../../../src/billing/storage";
import { buildSourceState, mostConstrained, newerCaps } from "../../../src/sources/state";
import { capWindow, caps, HOUR, MINUTE, NOW, settings, weeklyWindow } from "../../support/builders";

const codexAt = (percent: number) =>
  buildSourceState(
    { source: "codex", localCaps: caps([weeklyWindow({ usedPercent: percent })]), stored: EMPTY_SOURCE },
    settings(),
    NOW,
  );

describe("the menu bar title's source", () => {
  test("the most-used cap across sources wins", () => {
    const claude = buildSourceState(
      { source: "claude", localCaps: caps([capWindow({ usedPercent: 90 })]), stored: EMPTY_SOURCE },
      settings(),
      NOW,
    );
    expect(mostConstrained([codexAt(61), claude], NOW)?.source).toBe("claude");
    expect(mostConstrained([codexAt(95), claude], NOW)?.source).toBe("codex");
  });

  test("a low balance that binds beats a half-used cap", () => {
    const claude = buildSourceState(
      {
        source: "claude",
        localCaps: null,
        stored: {
          ...EMPTY_SOURCE,
          credits: { balance: { kind: "money", money: { amount: 2, currency: "USD" } }, usable: true, updatedAt: NOW },
        },
      },
      settings({ claudePlanType: "usageCredits" }),
      NOW,
    );
    expect(mostConstrained([codexAt(50), claude], NOW)?.source).toBe("claude");
  });

  test("a source drawing on credits because a cap is exhausted outranks any cap", () => {
    const drawing = buildSourceState(
      {
        source: "claude",
        localCaps: caps([capWindow({ usedPercent: 100 })]),
        stored: {
          ...EMPTY_SOURCE,
          credits: {
            balance: { kind: "money", money: { amount: 400, currency: "USD" } },
            usable: true,
            updatedAt: NOW,
          },
        },
      },
      settings(),
      NOW,
    );
    expect(drawing.limiter.kind).toBe("credits");
    expect(mostConstrained([codexAt(95), drawing], NOW)?.source).toBe("claude");
  });

  test("sources with nothing known are never chosen", () => {
    const empty = buildSourceState({ source: "claude", localCaps: null, stored: EMPTY_SOURCE }, settings(), NOW);
    expect(mostConstrained([empty], NOW)).toBeNull();
    expect(mostConstrained([empty, codexAt(10)], NOW)?.source).toBe("codex");
  });
});

describe("caps from two places", () => {
  const local = caps([capWindow()], { capturedAt: NOW - 10 * MINUTE, origin: "claude-statusline" });
  const fetched = caps([capWindow()], { capturedAt: NOW - HOUR, origin: "claude-usage-api" });

  test("the newer reading wins, local on a tie", () => {
    expect(newerCaps(local, fetched, NOW)).toBe(local);
    expect(newerCaps({ ...local, capturedAt: NOW - 2 * HOUR }, fetched, NOW)).toBe(fetched);
    expect(newerCaps({ ...local, capturedAt: fetched.capturedAt }, fetched, NOW)?.origin).toBe("claude-statusline");
    expect(newerCaps(null, fetched, NOW)).toBe(fetched);
    expect(newerCaps(local, null, NOW)).toBe(local);
  });

  test("a fetched reading dated ahead of the clock does not hide local data", () => {
    expect(newerCaps(local, { ...fetched, capturedAt: NOW + HOUR }, NOW)).toBe(local);
  });
});
