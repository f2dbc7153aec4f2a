import { lastNetworkActivity, type ActivityEntry } from "../billing/activity";
import { isLowBalance } from "../model/credits";
import { isExhausted, sourceLimitReached } from "../model/limiter";
import { formatBalance, formatClock, formatMoney, formatRelative, formatWindowLine } from "./format";
import { isCreditFresh } from "../model/freshness";
import { planDisplayName } from "../model/names";
import { settingsOf } from "../model/settings";
import type { CapWindow, PlanTypeSetting, UsagePlanType } from "../model/types";
import { sourceName } from "../sources/registry";
import type { Settings } from "../model/settings";
import { planNameOf, showsCredits, type SourceState } from "../sources/state";
import { lookBack, type LookBackChart } from "./look-back";
import {
  balanceText,
  bankedResetsText,
  creditOriginName,
  LIMIT_REACHED,
  limiterTitle,
  notUsableReason,
  reachedUntil,
} from "./words";

const PLAN_TYPE_NAMES: Record<PlanTypeSetting, string> = {
  auto: "Auto",
  subscriptionCaps: "Subscription caps",
  usageCredits: "Usage credits",
  mixed: "Mixed",
};

const TAP_STATUS_TEXT = {
  installed: "Installed: live caps from Claude Code, no network",
  "not-installed": "Not installed (optional: live caps with no network)",
  modified: "Changed since install: statusLine no longer runs the tap",
  unknown: "Unknown: Claude's settings.json could not be read safely",
} as const;

interface BillingRow {
  label: string;
  value: string;
}

export interface BillingSummary {
  title: string;
  subtitle: string;
  status: "fresh" | "stale" | "error" | "none";
  rows: BillingRow[];
  /** The look back's charts; each has its text alternative among the rows. */
  charts: LookBackChart[];
}

function planRows(state: SourceState, setting: PlanTypeSetting, resolved: UsagePlanType): BillingRow[] {
  const value =
    setting === "auto" ? `Auto → ${PLAN_TYPE_NAMES[resolved]}` : `${PLAN_TYPE_NAMES[setting]} (set in preferences)`;
  const plan = planNameOf(state);
  return [...(plan ? [{ label: "Plan", value: planDisplayName(plan) }] : []), { label: "Plan type", value }];
}

function limiterRow(state: SourceState, now: number): BillingRow {
  const limiter = state.limiter;
  const what = limiter.kind === "caps" ? "Caps" : "Credits";
  return { label: "Active limiter", value: `${what} ${limiterTitle(limiter, now)} (${limiter.reason})` };
}

function balanceValue(state: SourceState, now: number): string {
  const credits = state.snapshot.credits!;
  const stale = isCreditFresh(credits, now) ? "" : " (stale)";
  if (!credits.usable) return `Not usable: ${notUsableReason(credits)}${stale}`;
  const notes = [isLowBalance(credits) ? "low" : null, stale ? "stale" : null].filter(Boolean);
  return `${balanceText(credits)}${notes.length ? ` (${notes.join(", ")})` : ""}`;
}

function creditRows(state: SourceState, now: number): BillingRow[] {
  const credits = state.snapshot.credits;
  if (!credits) return [{ label: "Balance", value: "Not fetched yet: use Refresh Billing" }];
  const fresh = isCreditFresh(credits, now);
  const rows: BillingRow[] = [
    { label: "Balance", value: balanceValue(state, now) },
    {
      label: "Balance last updated",
      value: `${formatRelative(credits.creditUpdatedAt, now)} (${formatClock(credits.creditUpdatedAt)})`,
    },
    { label: "Balance from", value: creditOriginName(credits) },
    {
      label: fresh ? "Fresh until" : "Stale since",
      value: `${formatClock(credits.creditRefreshAt)} (${formatRelative(credits.creditRefreshAt, now)})`,
    },
  ];
  if (credits.limit) rows.push({ label: "Monthly limit", value: formatMoney(credits.limit) });
  if (credits.limit && credits.used) rows.push({ label: "Used this month", value: formatMoney(credits.used) });
  if (credits.usable && credits.credits !== undefined) {
    rows.push({ label: "Codex credits", value: `${credits.credits} × $${credits.creditUnitPrice} per credit` });
  }
  if (credits.warning) rows.push({ label: "Warning", value: credits.warning });
  return rows;
}

