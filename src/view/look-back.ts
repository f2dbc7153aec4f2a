/**
 * The billing view's look back: per source, a chart of each window's used percentage over its
 * current window with the pace line, and of the balance over the last 30 days. Each chart has a
 * text alternative in the rows (the same readings as block characters, first and last values, the
 * estimate in words), so nothing a chart shows exists only as a picture.
 */
import { chartSvg, niceCeiling, sparkline, type SeriesChart } from "../history/chart";
import { currentReadings, windowStart, type WindowPace } from "../history/pace";
import { windowPoints, type Point } from "../history/readings";
import { DAY_MS, HOUR_MS } from "../model/time";
import type { CapWindow } from "../model/types";
import type { SourceState } from "../sources/state";
import { formatClock, formatPercent } from "./format";
import { balanceAmount, paceOf, paceSubtitle, paceText, runwayText } from "./pace";

export interface LookBackChart {
  /** Unique per source and chart, safe in a file name. */
  key: string;
  /** What the chart shows, in words (the image's alt text). */
  alt: string;
  svg: string;
  /** The readings as block characters, where an image cannot be shown. */
  blocks: string;
}

interface Row {
  label: string;
  value: string;
}

export interface LookBack {
  rows: Row[];
  charts: LookBackChart[];
}

const BALANCE_DAYS = 30;

/** The pace line: from now at the current percentage to 100 % (runs out) or to the reset. */
function projection(window: CapWindow, pace: WindowPace | null, now: number): SeriesChart["projection"] {
  if (!pace || pace.kind === "atLimit") return undefined;
  const from: Point = [now, window.usedPercent];
  if (pace.kind === "runsOut") return { from, to: [pace.runsOutAt, 100] };
  return { from, to: [pace.resetsAt, window.usedPercent + (pace.percentPerHour * (pace.resetsAt - now)) / HOUR_MS] };
}

function fileKey(state: SourceState, id: string): string {
  return `${state.source}-${id}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

function windowLookBack(state: SourceState, window: CapWindow, now: number): LookBack {
  const caps = state.snapshot.caps!;
  const start = windowStart(window);
  if (start === null || window.resetsAt === null || window.resetsAt <= now || start > now)
    return { rows: [], charts: [] };
  const readings = currentReadings(window, caps.capturedAt, windowPoints(state.history, window.id), now);
  const pace = paceOf(state, window, now);
  const first = readings[0];
  const blocks = sparkline(readings, start, now, 100);
  const summary = first
    ? `${formatPercent(first[1])} → ${formatPercent(window.usedPercent)} since ${formatClock(first[0], now)} (${readings.length} ${readings.length === 1 ? "reading" : "readings"})`
    : "no readings in this window";
  const rows: Row[] = [{ label: `${window.label} readings`, value: `${blocks.trimEnd()} ${summary}`.trim() }];
  const estimate = paceText(pace, now);
  if (estimate) rows.push({ label: `${window.label} pace (estimate)`, value: estimate });
  const short = paceSubtitle(pace, now);
  const title = `${window.label}: ${formatPercent(window.usedPercent)} used${short ? ` · ${short} (estimate)` : ""}`;
  const svg = chartSvg({
    labels: { title, from: formatClock(start, now), to: `resets ${formatClock(window.resetsAt, now)}` },
    from: start,
    to: window.resetsAt,
    readings,
    max: 100,
    format: (value) => `${Math.round(value)}%`,
    now,
    projection: projection(window, pace, now),
    limit: 100,
  });
  const alt = `${window.label} window, used ${summary}${estimate ? `; ${estimate}` : ""}`;
  return { rows, charts: [{ key: fileKey(state, window.id), alt, svg, blocks }] };
}

function balanceLookBack(state: SourceState, now: number): LookBack {
  const series = state.history?.balance;
  const from = now - BALANCE_DAYS * DAY_MS;
  const readings = series?.points.filter(([at]) => at >= from && at <= now) ?? [];
  if (!series || readings.length === 0) return { rows: [], charts: [] };
  const money = (amount: number) => balanceAmount(amount, series.unit, state.snapshot.credits);
  // A little headroom over the highest reading, up to a round top for the axis.
  const max = niceCeiling(Math.max(...readings.map(([, amount]) => amount)) * 1.05);
  const blocks = sparkline(readings, from, now, max);
  const [firstAt, firstAmount] = readings[0];
  const last = readings[readings.length - 1][1];
  const summary = `${money(firstAmount)} → ${money(last)} since ${formatClock(firstAt, now)} (${readings.length} ${readings.length === 1 ? "reading" : "readings"})`;
  const rows: Row[] = [{ label: `Balance, last ${BALANCE_DAYS} days`, value: `${blocks.trim()} ${summary}` }];
  const runway = runwayText(state, now);
  if (runway) rows.push({ label: "Runway (estimate)", value: runway });
  const svg = chartSvg({
    labels: { title: `Balance, last ${BALANCE_DAYS} days`, from: formatClock(from, now), to: "now" },
    from,
    to: now,
    readings,
    max,
    format: money,
    now,
  });
  const alt = `Balance over the last ${BALANCE_DAYS} days: ${summary}${runway ? `; runway ${runway}` : ""}`;
  return { rows, charts: [{ key: fileKey(state, "balance"), alt, svg, blocks }] };
}

/** Rows and charts for every window with a length and a reset time, then the balance. */
export function lookBack(state: SourceState, now: number): LookBack {
  const windows = state.snapshot.caps?.windows ?? [];
  const parts = [...windows.map((window) => windowLookBack(state, window, now)), balanceLookBack(state, now)];
  return { rows: parts.flatMap((part) => part.rows), charts: parts.flatMap((part) => part.charts) };
}

/** Brackets and backslashes would end a Markdown image's alt text early. */
function altText(text: string): string {
  return text.replace(/[[\]\\]/g, (char) => `\\${char}`);
}

/**
 * The detail's Markdown: each chart as an image where `imageUrl` gives one, else its readings as
 * block characters with the same words.
 */
export function lookBackMarkdown(charts: LookBackChart[], imageUrl: (chart: LookBackChart) => string | null): string {
  if (charts.length === 0) return "";
  const images = charts.map((chart) => {
    const url = imageUrl(chart);
    return url ? `![${altText(chart.alt)}](${url})` : `\`${chart.blocks}\`  \n${chart.alt}`;
  });
  return ["**Look back** · estimates from readings recorded on this Mac", ...images].join("\n\n");
}
