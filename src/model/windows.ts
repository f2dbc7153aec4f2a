import { FIVE_HOUR_MINUTES, WEEK_MINUTES, type CapWindow } from "./types";

/** Percentages are shown 0–100: providers report over 100 transiently, and junk below 0. */
export function clampPercent(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(100, Math.max(0, value));
}

/** Short human length: 60 → `1h`, 1440 → `1d`, 45 → `45m`. */
export function windowLengthLabel(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60}h`;
  return `${Math.round(minutes)}m`;
}

const MINUTE_TOLERANCE = 1;

/** Identifies a window by its length (±1 minute), never by the slot it came in. */
export function classifyWindowMinutes(minutes: number): Pick<CapWindow, "id" | "label"> {
  if (Math.abs(minutes - FIVE_HOUR_MINUTES) <= MINUTE_TOLERANCE) return { id: "5h", label: "5h" };
  if (Math.abs(minutes - WEEK_MINUTES) <= MINUTE_TOLERANCE) return { id: "weekly", label: "Weekly" };
  return { id: `${Math.round(minutes)}m`, label: windowLengthLabel(minutes) };
}
