import { isCreditFresh } from "../model/freshness";
import type { ActiveLimiter } from "../model/types";
import { sourceDefinition, sourceName } from "../sources/registry";
import type { Settings } from "../model/settings";
import { constraintLevel, mostConstrained, type SourceState } from "../sources/state";
import { sourceLines, type MenuLine } from "./source-lines";
import { iconTone, verdictLine, type IconTone } from "./pace";
import { limiterTitle } from "./words";

export type { MenuIcon, MenuLine } from "./source-lines";

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
  return { key: state.source, lines: sourceLines(state, settings, now) };
}

/** The source shows a balance as its limiter, and that balance is past its freshness time. */
function isStaleCredits(state: SourceState, now: number): boolean {
  const limiter = state.limiter;
  return limiter.kind === "credits" && limiter.credits !== null && !isCreditFresh(limiter.credits, now);
}

/** `5h 61%`, `limit reached: workspace usage limit`, `credits $16.50`. */
function limiterWords(limiter: ActiveLimiter, now: number): string {
  if (limiter.kind === "caps" && limiter.reached) return `limit reached: ${limiter.reached.reason}`;
  const what = limiter.kind === "caps" ? (limiter.window?.label ?? "caps") : "credits";
  return `${what} ${limiterTitle(limiter, now)}`;
}

function titleTooltip(states: SourceState[], now: number): string {
  const known = states.filter((state) => constraintLevel(state, now) >= 0);
  const parts = known.map((state) => {
    const limiter = state.limiter;
    const stale = isStaleCredits(state, now) ? " (stale: Refresh Billing)" : "";
    return `${sourceName(state.source)}: ${limiterWords(limiter, now)}${stale}`;
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
    title: binding ? limiterTitle(binding.limiter, now) : "–",
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
