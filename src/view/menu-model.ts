import { isLowBalance } from "../model/credits";
import { formatBalance, formatClock, formatLimiterTitle, formatRelative, formatWindowLine } from "./format";
import { currentPercent, hasReset, isCreditFresh } from "../model/freshness";
import type { CapsOrigin, CreditSnapshot, MenuAction } from "../model/types";
import { sourceDefinition, sourceName } from "../sources/registry";
import type { Settings } from "../model/settings";
import { constraintLevel, mostConstrained, showsCredits, type SourceState } from "../sources/state";
import { iconTone, paceOf, paceSubtitle, paceText, runwayText, verdictLine, type IconTone } from "./pace";

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

interface MenuSection {
  key: string;
  title?: string;
  lines: MenuLine[];
}

export interface MenuModel {
  title: string;
  /** The title shows a balance past its freshness time: the menu bar icon says so. */
  titleIsStale: boolean;
  /** The menu bar icon's tint: a window near or projected past its limit, or at it. */
  tone: IconTone;
  tooltip: string;
  sections: MenuSection[];
}

const ORIGIN_NAMES: Record<CapsOrigin, string> = {
  "codex-session-log": "Codex session log",
  "codex-usage-api": "Refresh Billing",
  "claude-usage-api": "Refresh Billing",
  "claude-statusline": "Claude Code status line",
};

function percentTone(percent: number): "normal" | "warning" | "critical" {
  if (percent >= 90) return "critical";
  if (percent >= 70) return "warning";
  return "normal";
}

function capLines(state: SourceState, now: number): MenuLine[] {
  const caps = state.snapshot.caps;
  if (!caps) return [];
  const windows = caps.windows.map((window): MenuLine => {
    const percent = currentPercent(window, now);
    const pace = paceOf(state, window, now);
    const estimate = paceText(pace, now);
    const resets = window.resetsAt
      ? `${hasReset(window, now) ? "Reset" : "Resets"} ${formatClock(window.resetsAt)}`
      : "The provider did not say when this window resets";
    return {
      key: `${state.source}:window:${window.id}`,
      title: formatWindowLine(window, now),
      subtitle: paceSubtitle(pace, now),
      tooltip: estimate ? `${resets} · Estimate: ${estimate}` : resets,
      icon: { type: "progress", fraction: percent / 100, tone: percentTone(percent) },
    };
  });
  const captured: MenuLine = {
    key: `${state.source}:captured`,
    title: `Caps as of ${formatRelative(caps.capturedAt, now)}`,
    subtitle: ORIGIN_NAMES[caps.origin],
    tooltip: `Captured ${formatClock(caps.capturedAt)} from the ${ORIGIN_NAMES[caps.origin]}`,
    icon: { type: "symbol", name: "clock" },
  };
  return [...windows, captured];
}

function creditTooltip(credits: CreditSnapshot, now: number, runway?: string): string {
  const parts = [
    `Updated ${formatRelative(credits.creditUpdatedAt, now)} (${formatClock(credits.creditUpdatedAt)})`,
    `fresh until ${formatClock(credits.creditRefreshAt)}`,
  ];
  if (credits.credits !== undefined && credits.creditUnitPrice !== undefined) {
    parts.push(`${credits.credits} credits × $${credits.creditUnitPrice}`);
  }
  if (credits.warning) parts.push(credits.warning);
  if (runway) parts.push(`Estimate: ${runway}`);
  return parts.join(" · ");
}

function creditLine(state: SourceState, now: number): MenuLine {
  const name = sourceName(state.source);
  const credits = state.snapshot.credits;
  if (!credits) {
    return {
      key: `${state.source}:credits`,
      title: "Credits: not fetched yet",
      subtitle: "Refresh Billing…",
      tooltip: `Fetch the ${name} balance once, after you confirm`,
      icon: { type: "symbol", name: "credits" },
      action: { type: "refreshBilling", sources: [state.source] },
    };
  }
  const balance = formatBalance(credits);
  if (!isCreditFresh(credits, now)) {
    return {
      key: `${state.source}:credits`,
      title: `Stale: ${balance} · updated ${formatRelative(credits.creditUpdatedAt, now)}`,
      subtitle: `Refresh ${name}…`,
      tooltip: `${name} balance is older than the freshness setting. ${creditTooltip(credits, now, runwayText(state, now))}`,
      icon: { type: "symbol", name: "stale", tone: "warning" },
      action: { type: "refreshBilling", sources: [state.source] },
    };
  }
  const low = isLowBalance(credits);
  const unusable = !credits.usable && !credits.unlimited;
  return {
    key: `${state.source}:credits`,
    title: `Credits: ${balance}`,
    subtitle: unusable ? "not usable" : low ? "Low" : credits.warning ? "Check" : undefined,
    tooltip: creditTooltip(credits, now, runwayText(state, now)),
    icon: { type: "symbol", name: "credits", tone: low || unusable || credits.warning ? "warning" : undefined },
    action: { type: "openBilling" },
  };
}

