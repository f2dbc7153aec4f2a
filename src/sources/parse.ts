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
  /** One line per thing the user should know: a skipped field, an amount that looks off. */
  warnings: string[];
}

type AdapterError = "wrong_shape" | "not_json" | "no_usage";

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

function parseJsonBody(stdout: string, providerLabel: string): JsonParse {
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

/** The body parsed as JSON but is not an object (an array, a string, null): nothing in it can be read. */
function notAnObject(providerLabel: string): AdapterOutcome {
  return {
    ok: false,
    error: "wrong_shape",
    message: `${providerLabel} response is not an object`,
    hint: "The provider may have changed its format. Update the extension, or report this answer.",
  };
}

/** An answer with nothing to show is an error with a hint, never "updated". */
export function noUsage(message: string, hint: string): AdapterOutcome {
  return { ok: false, error: "no_usage", message, hint };
}

function unexpectedFailure(providerLabel: string, cause: unknown): AdapterOutcome {
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

type Path = readonly (string | number)[];
type Json = Record<string, unknown>;

const MAX_NAMED_SKIPS = 5;

/**
 * Reads a provider body part by part (SPEC: one bad field costs only itself). Each part that does not
 * parse is left out and named once; `null` and missing values are absent, not skipped.
 */
export class PartReader {
  /** Path → why it was left out; the first one names a body that had nothing readable. */
  private readonly skipped = new Map<string, string>();

  /** The value if it matches the schema, else undefined (and the path is noted). */
  value<T>(value: unknown, schema: z.ZodMiniType<T>, path: Path): T | undefined {
    if (value === null || value === undefined) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.skip(path, parsed.error.issues[0]?.message ?? "unexpected value");
    return undefined;
  }

  /** `record[key]` read with the schema; the path names the field if it is skipped. */
  field<T>(record: Json | null, key: string, schema: z.ZodMiniType<T>, path: Path): T | undefined {
    return record && Object.hasOwn(record, key) ? this.value(record[key], schema, [...path, key]) : undefined;
  }

  /** A nested object, or null when absent or of another type (then noted). */
  object(value: unknown, path: Path): Json | null {
    if (value === null || value === undefined) return null;
    if (typeof value === "object" && !Array.isArray(value)) return value as Json;
    this.skip(path, `expected an object, got ${describe(value)}`);
    return null;
  }

  /** `record[key]` as an object. */
  objectField(record: Json | null, key: string, path: Path): Json | null {
    return record && Object.hasOwn(record, key) ? this.object(record[key], [...path, key]) : null;
  }

  /** `record[key]` as an array, empty when absent or of another type (then noted). */
  arrayField(record: Json | null, key: string, path: Path): unknown[] {
    const value = record && Object.hasOwn(record, key) ? record[key] : null;
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.skip([...path, key], `expected an array, got ${describe(value)}`);
    return [];
  }

  private skip(path: Path, why: string): void {
    const name = formatIssuePath(path);
    if (!this.skipped.has(name)) this.skipped.set(name, why);
  }

  /** One sentence naming what was left out, or null when everything was read. */
  warning(providerLabel: string): string | null {
    const names = [...this.skipped.keys()];
    if (names.length === 0) return null;
    const shown = names.slice(0, MAX_NAMED_SKIPS).join(", ");
    const more = names.length > MAX_NAMED_SKIPS ? ` and ${names.length - MAX_NAMED_SKIPS} more` : "";
    return `${providerLabel}: left out what could not be read (${shown}${more}); the rest is shown.`;
  }

  /** When nothing in the body could be used and something was left out: the error names the first part. */
  shapeError(providerLabel: string): AdapterOutcome | null {
    const first = this.skipped.entries().next();
    if (first.done) return null;
    const [field, why] = first.value;
    const others = this.skipped.size - 1;
    return {
      ok: false,
      error: "wrong_shape",
      message: `${providerLabel} response has an unexpected shape at ${field}: ${why}${others > 0 ? ` (and ${others} more)` : ""}`,
      hint: "The provider may have changed its format. Update the extension, or report the field named here.",
    };
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value.slice(0, 20)) : typeof value;
}

/**
 * The frame every provider adapter shares: the body parsed as JSON and checked to be an object, then read
 * part by part by `read`. A body that is not a JSON object, or a throw while reading, is an outcome that
 * names the provider, never an exception.
 */
export function adaptJsonObject(
  stdout: string,
  providerLabel: string,
  read: (reader: PartReader, body: Json) => AdapterOutcome,
): AdapterOutcome {
  try {
    const json = parseJsonBody(stdout, providerLabel);
    if (!json.ok) return json.outcome;
    const reader = new PartReader();
    const body = reader.object(json.value, []);
    if (!body) return notAnObject(providerLabel);
    return read(reader, body);
  } catch (cause) {
    return unexpectedFailure(providerLabel, cause);
  }
}
