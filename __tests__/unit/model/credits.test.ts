import { isLowBalance, resolveCredits } from "../../../src/model/credits";
import { isCreditFresh } from "../../../src/model/freshness";
import type { CreditReading } from "../../../src/model/types";
import { credits, HOUR, MINUTE, NOW } from "../../support/builders";

const pricing = { ttlMs: 6 * HOUR, codexCreditUnitPrice: 0.04 };

describe("resolveCredits", () => {
  test("Codex credits become money with the unit price", () => {
    const reading: CreditReading = { balance: { kind: "codexCredits", credits: 412.5 }, usable: true, updatedAt: NOW };
    expect(resolveCredits(reading, pricing)).toEqual({
      creditBalanceUSD: { amount: 16.5, currency: "USD" },
      unlimited: false,
      usable: true,
      limit: null,
      creditUpdatedAt: NOW,
      creditRefreshAt: NOW + 6 * HOUR,
      creditTTL: 6 * HOUR,
      credits: 412.5,
      creditUnitPrice: 0.04,
    });
  });

  test("a price change applies to a stored balance", () => {
    const reading: CreditReading = { balance: { kind: "codexCredits", credits: 100 }, usable: true, updatedAt: NOW };
    expect(resolveCredits(reading, { ...pricing, codexCreditUnitPrice: 0.1 }).creditBalanceUSD?.amount).toBeCloseTo(10);
  });

  test("money keeps its own currency; unlimited has no amount", () => {
    const eur: CreditReading = {
      balance: { kind: "money", money: { amount: 37.15, currency: "EUR" } },
      usable: true,
      limit: { amount: 50, currency: "EUR" },
      updatedAt: NOW,
    };
    expect(resolveCredits(eur, pricing)).toMatchObject({
      creditBalanceUSD: { amount: 37.15, currency: "EUR" },
      limit: { amount: 50, currency: "EUR" },
    });
    const unlimited = resolveCredits({ balance: { kind: "unlimited" }, usable: true, updatedAt: NOW }, pricing);
    expect(unlimited).toMatchObject({ creditBalanceUSD: null, unlimited: true });
  });
});

describe("TTL boundary, for every TTL choice", () => {
  test.each([1, 3, 6, 12, 24])("%i h: fresh at TTL − 1 min, stale at TTL and at TTL + 1 min", (hours) => {
    const reading: CreditReading = { balance: { kind: "codexCredits", credits: 10 }, usable: true, updatedAt: NOW };
    const resolved = resolveCredits(reading, { ...pricing, ttlMs: hours * HOUR });
    expect(isCreditFresh(resolved, NOW + hours * HOUR - MINUTE)).toBe(true);
    expect(isCreditFresh(resolved, NOW + hours * HOUR)).toBe(false);
    expect(isCreditFresh(resolved, NOW + hours * HOUR + MINUTE)).toBe(false);
  });

  test("an update time ahead of the clock is stale, not fresh for ever", () => {
    expect(isCreditFresh(credits({ creditUpdatedAt: NOW + HOUR, creditRefreshAt: NOW + 7 * HOUR }), NOW)).toBe(false);
  });
});

describe("low balance", () => {
  test("under 10 % of the limit", () => {
    const limit = { amount: 50, currency: "EUR" };
    expect(isLowBalance(credits({ creditBalanceUSD: { amount: 4.99, currency: "EUR" }, limit }))).toBe(true);
    expect(isLowBalance(credits({ creditBalanceUSD: { amount: 5, currency: "EUR" }, limit }))).toBe(false);
  });

  test("under 5 without a limit; never for unlimited", () => {
    expect(isLowBalance(credits({ creditBalanceUSD: { amount: 4.99, currency: "USD" } }))).toBe(true);
    expect(isLowBalance(credits({ creditBalanceUSD: { amount: 5, currency: "USD" } }))).toBe(false);
    expect(isLowBalance(credits({ unlimited: true, creditBalanceUSD: null }))).toBe(false);
  });
});