function headerLine(state: SourceState, settings: Settings, now: number): MenuLine {
  const name = sourceName(state.source);
  const plan = state.snapshot.caps?.planName;
  const credits = state.snapshot.credits;
  const badge =
    showsCredits(state, settings) && credits && isCreditFresh(credits, now)
      ? `Credits: ${formatBalance(credits)}`
      : undefined;
  return {
    key: `${state.source}:header`,
    title: plan ? `${name} · ${plan.charAt(0).toUpperCase()}${plan.slice(1)}` : name,
    subtitle: badge,
    tooltip: badge ? creditTooltip(credits!, now, runwayText(state, now)) : undefined,
    icon: { type: "symbol", name: "source" },
  };
}

function problemLines(state: SourceState, now: number): MenuLine[] {
  const lines: MenuLine[] = [];
  if (!state.snapshot.caps && state.localProblem) {
    lines.push({
      key: `${state.source}:local-problem`,
      title: state.localProblem.message,
      subtitle: state.localProblem.hint,
      icon: { type: "symbol", name: "info" },
      action: state.localProblem.action,
    });
  }
  const error = state.stored.lastError;
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

function hasAnything(state: SourceState) {
  return Boolean(
    state.snapshot.caps ||
    state.snapshot.credits ||
    state.localProblem ||
    state.stored.lastError ||
    state.storageProblem,
  );
}

function sourceSection(state: SourceState, settings: Settings, now: number): MenuSection {
  const lines = [headerLine(state, settings, now), ...capLines(state, now)];
  if (showsCredits(state, settings)) lines.push(creditLine(state, now));
  lines.push(...problemLines(state, now));
  return { key: state.source, lines };
}

/** The source shows a balance as its limiter, and that balance is past its freshness time. */
function isStaleCredits(state: SourceState, now: number): boolean {
  const limiter = state.limiter;
  return limiter.kind === "credits" && limiter.credits !== null && !isCreditFresh(limiter.credits, now);
}

function titleTooltip(states: SourceState[], now: number): string {
  const known = states.filter((state) => constraintLevel(state, now) >= 0);
  const parts = known.map((state) => {
    const limiter = state.limiter;
    const what = limiter.kind === "caps" ? (limiter.window?.label ?? "caps") : "credits";
    const stale = isStaleCredits(state, now) ? " (stale: Refresh Billing)" : "";
    return `${sourceName(state.source)}: ${what} ${formatLimiterTitle(limiter, now)}${stale}`;
  });
  const summary = parts.length ? `Agent Limits · ${parts.join(" · ")}` : "Agent Limits";
  const pace = verdictLine(known, now);
  return pace ? `${summary}\n${pace}` : summary;
}

function footer(states: SourceState[]): MenuSection {
  const dashboards = states.map((state): MenuLine => {
    const { title, url } = sourceDefinition(state.source).dashboard;
    return { key: `dashboard:${state.source}`, title, action: { type: "openUrl", url } };
  });
  return {
    key: "actions",
    lines: [
      { key: "refresh", title: "Refresh Billing…", action: { type: "refreshBilling" } },
      { key: "billing", title: "Billing Details", action: { type: "openBilling" } },
      ...dashboards,
      { key: "preferences", title: "Open Extension Preferences", action: { type: "openPreferences" } },
    ],
  };
}

function settingsSection(settings: Settings): MenuSection[] {
  if (settings.problems.length === 0) return [];
  return [
    {
      key: "settings",
      lines: settings.problems.map((problem, index) => ({
        key: `settings:${index}`,
        title: problem,
        icon: { type: "symbol", name: "warning", tone: "warning" },
        action: { type: "openPreferences" },
      })),
    },
  ];
}

const EMPTY_STATE: MenuLine = {
  key: "empty",
  title: "No usage data yet",
  subtitle: "Run a Codex session, or Refresh Billing",
  tooltip: "Codex caps come from its session logs; Claude's come with Refresh Billing.",
  icon: { type: "symbol", name: "info" },
};

/** The whole menu, as data: the Raycast component only maps it to `MenuBarExtra` items. */
export function buildMenuModel(states: SourceState[], settings: Settings, now: number): MenuModel {
  const visible = states.filter(hasAnything);
  const binding = mostConstrained(visible, now);
  const sections = visible.map((state) => sourceSection(state, settings, now));
  return {
    title: binding ? formatLimiterTitle(binding.limiter, now) : "–",
    titleIsStale: binding ? isStaleCredits(binding, now) : false,
    tone: iconTone(visible, now),
    tooltip: titleTooltip(visible, now),
    sections: [
      ...settingsSection(settings),
      ...(sections.length ? sections : [{ key: "empty", lines: [EMPTY_STATE] }]),
      footer(states),
    ],
  };
}
