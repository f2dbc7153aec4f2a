/**
 * The lines of one source's menu section: header, limit reached, cap windows, banked resets,
 * credits, problems. Pure data; `menu-model.ts` assembles the sections.
 */
import { isLowBalance } from "../model/credits";
import { isExhausted, sourceLimitReached } from "../model/limiter";
import { currentPercent, hasReset, isCreditFresh } from "../model/freshness";
import type { CapWindow, CreditSnapshot, MenuAction } from "../model/types";
import type { Settings } from "../model/settings";
import { sourceName } from "../sources/registry";
import { planNameOf, showsCredits, type SourceState } from "../sources/state";
import { formatBalance, formatClock, formatRelative, formatWindowLine } from "./format";
import {
  balanceText,
  bankedResetsText,
  CAPS_ORIGINS,
  creditOriginName,
  LIMIT_REACHED,
  notUsableReason,
  originPhrase,
  reachedTitle,
  reachedUntil,
  sourceTitle,
} from "./words";
import { paceOf, paceSubtitle, paceText, runwayText } from "./pace";

export type MenuIcon =
  | { type: "progress"; fraction: number; tone: "normal" | "warning" | "critical" }
  | { type: "symbol"; name: "warning" | "credits" | "stale" | "clock" | "info" | "source"; tone?: "warning" };

export interface MenuLine {
  key: string;
  title: string;
  subtitle?: string;
  tooltip?: string;
  icon?: MenuIcon;
  action?: MenuAction;
}

type Tone = "normal" | "warning" | "critical";
const TONE_ORDER: Tone[] = ["normal", "warning", "critical"];

function percentTone(percent: number): Tone {
  if (percent >= 90) return "critical";
  if (percent >= 70) return "warning";
  return "normal";
}

/** The louder of the percentage's tone and the provider's own severity; a reached limit is critical. */
function windowTone(window: CapWindow, now: number): Tone {
  if (isExhausted(window, now)) return "critical";
  const percent = currentPercent(window, now);
  const severity = hasReset(window, now) ? "normal" : (window.severity ?? "normal");
  return TONE_ORDER[Math.max(TONE_ORDER.indexOf(percentTone(percent)), TONE_ORDER.indexOf(severity))];
}

function windowTooltip(window: CapWindow, now: number, estimate: string | undefined): string {
  const reset = window.resetsAt
    ? `${hasReset(window, now) ? "Reset" : "Resets"} ${formatClock(window.resetsAt)}`
    : "The provider did not say when this window resets";
  const scope = window.scoped ? "Applies to this model or feature only" : undefined;
  return [reset, window.note, scope, estimate && `Estimate: ${estimate}`].filter(Boolean).join(" · ");
}

function windowSubtitle(window: CapWindow, now: number, pace: string | undefined): string | undefined {
  if (isExhausted(window, now)) return LIMIT_REACHED;
  if (window.active && !hasReset(window, now)) return "Active limit";
  return pace;
}

function windowLine(state: SourceState, window: CapWindow, now: number): MenuLine {
  const percent = currentPercent(window, now);
  const exhausted = isExhausted(window, now);
  const pace = paceOf(state, window, now);
  return {
    key: `${state.source}:window:${window.id}`,
    title: formatWindowLine(window, now),
    subtitle: windowSubtitle(window, now, paceSubtitle(pace, now)),
    tooltip: windowTooltip(window, now, paceText(pace, now)),
    icon: { type: "progress", fraction: exhausted ? 1 : percent / 100, tone: windowTone(window, now) },
  };
}

/** Requests are refused for the whole source: said in words, first thing under the header. */
function reachedLines(state: SourceState, now: number): MenuLine[] {
  const reached = sourceLimitReached(state.snapshot, now);
  if (!reached) return [];
  const until = reachedUntil(reached, now);
  return [
    {
      key: `${state.source}:reached`,
      title: reachedTitle(reached),
      subtitle: until,
      tooltip: `${sourceName(state.source)} refuses requests until the limit resets${until ? ` (${until})` : ""}`,
      icon: { type: "symbol", name: "warning", tone: "warning" },
    },
  ];
}

function capLines(state: SourceState, now: number): MenuLine[] {
  const caps = state.snapshot.caps;
  if (!caps) return [];
  const origin = CAPS_ORIGINS[caps.origin];
  const windows = caps.windows.map((window) => windowLine(state, window, now));
  const age = formatRelative(caps.capturedAt, now);
  const captured: MenuLine = {
    key: `${state.source}:captured`,
    title: windows.length ? `Caps as of ${age}` : `No limit windows reported · ${age}`,
    subtitle: origin,
    tooltip: `Captured ${formatClock(caps.capturedAt)} ${originPhrase(origin)}`,
    icon: { type: "symbol", name: "clock" },
  };
  const banked = caps.bankedResets
    ? [
        {
          key: `${state.source}:banked-resets`,
          title: bankedResetsText(caps.bankedResets),
          tooltip: `${sourceName(state.source)} keeps limit resets you can use when a limit is reached`,
          icon: { type: "symbol", name: "info" },
        } satisfies MenuLine,
      ]
    : [];
  return [...reachedLines(state, now), ...windows, ...banked, captured];
}

