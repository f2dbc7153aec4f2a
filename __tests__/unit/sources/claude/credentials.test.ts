/**
 * The Claude plan from Claude Code's local credentials file: real published files
 * (fixtures/real/claude-credentials, tokens fake) and hostile ones. Only the plan comes out.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { claudePlanId, readClaudePlan } from "../../../../src/sources/claude/credentials";
import { planDisplayName } from "../../../../src/model/names";
import { answerFixture } from "../../../support/answers";
import { makeTempDir } from "../../../support/temp";

function folderWith(contents: string): string {
  const folder = makeTempDir("agent-limits-claude-plan-");
  writeFileSync(path.join(folder, ".credentials.json"), contents);
  return folder;
}

describe("readClaudePlan on real credentials files", () => {
  test.each([
    ["max-no-refresh-token-quota-axi-pr63.json", "max", "Max"],
    ["max-refresh-token-expires-at-claude-rig.json", "max", "Max"],
    ["pro-with-max20x-tier-codexbar-test.json", "pro", "Pro"],
  ])("%s → %s (%s)", async (name, plan, shown) => {
    const found = await readClaudePlan(folderWith(answerFixture("real", "claude-credentials", name)));
    expect(found).toBe(plan);
    expect(planDisplayName(found!)).toBe(shown);
  });

  test("the published pair (a fragment of claudeAiOauth): Pro with the free tier is Pro", async () => {
    const pair = JSON.parse(
      answerFixture("real", "claude-credentials", "pro-default-claude-ai-tier-fragment-issue-38643.json"),
    );
    expect(await readClaudePlan(folderWith(JSON.stringify({ claudeAiOauth: pair })))).toBe("pro");
  });

  test("a Max subscription with a matching tier shows its multiplier (synthetic file)", async () => {
    const file = answerFixture("synthetic", "claude-credentials", "max-20x-tier.json");
    const plan = await readClaudePlan(folderWith(file));
    expect(plan).toBe("max_20x");
    expect(planDisplayName(plan!)).toBe("Max 20x");
  });
});

describe("claudePlanId", () => {
  test.each([
    ["max", "default_claude_max_5x", "max_5x"],
    ["max", undefined, "max"],
    ["pro", "default_claude_max_20x", "pro"],
    ["Team", "default_claude_ai", "team"],
    [undefined, "default_claude_max_20x", null],
    ["  ", undefined, null],
  ])("%p + %p → %p", (subscription, tier, plan) => {
    expect(claudePlanId(subscription, tier)).toBe(plan);
  });
});

describe("readClaudePlan on hostile machines: no plan, no throw, no hang", () => {
  test.each([
    ["no file", null],
    ["not JSON", "{not json"],
    ["no claudeAiOauth", '{"mcpOAuth":{}}'],
    ["a subscription type of the wrong type", '{"claudeAiOauth":{"subscriptionType":7}}'],
    ["a very long subscription type", JSON.stringify({ claudeAiOauth: { subscriptionType: "x".repeat(500) } })],
  ])("%s", async (_label, contents) => {
    const folder = contents === null ? makeTempDir("agent-limits-claude-plan-") : folderWith(contents);
    expect(await readClaudePlan(folder)).toBeNull();
  });

  test("a file over 64 KiB is not read", async () => {
    const padded = JSON.stringify({ claudeAiOauth: { subscriptionType: "max" }, pad: "x".repeat(70 * 1024) });
    expect(await readClaudePlan(folderWith(padded))).toBeNull();
  });

  test("a FIFO named like the file is not waited on", async () => {
    const folder = makeTempDir("agent-limits-claude-plan-");
    execFileSync("mkfifo", [path.join(folder, ".credentials.json")]);
    expect(await readClaudePlan(folder)).toBeNull();
  });

  test("a folder named like the file, and a link to one, give no plan", async () => {
    const folder = makeTempDir("agent-limits-claude-plan-");
    mkdirSync(path.join(folder, ".credentials.json"));
    expect(await readClaudePlan(folder)).toBeNull();
    const linked = makeTempDir("agent-limits-claude-plan-");
    mkdirSync(path.join(linked, "elsewhere"));
    symlinkSync(path.join(linked, "elsewhere"), path.join(linked, ".credentials.json"));
    expect(await readClaudePlan(linked)).toBeNull();
  });
});
