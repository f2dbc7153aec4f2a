import { adaptClaudeUsage } from "../../../src/sources/claude/usage-adapter";
import { adaptCodexUsage } from "../../../src/sources/codex/usage-adapter";
import type { AdapterOutcome } from "../../../src/sources/parse";
import { capsSnapshotSchema, creditReadingSchema } from "../../../src/model/schemas";
import { FETCHED_AT } from "../../support/fixtures";

const nested = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

const JUNK: string[] = [
  "",
  " ",
  "null",
  "true",
  "0",
  "-1",
  '"string"',
  "[]",
  "[{}]",
  "{}",
  "{",
  "}",
  "undefined",
  "NaN",
  "<html></html>",
  '{"rate_limit":5}',
  '{"rate_limit":[]}',
  '{"rate_limit":{"primary_window":[]}}',
  '{"rate_limit":{"primary_window":{"used_percent":-50,"limit_window_seconds":18000}}}',
  '{"rate_limit":{"primary_window":{"used_percent":1e308,"limit_window_seconds":1e308,"reset_at":1e308}}}',
  '{"rate_limit":{"primary_window":{"used_percent":1e400,"limit_window_seconds":18000}}}',
  '{"rate_limit":{"primary_window":{"used_percent":5,"limit_window_seconds":-18000,"reset_after_seconds":-1e308}}}',
  '{"credits":{"balance":"1e400"}}',
  '{"credits":{"balance":-1e308,"has_credits":true}}',
  '{"additional_rate_limits":[null]}',
  '{"additional_rate_limits":"many"}',
  '{"five_hour":{"utilization":-12,"resets_at":"yesterday"}}',
  '{"five_hour":{"utilization":1e308,"resets_at":"9999-99-99T00:00:00Z"}}',
  '{"seven_day":5,"five_hour":"x"}',
  '{"limits":[null]}',
  '{"limits":[{"kind":"weekly_scoped","percent":5,"scope":"x"}]}',
  '{"extra_usage":{"is_enabled":true,"monthly_limit":1e308,"used_credits":-1e308,"utilization":1e308}}',
  '{"extra_usage":{"is_enabled":true,"monthly_limit":-5,"used_credits":5}}',
  '{"extra_usage":{"is_enabled":true,"monthly_limit":100,"used_credits":5,"currency":"   "}}',
  '{"extra_usage":{"is_enabled":true,"monthly_limit":100,"decimal_places":99}}',
  '{"spend":{"cap":{"money":null,"credits":{"amount":5}}}}',
  '{"__proto__":{"rate_limit":null},"constructor":{"prototype":1}}',
  nested(50),
  nested(20000),
  "[".repeat(20000) + "]".repeat(20000),
  "\u0000\uFFFF\uD800",
  JSON.stringify({ rate_limit: { primary_window: { used_percent: "12", limit_window_seconds: "x" } } }),
];

function randomJunk(seed: number): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = '{}[]":,0123456789.eE-+ntrufalsbcdx_';
  return Array.from({ length: 1 + Math.floor(next() * 60) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(
    "",
  );
}

const INPUTS = [...JUNK, ...Array.from({ length: 40 }, (_, index) => randomJunk(index + 1))];

/** Whatever an adapter accepts must also be storable. */
function expectStorable(outcome: AdapterOutcome) {
  if (!outcome.ok) {
    expect(["wrong_shape", "not_json", "no_usage"]).toContain(outcome.error);
    expect(outcome.message).not.toBe("");
    expect(outcome.hint).not.toBe("");
    return;
  }
  const { caps, credits, warnings } = outcome.result;
  if (caps) expect(capsSnapshotSchema.safeParse(caps).success).toBe(true);
  if (credits) expect(creditReadingSchema.safeParse(credits).success).toBe(true);
  expect(Array.isArray(warnings)).toBe(true);
}

describe.each([
  ["adaptCodexUsage", adaptCodexUsage],
  ["adaptClaudeUsage", adaptClaudeUsage],
])("%s never throws on junk", (_, adapt) => {
  test.each(INPUTS.map((input) => [input.length > 60 ? `${input.slice(0, 60)}…` : input, input]))(
    "%j",
    (_label, input) => {
      let outcome: AdapterOutcome | undefined;
      expect(() => (outcome = adapt(input, FETCHED_AT))).not.toThrow();
      expectStorable(outcome as AdapterOutcome);
    },
  );
});
