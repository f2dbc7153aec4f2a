import * as z from "zod/mini";
import type { SourceId } from "../model/types";
import { recordReadings } from "../history/ledger";
import { balanceOfReading } from "../history/readings";
import { sourceDefinition } from "../sources/registry";
import { adaptUsage } from "../sources/usage-adapters";
import { appendActivity, describeActivity, touchedNetwork, type ActivityEntry } from "./activity";
import { endpointHost } from "./endpoint";
import type { RefreshOutcome } from "./outcome";
import type { ProbeRun, ProbeRunner } from "./probe-runner";
import { loadSource, updateSource, type KeyValueStore, type ProbeError, type StoredSource } from "./storage";

export type { RefreshOutcome } from "./outcome";

/** SPEC §4 exit codes. */
const EXIT = {
  network: 10,
  http: 11,
  timeout: 12,
  auth: 13,
  notFound: 14,
  unparsable: 16,
  rateLimited: 17,
} as const;

/** The exits of a probe that got as far as its request (SPEC §4); 14 and 15 are problems found before it. */
const REQUEST_EXITS: ReadonlySet<number> = new Set([
  EXIT.network,
  EXIT.http,
  EXIT.timeout,
  EXIT.auth,
  EXIT.unparsable,
  EXIT.rateLimited,
]);

/** Exit-14 envelopes that mean "this source is not set up", skipped with a hint rather than stored as errors. */
const NOT_SET_UP = new Set(["credentials_not_found", "api_key_login"]);

/** When a 429 carries no Retry-After: the Claude endpoint's usual window. */
export const DEFAULT_COOL_DOWN_MS = 5 * 60 * 1000;
const MAX_COOL_DOWN_MS = 24 * 60 * 60 * 1000;

const envelopeSchema = z.object({
  ok: z.literal(false),
  error: z.string().check(z.maxLength(100)),
  hint: z.optional(z.string().check(z.maxLength(500))),
  http_status: z.optional(z.int()),
  retry_after: z.optional(z.number().check(z.nonnegative())),
});
type Envelope = z.infer<typeof envelopeSchema>;

/** The probe's one-line error envelope, if the output ends with one. */
export function parseEnvelope(stdout: string): Envelope | null {
  const lastLine = stdout.trim().split("\n").pop() ?? "";
  if (!lastLine.startsWith("{")) return null;
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(lastLine));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const MESSAGES: Record<number, string> = {
  [EXIT.network]: "provider unreachable",
  [EXIT.http]: "provider error",
  [EXIT.timeout]: "timed out",
  [EXIT.auth]: "login expired or rejected",
  [EXIT.notFound]: "cannot read the login or run the probe",
  [EXIT.unparsable]: "unexpected answer",
  [EXIT.rateLimited]: "rate limited",
};

function failureMessage(run: ProbeRun, envelope: Envelope | null): string {
  if (run.exitCode === null) return envelope ? envelope.error.replace(/_/g, " ") : "probe stopped unexpectedly";
  return (
    MESSAGES[run.exitCode] ?? (envelope ? envelope.error.replace(/_/g, " ") : `probe failed (exit ${run.exitCode})`)
  );
}

function probeError(run: ProbeRun, envelope: Envelope | null, now: number): ProbeError {
  if (run.timedOut) {
    return {
      code: "timeout",
      message: "timed out",
      hint: "The provider did not answer in time. Try again later.",
      at: now,
    };
  }
  if (run.truncated) {
    return {
      code: "too_much_output",
      message: "answer too large",
      hint: "The probe printed more than expected.",
      at: now,
    };
  }
  return {
    code: envelope?.error ?? "probe_failed",
    message: failureMessage(run, envelope),
    hint: envelope?.hint || "Try again later. If it keeps failing, open Billing Details for more.",
    at: now,
    ...(envelope?.http_status !== undefined ? { httpStatus: envelope.http_status } : {}),
    ...(envelope?.retry_after !== undefined ? { retryAfterSeconds: envelope.retry_after } : {}),
  };
}

function coolDownFor(error: ProbeError, now: number): number | null {
  if (error.code !== "rate_limited" && error.httpStatus !== 429) return null;
  const wait = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : DEFAULT_COOL_DOWN_MS;
  return now + Math.min(Math.max(wait, 0), MAX_COOL_DOWN_MS);
}

/**
 * Whether a failed run's request left the Mac: the probe answered (with a body the adapter could not
 * read), exited with a request exit, or its envelope has an HTTP status. A failure before the request
 * (no login, a damaged token, no JSON reader or temporary folder, a refused endpoint, a probe that
 * could not start) did not. A probe the runner had to stop may have been anywhere: that counts, so
 * the activity log never hides a request.
 */
