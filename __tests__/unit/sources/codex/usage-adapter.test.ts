import { adaptCodexUsage } from "../../../../src/sources/codex/usage-adapter";
import type { AdapterResult } from "../../../../src/sources/parse";
import { expectOk, FETCHED_AT, readFixture } from "../../../support/fixtures";
import { caps, credits, fiveHour, weekly } from "./usage-values";

function adaptFixture(name: string) {
  return adaptCodexUsage(readFixture("codex-usage", `${name}.json`), FETCHED_AT);
}

describe("adaptCodexUsage fixtures (synthetic, from provider-formats.md)", () => {
  const cases: [string, AdapterResult][] = [
    [
      "pro-with-credits-and-spark",
      {
        caps: caps("pro", [
          fiveHour(37),
          weekly(61),
          {
            id: "5h:codex_bengalfox",
            label: "5h (GPT-5.3-Codex-Spark)",
            usedPercent: 5,
            windowMinutes: 300,
            resetsAt: 1791825000000,
            scoped: true,
          },
        ]),
        credits: credits(412.5, true),
        warnings: [],
      },
    ],
    [
      "free-weekly-only-0E-10",
      { caps: caps("free", [weekly(0, 1792418607000)]), credits: credits(0, false, "no credits"), warnings: [] },
    ],
    [
      "limit-reached-credits",
      { caps: caps("plus", [fiveHour(100), weekly(74)]), credits: credits(38, true), warnings: [] },
    ],
    [
      "business-no-windows-spend-control",
      {
        caps: caps("business", [
          {
            id: "spend-limit",
            label: "Spending limit",
            usedPercent: 8,
            windowMinutes: null,
            resetsAt: 1793491200000,
            note: "7,761 of 100,000 credits used, set by your workspace",
          },
        ]),
        credits: credits(9999, true),
        warnings: [],
      },
    ],
    [
      "enterprise-unlimited",
      {
        caps: caps("enterprise", [fiveHour(4), weekly(11)]),
        credits: { balance: { kind: "unlimited" }, usable: true, updatedAt: FETCHED_AT, origin: "usage-api" },
        warnings: [],
      },
    ],
    [
      "low-balance",
      {
        caps: caps("plus", [fiveHour(82, 1791817407000), weekly(90, 1791900207000)]),
        credits: credits(3.5, true),
        warnings: [],
      },
    ],
    [
      "zero-balance-has-credits-false",
      { caps: caps("plus", [fiveHour(12), weekly(30)]), credits: credits(0, false, "no credits"), warnings: [] },
    ],
    [
      "positive-balance-has-credits-false",
      { caps: caps("team", [fiveHour(12)]), credits: credits(125.75, false, "no credits"), warnings: [] },
    ],
    ["swapped-windows", { caps: caps("plus", [fiveHour(37), weekly(61)]), credits: null, warnings: [] }],
    [
      "used-percent-string",
      { caps: caps("plus", [fiveHour(42), weekly(7.5)]), credits: credits(20, true), warnings: [] },
    ],
    [
      "missing-reset-at",
      {
        caps: caps("pro", [fiveHour(37, FETCHED_AT + 9453 * 1000), weekly(61, FETCHED_AT + 328157 * 1000)]),
        credits: credits(100, true),
        warnings: [],
      },
    ],
    [
      "unknown-extra-fields",
      {
        caps: caps(
          "prolite",
          [
            { id: "1m", label: "1m", usedPercent: 1, windowMinutes: 1, resetsAt: null },
            fiveHour(22),
            { id: "43200m", label: "30d", usedPercent: 100, windowMinutes: 43200, resetsAt: 1793813807000 },
            {
              id: "60m:codex_preview",
              label: "1h (Hourly Preview)",
              usedPercent: 0,
              windowMinutes: 60,
              resetsAt: FETCHED_AT + 600 * 1000,
              scoped: true,
            },
          ],
          { reached: { reason: "workspace owner's credits used up", resetsAt: null } },
        ),
        credits: credits(125, false, "workspace owner's credits used up"),
        warnings: [],
      },
    ],
  ];

  test.each(cases)("%s", (name, expected) => {
    expect(expectOk(adaptFixture(name))).toStrictEqual(expected);
  });

  test("rate-limit-null: a plan with no limits and no credits is an error with a hint, never updated", () => {
    expect(adaptFixture("rate-limit-null")).toMatchObject({
      ok: false,
      error: "no_usage",
      message: "Codex answered without usage data",
      hint: expect.stringContaining("codex login"),
    });
  });

  test("wrong-type: a body with nothing readable names the field that is not a number", () => {
    const outcome = adaptFixture("wrong-type");
    expect(outcome).toMatchObject({ ok: false, error: "wrong_shape" });
    if (outcome.ok) return;
    expect(outcome.message).toContain("rate_limit.primary_window.used_percent");
    expect(outcome.message).toContain('"abc"');
    expect(outcome.hint).not.toBe("");
  });

  test("an HTML challenge page is not JSON", () => {
    const outcome = adaptCodexUsage(readFixture("codex-usage", "not-json.txt"), FETCHED_AT);
    expect(outcome).toMatchObject({ ok: false, error: "not_json" });
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/not JSON/);
    expect(outcome.hint).toMatch(/HTML/);
  });
});