function windowValue(window: CapWindow, now: number): string {
  const notes = [isExhausted(window, now) ? LIMIT_REACHED.toLowerCase() : null, window.note ?? null];
  return [formatWindowLine(window, now), ...notes.filter(Boolean)].join(" · ");
}

function capRows(state: SourceState, now: number): BillingRow[] {
  const caps = state.snapshot.caps;
  if (!caps) return [{ label: "Caps", value: state.localProblem?.message ?? "No cap data yet" }];
  const reached = sourceLimitReached(state.snapshot, now);
  const until = reached ? reachedUntil(reached, now) : undefined;
  return [
    ...(reached ? [{ label: LIMIT_REACHED, value: `${reached.reason}${until ? ` · ${until}` : ""}` }] : []),
    ...caps.windows.map((window) => ({ label: `${window.label} window`, value: windowValue(window, now) })),
    ...(caps.bankedResets ? [{ label: "Banked resets", value: bankedResetsText(caps.bankedResets) }] : []),
    { label: "Caps captured", value: `${formatRelative(caps.capturedAt, now)} (${formatClock(caps.capturedAt)})` },
  ];
}

function errorRows(state: SourceState, now: number): BillingRow[] {
  const rows: BillingRow[] = [];
  const error = state.stored.lastError;
  if (error) {
    rows.push({ label: "Last error", value: `${error.message} (${formatRelative(error.at, now)})` });
    rows.push({ label: "What to do", value: error.hint });
  }
  if (state.stored.coolDownUntil !== null && state.stored.coolDownUntil > now) {
    rows.push({
      label: "Rate limited",
      value: `Next refresh allowed after ${formatClock(state.stored.coolDownUntil)}`,
    });
  }
  if (state.storageProblem) rows.push({ label: "Storage", value: state.storageProblem });
  if (state.tapStatus && state.tapStatus !== "no-claude")
    rows.push({ label: "Status-line tap", value: TAP_STATUS_TEXT[state.tapStatus] });
  return rows;
}

export function billingSummary(state: SourceState, settings: Settings, now: number): BillingSummary {
  const credits = state.snapshot.credits;
  const status = state.stored.lastError ? "error" : !credits ? "none" : isCreditFresh(credits, now) ? "fresh" : "stale";
  const creditsShown = showsCredits(state, settings);
  const history = lookBack(state, now);
  return {
    title: sourceName(state.source),
    subtitle: credits && creditsShown ? (credits.usable ? formatBalance(credits) : "credits not usable") : "",
    status,
    rows: [
      ...creditRows(state, now),
      ...planRows(state, settingsOf(settings, state.source).planType, state.planType),
      limiterRow(state, now),
      ...capRows(state, now),
      ...errorRows(state, now),
      ...history.rows,
    ],
    charts: history.charts,
  };
}

export function billingText(summary: BillingSummary): string {
  return [summary.title, ...summary.rows.map((row) => `${row.label}: ${row.value}`)].join("\n");
}

/** "Network last touched 2h ago (Nov 28, 14:03) by Menu bar: Codex, Claude", or never. */
export function networkSummary(activity: ActivityEntry[], now: number): string {
  const last = lastNetworkActivity(activity);
  if (!last) {
    return activity.length === 0
      ? "The network has not been touched: no billing refresh has run yet."
      : "The network has not been touched: no logged billing refresh sent a request.";
  }
  const sameRun = activity.filter((entry) => entry.host !== null && Math.abs(entry.at - last.at) < 60_000);
  const hosts = [...new Set(sameRun.map((entry) => entry.host))].join(" and ");
  return `Network last touched ${formatRelative(last.at, now)} (${formatClock(last.at)}) by ${last.trigger}: ${hosts}`;
}

export function activityLine(entry: ActivityEntry, now: number): { title: string; subtitle: string; detail: string } {
  const where = entry.host ? `contacted ${entry.host}` : "no request sent";
  return {
    title: `${sourceName(entry.source)} ${entry.outcome}`,
    subtitle: `${formatRelative(entry.at, now)} · ${where}`,
    detail: `${formatClock(entry.at)} · ${entry.trigger} · ${where} · ${Math.round(entry.durationMs)} ms`,
  };
}