function requestSent(run: ProbeRun, envelope: Envelope | null): boolean {
  if (run.timedOut || run.truncated || run.exitCode === 0) return true;
  if (envelope?.http_status !== undefined) return true;
  return run.exitCode !== null && REQUEST_EXITS.has(run.exitCode);
}

export interface RefreshDependencies {
  store: KeyValueStore;
  runProbe: ProbeRunner;
  ttlMs: number;
  now: () => number;
  /** Which user action started the refresh, for the activity log. */
  trigger?: string;
  env?: NodeJS.ProcessEnv;
}

/** Interprets one probe run: success updates the record, failure keeps the last good balance. */
export function applyProbeRun(
  source: SourceId,
  previous: StoredSource,
  run: ProbeRun,
  now: number,
  ttlMs: number,
): { next: StoredSource; outcome: RefreshOutcome } {
  const envelope = parseEnvelope(run.stdout);
  const attempted = { ...previous, lastAttemptAt: now };
  if (run.exitCode === EXIT.notFound && envelope && NOT_SET_UP.has(envelope.error)) {
    // Not logged in is a state, not a failure: older errors no longer apply.
    const next = { ...attempted, lastError: null };
    return { next, outcome: { source, status: "notSetUp", hint: envelope.hint ?? "Log in first." } };
  }
  const adapted =
    run.exitCode === 0 && !run.timedOut && !envelope ? adaptUsage(sourceDefinition(source), run.stdout, now) : null;
  if (!adapted || !adapted.ok) {
    const error = adapted
      ? { code: adapted.error, message: adapted.message, hint: adapted.hint, at: now }
      : probeError(run, envelope, now);
    const next = { ...attempted, lastError: error, coolDownUntil: coolDownFor(error, now) ?? previous.coolDownUntil };
    return { next, outcome: { source, status: "failed", error, requestSent: requestSent(run, envelope) } };
  }
  const { caps, warnings, creditsDropped } = adapted.result;
  // A balance the adapter had to drop (it says why in a warning) is not news that there is none.
  const credits = adapted.result.credits ?? (creditsDropped ? previous.credits : null);
  const next: StoredSource = {
    credits,
    freshUntilCredits: credits ? credits.updatedAt + ttlMs : null,
    caps: caps ?? previous.caps,
    lastError: null,
    lastAttemptAt: now,
    coolDownUntil: null,
  };
  return { next, outcome: { source, status: "updated", warnings } };
}

async function refreshSource(source: SourceId, deps: RefreshDependencies): Promise<RefreshOutcome> {
  const { stored } = await loadSource(deps.store, source);
  const started = deps.now();
  if (isCoolingDown(stored.coolDownUntil, started)) {
    return { source, status: "coolingDown", until: stored.coolDownUntil! };
  }
  const run = await deps.runProbe(source);
  const finished = deps.now();
  // Applied to the record as it is now, not as it was read: another refresh may have stored newer data meanwhile.
  return updateSource(deps.store, source, (latest) => {
    const { next, outcome } = applyProbeRun(source, latest, run, finished, deps.ttlMs);
    return { next, result: outcome };
  });
}

/** A cool-down further ahead than any provider asks for is damaged data, not a reason to stop for ever. */
function isCoolingDown(until: number | null, now: number): boolean {
  return until !== null && until > now && until - now <= MAX_COOL_DOWN_MS;
}

async function refreshAndLog(source: SourceId, deps: RefreshDependencies): Promise<[RefreshOutcome, ActivityEntry]> {
  const started = deps.now();
  const outcome = await refreshSource(source, deps);
  const entry: ActivityEntry = {
    at: started,
    source,
    host: touchedNetwork(outcome) ? endpointHost(source, deps.env) : null,
    outcome: describeActivity(outcome),
    durationMs: Math.max(0, deps.now() - started),
    trigger: deps.trigger ?? "Refresh Billing",
  };
  return [outcome, entry];
}

/** Runs the sources' probes side by side; each finishes or fails on its own; every run is logged. */
export async function refreshSources(
  sources: readonly SourceId[],
  deps: RefreshDependencies,
): Promise<RefreshOutcome[]> {
  const results = await Promise.all(sources.map((source) => refreshAndLog(source, deps)));
  await appendActivity(
    deps.store,
    results.map(([, entry]) => entry),
  );
  const outcomes = results.map(([outcome]) => outcome);
  await recordFetchedBalances(deps.store, outcomes, deps.now());
  return outcomes;
}

/** Each balance a refresh fetched goes into the local history, for the runway estimate (src/history). */
async function recordFetchedBalances(store: KeyValueStore, outcomes: RefreshOutcome[], now: number) {
  const updated = outcomes.filter((outcome) => outcome.status === "updated").map((outcome) => outcome.source);
  await Promise.all(
    updated.map(async (source) => {
      const { stored } = await loadSource(store, source);
      await recordReadings(store, source, { caps: null, balance: balanceOfReading(stored.credits) }, now);
    }),
  );
}
