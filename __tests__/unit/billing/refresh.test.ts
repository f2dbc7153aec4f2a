import { summarizeOutcomes } from "../../../src/view/refresh-summary";
import { readFileSync } from "node:fs";
import { LocalStorage } from "@raycast/api";
import type { SourceId } from "../../../src/model/types";
import type { ProbeRun } from "../../../src/billing/probe-runner";
import { applyProbeRun, DEFAULT_COOL_DOWN_MS, parseEnvelope, refreshSources } from "../../../src/billing/refresh";
import { EMPTY_SOURCE, loadSource, saveSource } from "../../../src/billing/storage";
import { HOUR, MINUTE, NOW, probeEnvelope, probeRun } from "../../support/builders";
import { fixturePath } from "../../support/paths";

const fixture = (name: string) => readFileSync(fixturePath(name), "utf8");
const run = probeRun;
const envelope = probeEnvelope;

const TTL = 6 * HOUR;
const codexSuccess = run({ stdout: fixture("codex-usage/pro-with-credits-and-spark.json") });

describe("applyProbeRun", () => {
  test("success stores the balance, FreshUntilCredits = now + TTL, the caps, and clears the error", () => {
    const previous = {
      ...EMPTY_SOURCE,
      lastError: { code: "timeout", message: "timed out", hint: "", at: NOW - HOUR },
    };
    const { next, outcome } = applyProbeRun("codex", previous, codexSuccess, NOW, TTL);
    expect(outcome).toMatchObject({ status: "updated" });
    expect(next.credits).toMatchObject({
      balance: { kind: "codexCredits", credits: 412.5 },
      usable: true,
      updatedAt: NOW,
    });
    expect(next.freshUntilCredits).toBe(NOW + TTL);
    expect(next.caps?.windows.map((window) => window.id)).toEqual(["5h", "weekly", "5h:codex_bengalfox"]);
    expect(next.lastError).toBeNull();
    expect(next.lastAttemptAt).toBe(NOW);
  });

  test("a failure keeps the last good balance and records why", () => {
    const good = applyProbeRun("codex", EMPTY_SOURCE, codexSuccess, NOW - HOUR, TTL).next;
    const failed = run({
      exitCode: 13,
      stdout: envelope("auth_expired", "Run `codex` once to refresh your login", { http_status: 401 }),
    });
    const { next, outcome } = applyProbeRun("codex", good, failed, NOW, TTL);
    expect(next.credits).toEqual(good.credits);
    expect(next.freshUntilCredits).toBe(good.freshUntilCredits);
    expect(next.caps).toEqual(good.caps);
    expect(next.lastError).toEqual({
      code: "auth_expired",
      message: "login expired or rejected",
      hint: "Run `codex` once to refresh your login",
      at: NOW,
      httpStatus: 401,
    });
    expect(outcome.status).toBe("failed");
  });

  test("429 starts a cool-down from Retry-After, or the default", () => {
    const withRetry = run({
      exitCode: 17,
      stdout: envelope("rate_limited", "Try again later", { http_status: 429, retry_after: 120 }),
    });
    expect(applyProbeRun("claude", EMPTY_SOURCE, withRetry, NOW, TTL).next.coolDownUntil).toBe(NOW + 120_000);
    const without = run({ exitCode: 17, stdout: envelope("rate_limited", "Try again later", { http_status: 429 }) });
    expect(applyProbeRun("claude", EMPTY_SOURCE, without, NOW, TTL).next.coolDownUntil).toBe(
      NOW + DEFAULT_COOL_DOWN_MS,
    );
  });

  test("missing login is 'not set up', not an error", () => {
    const missing = run({ exitCode: 14, stdout: envelope("credentials_not_found", "Log in with `claude`") });
    const { next, outcome } = applyProbeRun("claude", EMPTY_SOURCE, missing, NOW, TTL);
    expect(outcome).toEqual({ source: "claude", status: "notSetUp", hint: "Log in with `claude`" });
    expect(next.lastError).toBeNull();
  });

  test.each([
    ["exit 0 with an error body", run({ exitCode: 0, stdout: envelope("http_error", "Provider error") })],
    ["an exit code with no envelope", run({ exitCode: 3, stdout: "" })],
    ["a body that is not JSON", run({ stdout: "<html>challenge</html>" })],
    ["valid JSON of the wrong shape", run({ stdout: fixture("codex-usage/wrong-type.json") })],
    ["a timeout", run({ exitCode: null, timedOut: true })],
    ["too much output", run({ exitCode: null, truncated: true })],
    ["binary output", run({ stdout: "\u0000\u0001\u00ff" })],
  ])("%s is a stored error with a hint", (_name, probeRun) => {
    const good = applyProbeRun("codex", EMPTY_SOURCE, codexSuccess, NOW - HOUR, TTL).next;
    const { next, outcome } = applyProbeRun("codex", good, probeRun, NOW, TTL);
    expect(outcome.status).toBe("failed");
    expect(next.lastError?.hint).toBeTruthy();
    expect(next.lastError?.message).toBeTruthy();
    expect(next.credits).toEqual(good.credits);
  });

  test("a body without credits means none, even with an unrelated warning", () => {
    const good = applyProbeRun("codex", EMPTY_SOURCE, codexSuccess, NOW - HOUR, TTL).next;
    const body = JSON.parse(fixture("codex-usage/pro-with-credits-and-spark.json"));
    delete body.credits;
    body.plan_type = 7;
    const { next, outcome } = applyProbeRun("codex", good, run({ stdout: JSON.stringify(body) }), NOW, TTL);
    expect(outcome).toMatchObject({ status: "updated", warnings: [expect.stringContaining("plan_type")] });
    expect(next.credits).toBeNull();
  });

  test("exit 14 without a login is a skip that clears older errors; other exit-14 problems are errors", () => {
    const failed = applyProbeRun(
      "claude",
      EMPTY_SOURCE,
      run({ exitCode: 12, stdout: envelope("timeout", "later") }),
      NOW - HOUR,
      TTL,
    ).next;
    const loggedOut = run({ exitCode: 14, stdout: envelope("credentials_not_found", "Log in with `claude`") });
    expect(applyProbeRun("claude", failed, loggedOut, NOW, TTL).next.lastError).toBeNull();
    const noCurl = run({
      exitCode: 14,
      stdout: envelope("tool_missing", "curl was not found. Install curl, then try again."),
    });
    const { next, outcome } = applyProbeRun("claude", failed, noCurl, NOW, TTL);
    expect(outcome.status).toBe("failed");
    expect(next.lastError).toMatchObject({
      code: "tool_missing",
      hint: "curl was not found. Install curl, then try again.",
    });
  });

  test("the envelope is read from the last line only, and must be the error shape", () => {
    expect(parseEnvelope('noise\n{"ok":false,"error":"timeout","hint":"h"}')).toMatchObject({ error: "timeout" });
    expect(parseEnvelope('{"ok":true}')).toBeNull();
    expect(parseEnvelope('{"ok":false,"error":42}')).toBeNull();
  });
});