function creditTooltip(credits: CreditSnapshot, now: number, runway?: string): string {
  const parts = [
    `Updated ${formatRelative(credits.creditUpdatedAt, now)} (${formatClock(credits.creditUpdatedAt)}) ${originPhrase(creditOriginName(credits))}`,
    `fresh until ${formatClock(credits.creditRefreshAt)}`,
  ];
  if (!credits.usable) parts.unshift(`Not usable: ${notUsableReason(credits)}`);
  if (credits.usable && credits.credits !== undefined && credits.creditUnitPrice !== undefined) {
    parts.push(`${credits.credits} credits × $${credits.creditUnitPrice}`);
  }
  if (credits.warning) parts.push(credits.warning);
  if (runway) parts.push(`Estimate: ${runway}`);
  return parts.join(" · ");
}

function creditLine(state: SourceState, now: number): MenuLine {
  const name = sourceName(state.source);
  const credits = state.snapshot.credits;
  const key = `${state.source}:credits`;
  const refresh: MenuAction = { type: "refreshBilling", sources: [state.source] };
  if (!credits) {
    return {
      key,
      title: "Credits: not fetched yet",
      subtitle: "Refresh Billing…",
      tooltip: `Fetch the ${name} balance once, after you confirm`,
      icon: { type: "symbol", name: "credits" },
      action: refresh,
    };
  }
  if (!isCreditFresh(credits, now)) {
    return {
      key,
      title: `Stale: ${balanceText(credits)} · updated ${formatRelative(credits.creditUpdatedAt, now)}`,
      subtitle: `Refresh ${name}…`,
      tooltip: `${name} balance is older than the freshness setting. ${creditTooltip(credits, now, runwayText(state, now))}`,
      icon: { type: "symbol", name: "stale", tone: "warning" },
      action: refresh,
    };
  }
  const low = isLowBalance(credits);
  const flagged = low || !credits.usable || Boolean(credits.warning);
  return {
    key,
    title: `Credits: ${balanceText(credits)}`,
    subtitle: !credits.usable ? notUsableReason(credits) : low ? "Low" : credits.warning ? "Check" : undefined,
    tooltip: creditTooltip(credits, now, runwayText(state, now)),
    icon: { type: "symbol", name: "credits", tone: flagged ? "warning" : undefined },
    action: { type: "openBilling" },
  };
}

function headerLine(state: SourceState, settings: Settings, now: number): MenuLine {
  const credits = state.snapshot.credits;
  // The badge is the plan's strip: a fresh balance that can be spent, never one that cannot.
  const badged = showsCredits(state, settings) && credits?.usable && isCreditFresh(credits, now) ? credits : null;
  return {
    key: `${state.source}:header`,
    title: sourceTitle(sourceName(state.source), planNameOf(state)),
    subtitle: badged ? `Credits: ${formatBalance(badged)}` : undefined,
    tooltip: badged ? creditTooltip(badged, now, runwayText(state, now)) : undefined,
    icon: { type: "symbol", name: "source" },
  };
}

function problemLines(state: SourceState, now: number): MenuLine[] {
  const lines: MenuLine[] = [];
  const error = state.stored.lastError;
  // "Refresh Billing fetches…" is no advice once a refresh failed: the error line says why.
  const problem = state.localProblem;
  // Once other caps show, a local problem matters only if the read failed or its caps are old ones kept.
  const problemMatters = !state.snapshot.caps || state.localCapsKept || state.localReadFailed;
  if (problemMatters && problem && !(error && problem.action?.type === "refreshBilling")) {
    lines.push({
      key: `${state.source}:local-problem`,
      title: problem.message,
      subtitle: problem.hint,
      icon: { type: "symbol", name: "info" },
      action: problem.action,
    });
  }
  if (state.localNotice) {
    lines.push({ key: `${state.source}:notice`, title: state.localNotice, icon: { type: "symbol", name: "info" } });
  }
  if (error) {
    lines.push({
      key: `${state.source}:error`,
      title: `Last refresh failed: ${error.message}`,
      subtitle: formatRelative(error.at, now),
      tooltip: error.hint,
      icon: { type: "symbol", name: "warning", tone: "warning" },
      action: { type: "openBilling" },
    });
  }
  if (state.tapStatus === "not-installed") {
    lines.push({
      key: `${state.source}:tap`,
      title: "Live Claude Caps: Install Status-Line Tap…",
      tooltip: "Reads the caps Claude Code already gives its status line: no network, no tokens",
      icon: { type: "symbol", name: "info" },
      action: { type: "openBilling", intent: "installTap", source: state.source },
    });
  }
  if (state.storageProblem) {
    lines.push({
      key: `${state.source}:storage`,
      title: state.storageProblem,
      icon: { type: "symbol", name: "warning", tone: "warning" },
    });
  }
  return lines;
}

export function sourceLines(state: SourceState, settings: Settings, now: number): MenuLine[] {
  const lines = [headerLine(state, settings, now), ...capLines(state, now)];
  if (showsCredits(state, settings)) lines.push(creditLine(state, now));
  return [...lines, ...problemLines(state, now)];
}
