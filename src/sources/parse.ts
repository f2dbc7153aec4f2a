import * as z from "zod/mini";
import type { CapsSnapshot, CreditReading } from "../model/types";
import { FIVE_HOUR_MINUTES, WEEK_MINUTES } from "../model/types";
import { MAX_INSTANT_MS } from "../model/schemas";
import { classifyWindowMinutes } from "../model/windows";

export interface AdapterResult {
  caps: CapsSnapshot | null;
  credits: CreditReading | null;
  /** The body had a balance the adapter could not use (say, an unknown currency): not news that there is none. */
  creditsDropped?: boolean;
  planName?: string;
  warnings: string[];
}

type AdapterError = "wrong_shape" | "not_json";

export type AdapterOutcome =
  { ok: true; result: AdapterResult } | { ok: false; error: AdapterError; message: string; hint: string };

export { clampPercent } from "../model/windows";

const DECIMAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses provider decimal strings such as `"412.5"` or `"0E-10"`; hex, `NaN` and `Infinity` are rejected. */
export function parseDecimalString(text: string): number | null {
  const trimmed = text.trim();
  if (!DECIMAL_PATTERN.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** A finite number, also accepted as a numeric string (seen in bad provider data). */
export const numberLike = z.pipe(
  z.union([z.number(), z.string()]),
  z.transform((value: number | string, ctx) => {
    const parsed = typeof value === "number" ? value : parseDecimalString(value);
    if (parsed === null) {
      ctx.issues.push({ code: "custom", message: `expected a number, got ${JSON.stringify(value)}`, input: value });
      return z.NEVER;
    }
    return parsed;
  }),
);

export interface WindowKind {
  id: string;
  label: string;
  windowMinutes: number;
}

export const FIVE_HOUR_KIND: WindowKind = { id: "5h", label: "5h", windowMinutes: FIVE_HOUR_MINUTES };
export const WEEKLY_KIND: WindowKind = { id: "weekly", label: "Weekly", windowMinutes: WEEK_MINUTES };

/** Identifies a window by its length in seconds (Codex's `limit_window_seconds`), never by its slot. */
export function classifyWindowSeconds(seconds: number): WindowKind {
  const kind = classifyWindowMinutes(seconds / 60);
  if (kind.id === FIVE_HOUR_KIND.id) return FIVE_HOUR_KIND;
  if (kind.id === WEEKLY_KIND.id) return WEEKLY_KIND;
  const minutes = Math.ceil(seconds / 60);
  return { ...classifyWindowMinutes(minutes), windowMinutes: minutes };
}

export function minorToMajor(minor: number, exponent: number): number {
  return minor / 10 ** exponent;
}

/** Minor-unit exponent of a currency when the provider does not say (JPY 0, KWD 3, unknown 2). */
export function defaultFractionDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

const ISO_WITH_FRACTION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses ISO-8601 instants such as `2026-10-12T16:40:59.581404+00:00`. The fraction is cut to
 * milliseconds because engines do not reliably accept microseconds; a missing offset means UTC.
 */
export function parseIsoInstant(text: string | null | undefined): number | null {
  if (!text) return null;
  const trimmed = text.trim();
  const match = ISO_WITH_FRACTION.exec(trimmed);
  if (match && !isCalendarDay(match[1])) return null;
  const normalised = match ? normaliseIso(match[1], match[2], match[3]) : trimmed;
  return validInstant(Date.parse(normalised));
}

/** V8 reads `2026-02-31` as March 3rd; a day the month does not have makes the instant unknown. */
function isCalendarDay(dateTime: string): boolean {
  const [year, month, day] = dateTime.slice(0, 10).split("-").map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

function normaliseIso(dateTime: string, fraction: string | undefined, offset: string | undefined): string {
  const millis = fraction ? `.${fraction.slice(0, 3).padEnd(3, "0")}` : "";
  return `${dateTime}${millis}${normaliseOffset(offset)}`;
}

function normaliseOffset(offset: string | undefined): string {
  if (!offset || offset.toUpperCase() === "Z") return "Z";
  return offset.includes(":") ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

/** Epoch seconds to ms, treating non-positive or overflowing values as unknown. */
export function epochSecondsToMs(seconds: number | null | undefined): number | null {
  if (seconds === null || seconds === undefined || seconds <= 0) return null;
  return validInstant(seconds * 1000);
}

/**
 * Instants after the epoch and up to the end of the year 9999, what stored snapshots accept. Epoch 0
 * itself is a placeholder, not a reset time: treated as unknown, as Codex's `reset_at: 0` is.
 */
export function validInstant(ms: number): number | null {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_INSTANT_MS ? ms : null;
}

/** Stored snapshots cap the window list; a longer list can only come from junk. */
export const MAX_WINDOWS = 50;

type JsonParse = { ok: true; value: unknown } | { ok: false; outcome: AdapterOutcome };

export function parseJsonBody(stdout: string, providerLabel: string): JsonParse {
  const trimmed = stdout.trim();
  if (trimmed === "") {
    return notJson(`${providerLabel} returned an empty body`, "Run Refresh Billing again; the probe printed nothing.");
  }
  try {
    return { ok: true, value: JSON.parse(trimmed) };
  } catch {
    const hint = trimmed.startsWith("<")
      ? "The body is HTML, likely a login, maintenance or Cloudflare challenge page. Try again later."
      : "The probe printed something other than JSON. Try again later.";
    return notJson(`${providerLabel} response is not JSON`, hint);
  }
}

function notJson(message: string, hint: string): JsonParse {
  return { ok: false, outcome: { ok: false, error: "not_json", message, hint } };
}

export function wrongShape(providerLabel: string, error: { issues: readonly z.core.$ZodIssue[] }): AdapterOutcome {
  const issue = error.issues[0];
  const field = issue ? formatIssuePath(issue.path) : "(root)";
  const detail = issue ? issue.message : "unexpected shape";
  return {
    ok: false,
    error: "wrong_shape",
    message: `${providerLabel} response has an unexpected shape at ${field}: ${detail}`,
    hint: "The provider may have changed its format. Update the extension, or report the field named here.",
  };
}

export function unexpectedFailure(providerLabel: string, cause: unknown): AdapterOutcome {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return {
    ok: false,
    error: "wrong_shape",
    message: `${providerLabel} response could not be read: ${detail}`,
    hint: "The provider may have changed its format. Update the extension.",
  };
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    const name = String(key);
    return text === "" ? name : `${text}.${name}`;
  }, "");
}
