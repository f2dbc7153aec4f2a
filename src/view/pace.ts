/**
 * The words for pace and runway: window subtitles and tooltips, the menu bar's verdict per source,
 * the icon's tone, and the credit runway. Every estimate says it is one and which data it used.
 */
import { accountWindows, isExhausted, sourceLimitReached } from "../model/limiter";
import { currentPercent } from "../model/freshness";
import type { CapWindow, CreditSnapshot } from "../model/types";
import { sourceVerdict, windowPace, type PaceBasis, type WindowPace } from "../history/pace";
import { balanceOfSnapshot, CREDITS_UNIT, windowPoints } from "../history/readings";
import { creditRunway, type Runway } from "../history/runway";
import { DAY_MS } from "../model/time";
import { sourceName } from "../sources/registry";
import type { SourceState } from "../sources/state";
import { formatClock, formatDurationShort, formatMoney, formatPercent, onFirstUse } from "./format";

export type IconTone = "normal" | "warning" | "critical";
/** A window this full warns, even when its pace says it will last. */
const WARNING_PERCENT = 80;

/** A render asks for each window's pace three times (its line, the verdict, the icon): computed once. */
const paces = new WeakMap<CapWindow, { state: SourceState; now: number; pace: WindowPace | null }>();

/** The pace of one of the state's windows, from the state's history. */
export function paceOf(state: SourceState, window: CapWindow, now: number): WindowPace | null {
  const known = paces.get(window);
  if (known && known.state === state && known.now === now) return known.pace;
  const caps = state.snapshot.caps;
  const pace = caps ? windowPace(window, caps.capturedAt, windowPoints(state.history, window.id), now) : null;
  paces.set(window, { state, now, pace });
  return pace;
}

function basisText(basis: PaceBasis): string {
  if (basis.method === "recent") return `from ${basis.readings} readings over ${formatDurationShort(basis.spanMs)}`;
  return `from the average so far: ${formatPercent(basis.usedPercent)} in ${formatDurationShort(basis.elapsedMs)}`;
}

/** `runs out in ~3h 10m`, `lasts until reset`: short, for the window's menu line. */
export function paceSubtitle(pace: WindowPace | null, now: number): string | undefined {
  if (pace?.kind === "runsOut") return `runs out in ~${formatDurationShort(pace.runsOutAt - now)}`;
  if (pace?.kind === "lastsUntilReset") return "lasts until reset";
  return undefined;
}

/** The estimate in full: what it says, and what it came from. */
export function paceText(pace: WindowPace | null, now: number): string | undefined {
  if (!pace) return undefined;
  const resets = `resets in ${formatDurationShort(pace.resetsAt - now)}`;
  if (pace.kind === "atLimit") return `at its limit until it ${resets}`;
  const rate = `${pace.percentPerHour.toFixed(1)}%/h`;
  if (pace.kind === "runsOut") {
    return `runs out in ~${formatDurationShort(pace.runsOutAt - now)} (${resets}) at ${rate}, ${basisText(pace.basis)}`;
  }
  return `lasts until reset (${resets}) at ${rate}, ${basisText(pace.basis)}`;
}

const timeFormatter = onFirstUse(() => new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }));

/** `14:20` today, `Nov 29, 14:20` on another day. */
function clockTime(time: number, now: number): string {
  return new Date(time).toDateString() === new Date(now).toDateString()
    ? timeFormatter().format(time)
    : formatClock(time, now);
}

/** `Codex lasts until reset`, `Claude runs out ~14:20`, `Claude at its limit until 14:20`; null when unknown. */
function verdictText(state: SourceState, now: number): string | null {
  const reached = sourceLimitReached(state.snapshot, now);
  if (reached) {
    const until =
      reached.resetsAt !== null && reached.resetsAt > now ? ` until ${clockTime(reached.resetsAt, now)}` : "";
    return `${sourceName(state.source)} at its limit${until}`;
  }
  const verdict = sourceVerdict(accountWindows(state.snapshot).map((window) => paceOf(state, window, now)));
  if (!verdict) return null;
  const name = sourceName(state.source);
  if (verdict.kind === "atLimit") return `${name} at its limit until ${clockTime(verdict.until, now)}`;
  if (verdict.kind === "runsOut") return `${name} runs out ~${clockTime(verdict.at, now)}`;
  return `${name} lasts until reset`;
}

/** The menu bar tooltip's pace line, or undefined when no source has an estimate. */
export function verdictLine(states: readonly SourceState[], now: number): string | undefined {
  const verdicts = states.map((state) => verdictText(state, now)).filter((text) => text !== null);
  return verdicts.length ? `Pace (estimate): ${verdicts.join(" · ")}` : undefined;
}

/** Critical at a limit, warning at 80 % or when a window that binds a source is projected to run out. */
export function iconTone(states: readonly SourceState[], now: number): IconTone {
  let tone: IconTone = "normal";
  for (const state of states) {
    if (sourceLimitReached(state.snapshot, now)) return "critical";
    for (const window of accountWindows(state.snapshot)) {
      if (isExhausted(window, now)) return "critical";
      if (currentPercent(window, now) >= WARNING_PERCENT || paceOf(state, window, now)?.kind === "runsOut") {
        tone = "warning";
      }
    }
  }
  return tone;
}

/** The runway of the state's balance, only for a usable balance in the unit its history is in. */
function runwayOf(state: SourceState, now: number): Runway | null {
  const current = balanceOfSnapshot(state.snapshot.credits);
  const series = state.history?.balance ?? null;
  if (!current || !series || series.unit !== current.unit) return null;
  return creditRunway(series, now);
}

/** An amount of the balance's unit as money: Codex credits at the current unit price. */
export function balanceAmount(amount: number, unit: string, credits: CreditSnapshot | null): string {
  if (unit !== CREDITS_UNIT) return formatMoney({ amount, currency: unit });
  const price = credits?.creditUnitPrice;
  return price !== undefined ? formatMoney({ amount: amount * price, currency: "USD" }) : `${amount} credits`;
}

function lastsText(ms: number): string {
  if (ms >= 365 * DAY_MS) return "over a year";
  if (ms >= 2 * DAY_MS) return `~${Math.round(ms / DAY_MS)} days`;
  return `~${formatDurationShort(ms)}`;
}

/** `~7 days at $2.10/day, from 5 readings over 3d 2h`; undefined without a runway. */
export function runwayText(state: SourceState, now: number): string | undefined {
  const runway = runwayOf(state, now);
  if (!runway) return undefined;
  const basis = `from ${runway.readings} readings over ${formatDurationShort(runway.spanMs)}`;
  if (runway.lastsMs === null) return `no spending seen, ${basis}`;
  const perDay = balanceAmount(runway.perDay, runway.unit, state.snapshot.credits);
  return `${lastsText(runway.lastsMs)} at ${perDay}/day, ${basis}`;
}
