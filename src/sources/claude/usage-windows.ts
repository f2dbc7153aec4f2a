/**
 * The windows of a Claude OAuth `usage` answer: `limits[]` (authoritative, with severity and the
 * active limit), the legacy `five_hour` / `seven_day`, and every other bucket that carries a
 * `utilization` (`seven_day_sonnet`, `seven_day_omelette` = Claude Design, code names…).
 * Each one is read on its own; objects that are not limits (`seven_day_breakdown`) are not windows.
 */
import * as z from "zod/mini";
import type { CapWindow, Severity } from "../../model/types";
import { displayName, readableId } from "../../model/names";
import { clampPercent, LENGTH_NOT_GIVEN, scopedLabel } from "../../model/windows";
import {
  FIVE_HOUR_KIND,
  MAX_WINDOWS,
  numberLike,
  parseIsoInstant,
  type PartReader,
  WEEKLY_KIND,
  type WindowKind,
} from "../parse";

type Json = Record<string, unknown>;

/** Known buckets' names as Anthropic shows them; others are made readable from their key. */
const BUCKET_NAMES: Record<string, string> = {
  seven_day_sonnet: "Sonnet",
  seven_day_opus: "Opus",
  seven_day_oauth_apps: "OAuth apps",
  seven_day_cowork: "Cowork",
  seven_day_omelette: "Claude Design",
};

/** Keys that hold something other than a usage bucket. */
const NOT_BUCKETS = new Set(["five_hour", "seven_day", "limits", "extra_usage", "spend"]);
const WEEKLY_PREFIX = "seven_day_";

interface Reading {
  percent: number;
  resetsAt: number | null;
  severity?: Severity;
  active?: boolean;
  reached?: boolean;
}

interface LimitEntry extends Reading {
  kind: string;
  group?: string;
  scopeName?: string;
}

function severityOf(value: string | undefined): Severity | undefined {
  return value === "warning" || value === "critical" ? value : undefined;
}

function readLimit(reader: PartReader, value: unknown, index: number): LimitEntry | null {
  const path = ["limits", index];
  const entry = reader.object(value, path);
  const percent = reader.field(entry, "percent", numberLike, path);
  if (!entry || percent === undefined) return null;
  const model = reader.objectField(reader.objectField(entry, "scope", path), "model", [...path, "scope"]);
  const modelPath = [...path, "scope", "model"];
  const scopeName =
    reader.field(model, "display_name", z.string(), modelPath)?.trim() ||
    reader.field(model, "id", z.string(), modelPath)?.trim();
  return {
    kind: reader.field(entry, "kind", z.string(), path) ?? "",
    group: reader.field(entry, "group", z.string(), path),
    percent,
    resetsAt: parseIsoInstant(reader.field(entry, "resets_at", z.string(), path)),
    severity: severityOf(reader.field(entry, "severity", z.string(), path)),
    active: reader.field(entry, "is_active", z.boolean(), path),
    ...(scopeName ? { scopeName: displayName(scopeName) } : {}),
  };
}

/** A bucket `{utilization, resets_at}`; null when absent, not an object, or without a number. */
function readBucket(reader: PartReader, body: Json, key: string): Reading | null {
  const bucket = reader.objectField(body, key, []);
  const percent = reader.field(bucket, "utilization", numberLike, [key]);
  if (!bucket || percent === undefined) return null;
  const locked = reader.field(bucket, "locked_reason", z.string(), [key]);
  return {
    percent,
    resetsAt: parseIsoInstant(reader.field(bucket, "resets_at", z.string(), [key])),
    ...(locked ? { reached: true } : {}),
  };
}

function buildWindow(kind: WindowKind | null, id: string, label: string, reading: Reading): CapWindow {
  const window: CapWindow = {
    id,
    label,
    usedPercent: clampPercent(reading.percent),
    windowMinutes: kind?.windowMinutes ?? null,
    resetsAt: reading.resetsAt,
  };
  if (!kind) window.note = LENGTH_NOT_GIVEN;
  if (reading.reached) window.reached = true;
  if (reading.active) window.active = true;
  if (reading.severity) window.severity = reading.severity;
  return window;
}

