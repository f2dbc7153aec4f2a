import os from "node:os";
import path from "node:path";
import { DEFAULT_TTL_HOURS, TTL_HOUR_CHOICES } from "./freshness";
import { HOUR_MS } from "./time";
import type { PlanTypeSetting, PrecedencePolicy, SourceId } from "./types";

export const DEFAULT_CODEX_CREDIT_PRICE = 0.04;
const MAX_CREDIT_PRICE = 1000;
const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;
const PLAN_TYPE_SETTINGS: PlanTypeSetting[] = ["auto", "subscriptionCaps", "usageCredits", "mixed"];

/**
 * The manifest's preferences as Raycast hands them over: strings and booleans, possibly odd. Keys
 * are the manifest's names (the generated `Preferences` type), so a renamed preference fails the
 * type check here and in every source definition that names one.
 */
export type RawPreferences = { [Name in keyof Preferences]?: unknown };
type PreferenceName = keyof Preferences;

/** What a source definition tells the settings about its own preferences. */
export interface SourcePreferences {
  id: SourceId;
  /** The dropdown that sets the source's plan type (`codexPlanType`). */
  planTypePreference: PreferenceName;
  /** The source's data folder: a preference, an environment variable, then `~/<defaultFolderName>`. */
  folderPreference: PreferenceName;
  folderVariable: string;
  defaultFolderName: string;
}

export interface SourceSettings {
  planType: PlanTypeSetting;
  /** Absolute path of the source's data folder (`~/.codex`, `~/.claude` or the override). */
  folder: string;
  /** The folder is the default one, not set by the user: its absence means the tool is not installed. */
  folderIsDefault: boolean;
}

export interface Settings {
  sources: Record<SourceId, SourceSettings>;
  policy: PrecedencePolicy;
  creditTtlMs: number;
  showCredits: boolean;
  /** USD per Codex credit. */
  codexCreditUnitPrice: number;
  allowKeychain: boolean;
  /** One clear sentence per bad value; the setting fell back to its default. */
  problems: string[];
}

interface Environment {
  env: NodeJS.ProcessEnv;
  homedir: string;
}

function planTypeOf(value: unknown): PlanTypeSetting {
  return PLAN_TYPE_SETTINGS.includes(value as PlanTypeSetting) ? (value as PlanTypeSetting) : "auto";
}

function booleanOf(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

const QUOTED_MAX_CHARS = 40;

/** A bad value as a message quotes it: one line, control characters blanked, at most 40 characters. */
function quoted(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  const text = String(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ");
  return text.length > QUOTED_MAX_CHARS ? `${text.slice(0, QUOTED_MAX_CHARS - 1)}…` : text;
}

function ttlHoursOf(value: unknown, problems: string[]): number {
  const hours = Number(value ?? DEFAULT_TTL_HOURS);
  if ((TTL_HOUR_CHOICES as readonly number[]).includes(hours)) return hours;
  problems.push(`Balance freshness “${quoted(value)}” is not one of 1, 3, 6, 12 or 24 hours; using 6 hours.`);
  return DEFAULT_TTL_HOURS;
}

function creditPriceOf(value: unknown, problems: string[]): number {
  if (value === undefined || value === null) return DEFAULT_CODEX_CREDIT_PRICE;
  // Raycast hands over text; a number is read the same way, anything else is not a price.
  const text = typeof value === "string" || typeof value === "number" ? String(value).trim().replace(/^\$/, "") : null;
  if (text === "") return DEFAULT_CODEX_CREDIT_PRICE;
  const price = text !== null && DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (price > 0 && price <= MAX_CREDIT_PRICE) return price;
  problems.push(
    `Codex credit price “${quoted(value)}” is not a price in US dollars (like 0.04); using $${DEFAULT_CODEX_CREDIT_PRICE}.`,
  );
  return DEFAULT_CODEX_CREDIT_PRICE;
}

function expandHome(folder: string, homedir: string): string {
  if (folder === "~") return homedir;
  if (folder.startsWith("~/")) return path.join(homedir, folder.slice(2));
  return folder;
}

function folderOf(preference: unknown, envValue: string | undefined, fallback: string, homedir: string): string {
  const chosen = typeof preference === "string" && preference.trim() !== "" ? preference.trim() : envValue?.trim();
  return path.resolve(expandHome(chosen || fallback, homedir));
}

function sourceSettings(raw: RawPreferences, source: SourcePreferences, { env, homedir }: Environment): SourceSettings {
  const fallback = path.join(homedir, source.defaultFolderName);
  const folder = folderOf(raw[source.folderPreference], env[source.folderVariable], fallback, homedir);
  return { planType: planTypeOf(raw[source.planTypePreference]), folder, folderIsDefault: folder === fallback };
}

/** The settings of a source the registry has, or safe defaults for an id it does not know. */
export function settingsOf(settings: Settings, source: SourceId): SourceSettings {
  return settings.sources[source] ?? { planType: "auto", folder: "", folderIsDefault: true };
}

/** Turns raw preferences into settings; never throws, reports every value it had to replace. */
export function parseSettings(
  raw: RawPreferences,
  sources: readonly SourcePreferences[],
  environment: Environment = { env: process.env, homedir: os.homedir() },
): Settings {
  const problems: string[] = [];
  return {
    sources: Object.fromEntries(sources.map((source) => [source.id, sourceSettings(raw, source, environment)])),
    policy: raw.preferCredits === true ? "preferCredits" : "capsFirst",
    creditTtlMs: ttlHoursOf(raw.creditTtlHours, problems) * HOUR_MS,
    showCredits: booleanOf(raw.showCredits, true),
    codexCreditUnitPrice: creditPriceOf(raw.codexCreditUnitPrice, problems),
    allowKeychain: booleanOf(raw.allowKeychain, true),
    problems,
  };
}
