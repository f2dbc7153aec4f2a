/**
 * The windows of a ChatGPT `wham/usage` answer: `rate_limit`, `code_review_rate_limit`,
 * `additional_rate_limits[]` and the workspace spending limit. Each window is read on its own.
 */
import * as z from "zod/mini";
import type { CapWindow } from "../../model/types";
import { cleanName, displayName, looksLikeId, readableId } from "../../model/names";
import { clampPercent, scopedLabel, slotWindowKind, type WindowSlot } from "../../model/windows";
import { classifyWindowSeconds, epochSecondsToMs, numberLike, validInstant, type PartReader } from "../parse";
import { markMostUsedReached } from "./signals";

type Json = Record<string, unknown>;
type Path = (string | number)[];

/** A bucket that is not the account-wide one: a model, a feature, code review. */
export interface Scope {
  key: string;
  name: string;
}

/** Metered features whose `limit_name` is missing or an id; the rest are made readable from their id. */
const FEATURE_NAMES: Record<string, string> = { codex_bengalfox: "GPT-5.3-Codex-Spark" };

/** `additional_rate_limits[i]` as a scope with a human name, never a raw id. */
export function additionalScope(reader: PartReader, entry: Json, path: Path, index: number): Scope {
  const limitName = reader.field(entry, "limit_name", z.string(), path)?.trim();
  const feature = reader.field(entry, "metered_feature", z.string(), path)?.trim();
  const key = cleanName(feature || limitName || `extra-${index + 1}`);
  const given = limitName && !looksLikeId(limitName) ? limitName : undefined;
  const known = FEATURE_NAMES[feature ?? ""] ?? FEATURE_NAMES[limitName ?? ""];
  const name = given ? displayName(given) : (known ?? readableId(limitName || feature || ""));
  return { key, name: name || `Extra limit ${index + 1}` };
}

export const CODE_REVIEW_SCOPE: Scope = { key: "code_review", name: "Code review" };

interface RawWindow {
  usedPercent: number;
  seconds?: number;
  resetAt?: number;
  resetAfter?: number;
}

function readWindow(reader: PartReader, value: unknown, path: Path): RawWindow | null {
  const window = reader.object(value, path);
  const usedPercent = reader.field(window, "used_percent", numberLike, path);
  if (usedPercent === undefined) return null;
  return {
    usedPercent,
    seconds: reader.field(window, "limit_window_seconds", numberLike, path),
    resetAt: reader.field(window, "reset_at", numberLike, path),
    resetAfter: reader.field(window, "reset_after_seconds", numberLike, path),
  };
}

/** `reset_at` is absolute; `reset_after_seconds` drifts with latency, so it is only the fallback. */
function resetInstant(raw: RawWindow, fetchedAt: number): number | null {
  const absolute = epochSecondsToMs(raw.resetAt);
  if (absolute !== null) return absolute;
  return raw.resetAfter === undefined ? null : validInstant(fetchedAt + raw.resetAfter * 1000);
}

function toWindow(raw: RawWindow, slot: WindowSlot, fetchedAt: number, scope: Scope | null): CapWindow {
  const byLength = raw.seconds !== undefined && raw.seconds > 0 ? classifyWindowSeconds(raw.seconds) : null;
  const kind = byLength ?? { ...slotWindowKind(slot), windowMinutes: null };
  const window: CapWindow = {
    id: scope ? `${kind.id}:${scope.key}` : kind.id,
    label: scope ? scopedLabel(kind.label, scope.name) : kind.label,
    usedPercent: clampPercent(raw.usedPercent),
    windowMinutes: kind.windowMinutes,
    resetsAt: resetInstant(raw, fetchedAt),
  };
  if (!byLength) window.note = slotWindowKind(slot).note;
  return scope ? { ...window, scoped: true } : window;
}

/** Windows by length, shortest first; windows of unknown length after them. */
function byLength(a: CapWindow, b: CapWindow): number {
  return (a.windowMinutes ?? Infinity) - (b.windowMinutes ?? Infinity);
}

const MAX_SLOTS = 8;

/** `primary`, `secondary`, then any other `<slot>_window` the provider adds: every window with a number is shown. */
function windowSlots(rateLimit: Json): WindowSlot[] {
  const others = Object.keys(rateLimit)
    .filter((key) => key.endsWith("_window") && key !== "primary_window" && key !== "secondary_window")
    .map((key) => key.slice(0, -"_window".length))
    .filter((slot) => /^[a-z0-9_]{1,30}$/.test(slot));
  return ["primary", "secondary", ...others].slice(0, MAX_SLOTS);
}

/**
 * The windows of one `rate_limit`-shaped object. `allowed: false` or `limit_reached: true` marks
 * the bucket as at its limit: the window at 100 % says so already, else the most-used one is marked.
 */
export function rateLimitWindows(
  reader: PartReader,
  value: unknown,
  path: Path,
  fetchedAt: number,
  scope: Scope | null,
): CapWindow[] {
  const rateLimit = reader.object(value, path);
  if (!rateLimit) return [];
  const windows = windowSlots(rateLimit)
    .map((slot) => {
      const raw = readWindow(reader, rateLimit[`${slot}_window`], [...path, `${slot}_window`]);
      return raw ? toWindow(raw, slot, fetchedAt, scope) : null;
    })
    .filter((window): window is CapWindow => window !== null)
    .sort(byLength);
  const refused =
    reader.field(rateLimit, "allowed", z.boolean(), path) === false ||
    reader.field(rateLimit, "limit_reached", z.boolean(), path) === true;
  return refused ? markMostUsedReached(windows) : windows;
}

let creditCount: Intl.NumberFormat | undefined;
/** Made on first use, not while the bundle loads: the first Intl formatter of a process loads the locale data. */
const formatCreditCount = (value: number) =>
  (creditCount ??= new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 })).format(value);

/**
 * `spend_control.individual_limit`: the spending limit a workspace set for this member, as a window
 * (`3,832 of 15,000 credits used`). It binds only when the account has no cap windows of its own.
 */
export function spendLimitWindow(
  reader: PartReader,
  value: unknown,
  path: Path,
  fetchedAt: number,
  options: { reached: boolean; binds: boolean },
): CapWindow | null {
  const limit = reader.object(value, path);
  if (!limit) return null;
  const total = reader.field(limit, "limit", numberLike, path);
  const used = reader.field(limit, "used", numberLike, path);
  const computed = total !== undefined && used !== undefined && total > 0 ? (used / total) * 100 : undefined;
  const percent = reader.field(limit, "used_percent", numberLike, path) ?? computed;
  if (percent === undefined) return null;
  const resetAt = reader.field(limit, "reset_at", numberLike, path);
  const resetAfter = reader.field(limit, "reset_after_seconds", numberLike, path);
  const window: CapWindow = {
    id: "spend-limit",
    label: "Spending limit",
    usedPercent: clampPercent(percent),
    windowMinutes: null,
    resetsAt: resetInstant({ usedPercent: percent, resetAt, resetAfter }, fetchedAt),
  };
  if (total !== undefined && used !== undefined) {
    window.note = `${formatCreditCount(used)} of ${formatCreditCount(total)} credits used, set by your workspace`;
  }
  if (options.reached) window.reached = true;
  return options.binds ? window : { ...window, scoped: true };
}
