import { readableId } from "./names";
import { FIVE_HOUR_MINUTES, WEEK_MINUTES, type CapWindow } from "./types";

/** Percentages are shown 0–100: providers report over 100 transiently, and junk below 0. */
export function clampPercent(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(100, Math.max(0, value));
}

/** Short human length, derived from the minutes: 30 → `30m`, 60 → `1h`, 540 → `9h`, 1440 → `1d`. */
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

/** The slot a window came in: `primary`, `secondary`, or another `<slot>_window` a provider adds. */
export type WindowSlot = string;

/** A window whose length the provider did not give is named by the slot it came in, and says so. */
export const LENGTH_NOT_GIVEN = "length not given";

export function slotWindowKind(slot: WindowSlot): Pick<CapWindow, "id" | "label" | "note"> {
  const name = readableId(slot) || "Other";
  return { id: slot, label: `${name} window`, note: LENGTH_NOT_GIVEN };
}

/** `Weekly` + `Claude Design` → `Weekly (Claude Design)`, the label of a scoped bucket's window. */
export function scopedLabel(label: string, scopeName: string): string {
  return `${label} (${scopeName})`;
}