/** `limits[]` wins for a shared window; the legacy bucket fills in what it lacks. */
function mainWindow(kind: WindowKind, entry: LimitEntry | undefined, legacy: Reading | null): CapWindow | null {
  if (!entry && !legacy) return null;
  const reading = entry ? { ...entry, resetsAt: entry.resetsAt ?? legacy?.resetsAt ?? null } : legacy!;
  return buildWindow(kind, kind.id, kind.label, reading);
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A scoped or unknown `limits[]` entry: `Weekly (Fable)`, `Daily Design`, `Weekly (Scoped)`. */
function scopedFromLimit(entry: LimitEntry): CapWindow {
  const weekly = entry.kind.startsWith("weekly") || entry.group === "weekly";
  const kind = weekly ? WEEKLY_KIND : entry.kind === "session" || entry.group === "session" ? FIVE_HOUR_KIND : null;
  const kindWords = readableId(entry.kind.replace(/^weekly_?/, "").replace(/^scoped$/, "")) || "Scoped";
  const name = entry.scopeName ?? kindWords;
  const label = kind ? scopedLabel(kind.label, name) : entry.scopeName ? scopedLabel(kindWords, name) : name;
  const window = buildWindow(kind, `${kind?.id ?? "limit"}:${slugify(kind ? name : label) || "scoped"}`, label, entry);
  return { ...window, scoped: true };
}

/** `weekly:sonnet-4-5` from `limits` covers the legacy `seven_day_sonnet` bucket. */
function coversBucket(windows: CapWindow[], slug: string): boolean {
  return windows.some((window) => {
    const scope = window.id.slice(window.id.indexOf(":") + 1);
    return scope === slug || scope.startsWith(`${slug}-`);
  });
}

function bucketWindow(key: string, reading: Reading): CapWindow {
  const weekly = key.startsWith(WEEKLY_PREFIX);
  const rest = weekly ? key.slice(WEEKLY_PREFIX.length) : key;
  const name = BUCKET_NAMES[key] ?? (readableId(rest) || "Other limit");
  const id = weekly ? `weekly:${slugify(rest)}` : `bucket:${slugify(rest)}`;
  const window = buildWindow(weekly ? WEEKLY_KIND : null, id, weekly ? scopedLabel("Weekly", name) : name, reading);
  return { ...window, scoped: true };
}

/** Every other key whose value carries a `utilization`: a usage bucket, known or not. */
function otherBuckets(reader: PartReader, body: Json, covered: CapWindow[]): CapWindow[] {
  return Object.keys(body)
    .filter((key) => !NOT_BUCKETS.has(key) && isBucketShaped(body[key]))
    .map((key) => {
      const reading = readBucket(reader, body, key);
      return reading ? bucketWindow(key, reading) : null;
    })
    .filter((window): window is CapWindow => window !== null)
    .filter((window) => !coversBucket(covered, window.id.slice(window.id.indexOf(":") + 1)));
}

function isBucketShaped(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, "utilization");
}

export function collectClaudeWindows(reader: PartReader, body: Json): CapWindow[] {
  const limits = reader
    .arrayField(body, "limits", [])
    .slice(0, MAX_WINDOWS)
    .map((value, index) => readLimit(reader, value, index))
    .filter((entry): entry is LimitEntry => entry !== null);
  const session = mainWindow(
    FIVE_HOUR_KIND,
    limits.find((entry) => entry.kind === "session" && !entry.scopeName),
    readBucket(reader, body, "five_hour"),
  );
  const weekly = mainWindow(
    WEEKLY_KIND,
    limits.find((entry) => entry.kind === "weekly_all" && !entry.scopeName),
    readBucket(reader, body, "seven_day"),
  );
  const main = [session, weekly].filter((window): window is CapWindow => window !== null);
  const scoped = limits
    .filter((entry) => entry.scopeName || !["session", "weekly_all"].includes(entry.kind))
    .map(scopedFromLimit);
  const windows = [...main, ...uniqueById(scoped)];
  return [...windows, ...otherBuckets(reader, body, windows)].slice(0, MAX_WINDOWS);
}

function uniqueById(windows: CapWindow[]): CapWindow[] {
  return windows.filter((window, index) => windows.findIndex((other) => other.id === window.id) === index);
}