describe("refreshSources", () => {
  const runner = (outputs: Record<SourceId, ProbeRun>) => jest.fn(async (source: SourceId) => outputs[source]);

  test("runs both sources, persists each, and one failure does not stop the other", async () => {
    const runProbe = runner({
      codex: codexSuccess,
      claude: run({ exitCode: 12, stdout: envelope("timeout", "Try again later") }),
    });
    const outcomes = await refreshSources(["codex", "claude"], {
      store: LocalStorage,
      runProbe,
      ttlMs: TTL,
      now: () => NOW,
    });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["updated", "failed"]);
    expect((await loadSource(LocalStorage, "codex")).stored.credits?.updatedAt).toBe(NOW);
    expect((await loadSource(LocalStorage, "claude")).stored.lastError?.code).toBe("timeout");
  });

  test("a source cooling down is skipped without running its probe, until the cool-down ends", async () => {
    await saveSource(LocalStorage, "claude", { ...EMPTY_SOURCE, coolDownUntil: NOW + 10 * MINUTE });
    const runProbe = runner({
      codex: codexSuccess,
      claude: run({ stdout: fixture("claude-usage/max-extra-off.json") }),
    });
    const during = await refreshSources(["claude"], { store: LocalStorage, runProbe, ttlMs: TTL, now: () => NOW });
    expect(during).toEqual([{ source: "claude", status: "coolingDown", until: NOW + 10 * MINUTE }]);
    expect(runProbe).not.toHaveBeenCalled();
    const after = await refreshSources(["claude"], {
      store: LocalStorage,
      runProbe,
      ttlMs: TTL,
      now: () => NOW + 11 * MINUTE,
    });
    expect(after[0].status).toBe("updated");
  });

  test("two refreshes at once leave one whole record per source", async () => {
    let calls = 0;
    const runProbe = jest.fn(async () => {
      const call = ++calls;
      await new Promise((resolve) => setTimeout(resolve, call === 1 ? 20 : 1));
      return call === 1
        ? codexSuccess
        : run({ exitCode: 11, stdout: envelope("http_error", "Try later", { http_status: 500 }) });
    });
    const deps = { store: LocalStorage, runProbe, ttlMs: TTL, now: () => NOW };
    await Promise.all([refreshSources(["codex"], deps), refreshSources(["codex"], deps)]);
    const { stored, problem } = await loadSource(LocalStorage, "codex");
    expect(problem).toBeUndefined();
    // The failure landed first, then the success: whole records, the balance present.
    expect(stored.credits?.balance).toEqual({ kind: "codexCredits", credits: 412.5 });
  });

  test("a failure finishing together with a success never rolls the balance back", async () => {
    await saveSource(LocalStorage, "codex", {
      ...EMPTY_SOURCE,
      credits: { balance: { kind: "codexCredits", credits: 1 }, usable: true, updatedAt: NOW - HOUR },
    });
    // A slow store widens the window between reading a record and writing it back.
    const slowStore = {
      ...LocalStorage,
      getItem: async <T extends string | number | boolean>(key: string) => {
        const value = await LocalStorage.getItem<T>(key);
        await new Promise((resolve) => setTimeout(resolve, 10));
        return value;
      },
    };
    const failure = run({ exitCode: 11, stdout: envelope("http_error", "Try later", { http_status: 500 }) });
    const deps = (probe: ProbeRun) => ({ store: slowStore, runProbe: async () => probe, ttlMs: TTL, now: () => NOW });
    await Promise.all([refreshSources(["codex"], deps(codexSuccess)), refreshSources(["codex"], deps(failure))]);
    expect((await loadSource(LocalStorage, "codex")).stored.credits?.balance).toEqual({
      kind: "codexCredits",
      credits: 412.5,
    });
  });

  test("a damaged cool-down far in the future does not block the source for ever", async () => {
    await saveSource(LocalStorage, "codex", { ...EMPTY_SOURCE, coolDownUntil: Date.parse("9999-01-01T00:00:00Z") });
    const runProbe = jest.fn(async () => codexSuccess);
    const [outcome] = await refreshSources(["codex"], { store: LocalStorage, runProbe, ttlMs: TTL, now: () => NOW });
    expect(outcome.status).toBe("updated");
  });

  test("a balance the adapter had to drop keeps the last good one, and the warning reaches the toast", async () => {
    const good = applyProbeRun(
      "claude",
      EMPTY_SOURCE,
      run({ stdout: fixture("claude-usage/low-balance.json") }),
      NOW - HOUR,
      TTL,
    ).next;
    const oddCurrency = JSON.parse(fixture("claude-usage/eur-with-limits-and-spend.json"));
    oddCurrency.extra_usage.currency = "€";
    delete oddCurrency.spend;
    const { next, outcome } = applyProbeRun("claude", good, run({ stdout: JSON.stringify(oddCurrency) }), NOW, TTL);
    expect(outcome.status).toBe("updated");
    expect(next.credits).toEqual(good.credits);
    expect(summarizeOutcomes([outcome]).message).toMatch(/^Claude updated\. .+/);
  });

  test("the summary names what updated and what failed and why", () => {
    const summary = summarizeOutcomes([
      { source: "codex", status: "updated", warnings: [] },
      {
        source: "claude",
        status: "failed",
        error: {
          code: "auth_expired",
          message: "login expired or rejected",
          hint: "Open Claude Code to refresh its login",
          at: NOW,
        },
        requestSent: true,
      },
    ]);
    expect(summary).toEqual({
      success: false,
      title: "Billing partly refreshed",
      message: "Codex updated\nClaude failed: login expired or rejected. Open Claude Code to refresh its login",
    });
  });
});
