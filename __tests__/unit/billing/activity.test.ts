/**
 * The activity log says which probe runs touched the network: a refresh that failed before its request
 * (no login, a damaged token, no JSON reader or temporary folder, a refused endpoint, a probe that could
 * not start) is logged with no host and leaves "Network last touched" as it was.
 */
import { LocalStorage } from "@raycast/api";
import { readFileSync } from "node:fs";
import { loadActivity } from "../../../src/billing/activity";
import type { ProbeRun } from "../../../src/billing/probe-runner";
import { refreshSources } from "../../../src/billing/refresh";
import { networkSummary } from "../../../src/view/billing-model";
import { HOUR, NOW, probeEnvelope, probeRun } from "../../support/builders";
import { fixturePath } from "../../support/paths";

const run = probeRun;
const envelope = (error: string, extra: Record<string, unknown> = {}) => probeEnvelope(error, undefined, extra);
const failure = (exitCode: number, error: string, extra: Record<string, unknown> = {}) =>
  run({ exitCode, stdout: envelope(error, extra) });

/** Refreshes Codex once at `at` with the given run and returns the activity entry it logged. */
async function logRun(probeRun: ProbeRun, at = NOW) {
  await refreshSources(["codex"], {
    store: LocalStorage,
    runProbe: async () => probeRun,
    ttlMs: 6 * HOUR,
    now: () => at,
    trigger: "Refresh Billing",
  });
  return (await loadActivity(LocalStorage))[0];
}

const BEFORE_THE_REQUEST: [string, ProbeRun][] = [
  ["credentials_invalid", failure(14, "credentials_invalid")],
  ["credentials_not_found", failure(14, "credentials_not_found")],
  ["api_key_login", failure(14, "api_key_login")],
  ["tool_missing", failure(14, "tool_missing")],
  ["temp_dir_unavailable (no folder made)", failure(14, "temp_dir_unavailable")],
  ["endpoint_refused", failure(15, "endpoint_refused")],
  ["a probe that could not start", run({ exitCode: null })],
];

const AT_OR_AFTER_THE_REQUEST: [string, ProbeRun][] = [
  ["network (exit 10)", failure(10, "network")],
  ["http_error (exit 11)", failure(11, "http_error", { http_status: 500 })],
  ["timeout (exit 12)", failure(12, "timeout")],
  ["auth_expired (exit 13)", failure(13, "auth_expired", { http_status: 401 })],
  ["unparsable_body (exit 16)", failure(16, "unparsable_body", { http_status: 200 })],
  ["rate_limited (exit 17)", failure(17, "rate_limited", { http_status: 429 })],
  ["an answer the adapter cannot read (exit 0)", run({ stdout: "<html>not usage</html>" })],
  ["temp_dir_unavailable with the answer's status", failure(14, "temp_dir_unavailable", { http_status: 200 })],
  [
    "a probe the runner stopped at its deadline",
    run({ exitCode: 143, timedOut: true, stdout: envelope("interrupted") }),
  ],
  ["a probe whose output was cut off", run({ exitCode: null, truncated: true })],
];

describe("the activity log's host", () => {
  test.each(BEFORE_THE_REQUEST)("%s: no request left the Mac, so no host", async (_label, probeRun) => {
    const entry = await logRun(probeRun);
    expect(entry).toMatchObject({ source: "codex", host: null });
    expect(entry.outcome).not.toBe("updated");
  });

  test.each(AT_OR_AFTER_THE_REQUEST)("%s: the request left, the host is named", async (_label, probeRun) => {
    const entry = await logRun(probeRun);
    expect(entry).toMatchObject({ source: "codex", host: "chatgpt.com", outcome: expect.stringMatching(/^failed: /) });
  });

  test("a success names the host", async () => {
    const entry = await logRun(
      run({ stdout: readFileSync(fixturePath("codex-usage/pro-with-credits-and-spark.json"), "utf8") }),
    );
    expect(entry).toMatchObject({ host: "chatgpt.com", outcome: "updated" });
  });
});

describe("Network last touched", () => {
  test.each(BEFORE_THE_REQUEST)("is not moved by a later run that ended with %s", async (_label, probeRun) => {
    await logRun(failure(11, "http_error", { http_status: 500 }), NOW - 3 * HOUR);
    const touched = networkSummary(await loadActivity(LocalStorage), NOW);
    await logRun(probeRun, NOW);
    const activity = await loadActivity(LocalStorage);
    expect(activity).toHaveLength(2);
    expect(networkSummary(activity, NOW)).toBe(touched);
    expect(touched).toMatch(/^Network last touched 3h ago \(.+\) by Refresh Billing: chatgpt\.com$/);
  });

  test("stays 'not touched' when every run failed before its request", async () => {
    for (const [, probeRun] of BEFORE_THE_REQUEST) await logRun(probeRun);
    const activity = await loadActivity(LocalStorage);
    expect(activity).toHaveLength(BEFORE_THE_REQUEST.length);
    expect(networkSummary(activity, NOW)).toBe(
      "The network has not been touched: no logged billing refresh sent a request.",
    );
  });
});
