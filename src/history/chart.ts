/**
 * Small charts of the history, drawn locally: an SVG for the billing view's detail, and a line of
 * block characters (`▁▂▃▅▇`) as its text alternative, or where an image cannot be shown. Pure: the
 * caller formats the labels and writes the file.
 */
import type { Point } from "./readings";

interface ChartLabels {
  title: string;
  /** Under the left and right ends of the time axis. */
  from: string;
  to: string;
}

export interface SeriesChart {
  labels: ChartLabels;
  /** The time axis. */
  from: number;
  to: number;
  readings: readonly Point[];
  /** The value axis runs from 0 to this. */
  max: number;
  /** `%` or a currency sign, after or before the axis values. */
  format: (value: number) => string;
  now: number;
  /** A dashed projection from the last reading (the pace line), when there is one. */
  projection?: { from: Point; to: Point };
  /** A line across the chart at this value (the cap at 100 %). */
  limit?: number;
}

const WIDTH = 360;
const HEIGHT = 150;
const PLOT = { left: 60, right: WIDTH - 12, top: 26, bottom: HEIGHT - 22 };
/** Colors that read on Raycast's light and dark themes alike. */
const COLORS = { line: "#3B82F6", pace: "#F59E0B", limit: "#EF4444", muted: "#8E8E93" };
const FONT = `font-family="-apple-system, Helvetica, sans-serif" font-size="11" fill="${COLORS.muted}"`;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Tops whose half is as round as they are: the axis reads `$0 · $25 · $50`, never `$20.43 · $40.87`. */
const NICE_TOPS = [1, 2, 4, 5, 10];

/** The smallest round top (1, 2, 4 or 5 times a power of ten) at or above `value`; 0 for nothing above 0. */
export function niceCeiling(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  const top = NICE_TOPS.find((step) => step * power >= value * (1 - 1e-12)) ?? 10;
  return top * power;
}

function scales(chart: SeriesChart) {
  const span = Math.max(1, chart.to - chart.from);
  const max = chart.max > 0 ? chart.max : 1;
  const clampX = (at: number) => Math.min(chart.to, Math.max(chart.from, at));
  return {
    x: (at: number) => round(PLOT.left + ((clampX(at) - chart.from) / span) * (PLOT.right - PLOT.left)),
    y: (value: number) => round(PLOT.bottom - (Math.min(max, Math.max(0, value)) / max) * (PLOT.bottom - PLOT.top)),
  };
}

function axes(chart: SeriesChart, x: (at: number) => number, y: (value: number) => number): string[] {
  const grid = [0, chart.max / 2, chart.max].map(
    (value) =>
      `<line x1="${PLOT.left}" y1="${y(value)}" x2="${PLOT.right}" y2="${y(value)}" stroke="${COLORS.muted}" stroke-opacity="0.3"/>` +
      `<text x="${PLOT.left - 4}" y="${y(value) + 4}" text-anchor="end" ${FONT}>${escapeXml(chart.format(value))}</text>`,
  );
  const nowX = x(chart.now);
  return [
    ...grid,
    `<line x1="${nowX}" y1="${PLOT.top}" x2="${nowX}" y2="${PLOT.bottom}" stroke="${COLORS.muted}" stroke-dasharray="2 3"/>`,
    `<text x="${PLOT.left}" y="${HEIGHT - 6}" ${FONT}>${escapeXml(chart.labels.from)}</text>`,
    `<text x="${PLOT.right}" y="${HEIGHT - 6}" text-anchor="end" ${FONT}>${escapeXml(chart.labels.to)}</text>`,
    `<text x="4" y="14" ${FONT} font-weight="600">${escapeXml(chart.labels.title)}</text>`,
  ];
}

/** The chart as an SVG document: readings as a line with dots, the limit, now, and the pace line. */
export function chartSvg(chart: SeriesChart): string {
  const { x, y } = scales(chart);
  const shown = chart.readings.filter(([at]) => at >= chart.from && at <= chart.to && at <= chart.now);
  const parts = axes(chart, x, y);
  if (chart.limit !== undefined) {
    parts.push(
      `<line x1="${PLOT.left}" y1="${y(chart.limit)}" x2="${PLOT.right}" y2="${y(chart.limit)}" stroke="${COLORS.limit}" stroke-opacity="0.7"/>`,
    );
  }
  if (shown.length > 1) {
    const path = shown.map(([at, value]) => `${x(at)},${y(value)}`).join(" ");
    parts.push(`<polyline points="${path}" fill="none" stroke="${COLORS.line}" stroke-width="2"/>`);
  }
  for (const [at, value] of shown) parts.push(`<circle cx="${x(at)}" cy="${y(value)}" r="2" fill="${COLORS.line}"/>`);
  if (chart.projection) {
    const { from, to } = chart.projection;
    parts.push(
      `<line x1="${x(from[0])}" y1="${y(from[1])}" x2="${x(to[0])}" y2="${y(to[1])}" stroke="${COLORS.pace}" stroke-width="2" stroke-dasharray="5 4"/>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    ...parts,
    "</svg>",
  ].join("\n");
}

const BLOCKS = "▁▂▃▄▅▆▇█";

/**
 * The readings as block characters over `[from, to]`, one per slot of time: each slot shows the
 * value last read by its end, blank before the first reading.
 */
export function sparkline(readings: readonly Point[], from: number, to: number, max: number, slots = 16): string {
  const sorted = readings.filter(([at]) => at <= to).sort((a, b) => a[0] - b[0]);
  const slotMs = Math.max(1, to - from) / slots;
  let next = 0;
  let value: number | null = null;
  let line = "";
  for (let slot = 1; slot <= slots; slot++) {
    const end = from + slot * slotMs;
    while (next < sorted.length && sorted[next][0] <= end) value = sorted[next++][1];
    if (value === null) line += " ";
    else line += BLOCKS[Math.round((Math.min(max, Math.max(0, value)) / (max > 0 ? max : 1)) * (BLOCKS.length - 1))];
  }
  return line;
}
