import { isLowBalance, newerCredits, resolveCredits } from "../model/credits";
import { activeLimiter, resolvePlanType, sourceLimitReached } from "../model/limiter";
import { currentPercent, newerReading } from "../model/freshness";
import type { ActiveLimiter, CapsSnapshot, SourceId, SourceSnapshot, TapStatus, UsagePlanType } from "../model/types";
import { settingsOf, type Settings } from "../model/settings";
import type { StoredSource } from "../billing/storage";
import type { SourceHistory } from "../history/readings";
import type { LocalProblem } from "./definition";

export interface SourceInputs {
  source: SourceId;
  /** The folder the local caps were read from: cached inputs of another folder are never painted. */
  folder?: string;
  /** Caps read from local files (Codex session logs, the Claude status-line tap). */
  localCaps: CapsSnapshot | null;
  localProblem?: LocalProblem;
  /** This read gave no caps: `localCaps` are the last good reading, kept, and shown with their age. */
  localCapsKept?: boolean;
  /** This read threw or took too long; `localProblem` says so. */
  localReadFailed?: boolean;
  /** Claude only: whether the status-line tap feeds free caps. */
  tapStatus?: TapStatus;
  /** A plan id read from a local file (Claude's credentials), used when the caps carry none. */
  localPlanName?: string;
  /** Worth knowing about the local reading, though nothing failed. */
  localNotice?: string;
  stored: StoredSource;
  storageProblem?: string;
  /** What the local history holds for this source (`src/history`), for pace and runway estimates. */
  history?: SourceHistory;
}

/** Everything the menu and the billing view show for one source, derived once. */
export interface SourceState extends SourceInputs {
  snapshot: SourceSnapshot;
  planType: UsagePlanType;
  limiter: ActiveLimiter;
}

/** The newer of the local and the fetched caps (`newerReading`). */
export function newerCaps(local: CapsSnapshot | null, fetched: CapsSnapshot | null, now: number): CapsSnapshot | null {
  return newerReading(local, fetched, (caps) => caps.capturedAt, now);
}

/** The caps and credits a source shows: the newer of the local and the fetched of each. */
export function snapshotOf(inputs: SourceInputs, settings: Settings, now: number): SourceSnapshot {
  // The Codex log carries a balance at no cost: between it and a fetched one, the newer wins.
  const reading = newerCredits(inputs.stored.credits, inputs.localCaps?.credits, now);
  const credits = reading
    ? resolveCredits(reading, { ttlMs: settings.creditTtlMs, codexCreditUnitPrice: settings.codexCreditUnitPrice })
    : null;
  return { source: inputs.source, caps: newerCaps(inputs.localCaps, inputs.stored.caps, now), credits };
}

export function buildSourceState(inputs: SourceInputs, settings: Settings, now: number): SourceState {
  const snapshot = snapshotOf(inputs, settings, now);
  const setting = settingsOf(settings, inputs.source).planType;
  return {
    ...inputs,
    snapshot,
    planType: resolvePlanType(snapshot, setting),
    limiter: activeLimiter(snapshot, setting, settings.policy, now),
  };
}

/** The plan id to show: the newer caps' own, else the other reading's, else one read from a local file. */
export function planNameOf(state: SourceState): string | undefined {
  return (
    state.snapshot.caps?.planName ?? state.localCaps?.planName ?? state.stored.caps?.planName ?? state.localPlanName
  );
}

/** Whether credit lines belong on screen at all for this source. */
export function showsCredits(state: SourceState, settings: Settings): boolean {
  return settings.showCredits && state.planType !== "subscriptionCaps";
}

/** A healthy balance without a limit barely constrains; a low one nearly stops the user. */
const HEALTHY_BALANCE_LEVEL = 0.1;
const LOW_BALANCE_LEVEL = 0.9;

/**
 * How close a source is to stopping the user, 0 (free) to 1 (stopped), to pick the title's
 * source; -1 when nothing is known. A source drawing on credits because a cap is exhausted
 * is as constrained as it gets.
 */
export function constraintLevel(state: SourceState, now: number): number {
  const limiter = state.limiter;
  if (limiter.kind === "caps") {
    if (limiter.reached) return 1;
    return limiter.window ? currentPercent(limiter.window, now) / 100 : -1;
  }
  const credits = limiter.credits;
  if (!credits) return -1;
  if (sourceLimitReached(state.snapshot, now)) return 1;
  if (!credits.usable && credits.creditBalanceUSD === null && !credits.unlimited) return -1;
  if (credits.unlimited) return 0;
  const balance = credits.creditBalanceUSD?.amount ?? 0;
  if (!credits.usable || balance <= 0) return 1;
  if (credits.limit && credits.limit.amount > 0) return Math.min(1, Math.max(0, 1 - balance / credits.limit.amount));
  return isLowBalance(credits) ? LOW_BALANCE_LEVEL : HEALTHY_BALANCE_LEVEL;
}

/** The source whose limiter matters most right now (SPEC §6: the menu bar title). */
export function mostConstrained(states: SourceState[], now: number): SourceState | null {
  let best: SourceState | null = null;
  for (const state of states) {
    if (!best || constraintLevel(state, now) > constraintLevel(best, now)) best = state;
  }
  return best && constraintLevel(best, now) >= 0 ? best : null;
}
