import os from "node:os";
import path from "node:path";
import { DEFAULT_TTL_HOURS, HOUR_MS, TTL_HOUR_CHOICES } from "./freshness";
import type { PlanTypeSetting, PrecedencePolicy, SourceId } from "./types";

export const DEFAULT_CODEX_CREDIT_PRICE = 0.04;
const MAX_CREDIT_PRICE = 1000;
const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;
const PLAN_TYPE_SETTINGS: PlanTypeSetting[] = ["auto", "subscriptionCaps", "usageCredits", "mixed"];

/** The manifest's preferences as Raycast hands them over: strings and booleans, possibly odd. */
export interface RawPreferences {
  codexPlanType?: unknown;
  claudePlanType?: unknown;
  preferCredits?: unknown;
  creditTtlHours?: unknown;
  showCredits?: unknown;
  codexCreditUnitPrice?: unknown;
  codexHome?: unknown;
  claudeConfigDir?: unknown;
  allowKeychain?: unknown;
}

export interface Settings {
  planType: Record<SourceId, PlanTypeSetting>;
  policy: PrecedencePolicy;
  creditTtlMs: number;
  showCredits: boolean;
  /** USD per Codex credit. */
  codexCreditUnitPrice: number;
  codexHome: string;
  claudeConfigDir: string;
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

/** Turns raw preferences into settings; never throws, reports every value it had to replace. */
export function parseSettings(
  raw: RawPreferences,
  { env, homedir }: Environment = { env: process.env, homedir: os.homedir() },
): Settings {
  const problems: string[] = [];
  return {
    planType: { codex: planTypeOf(raw.codexPlanType), claude: planTypeOf(raw.claudePlanType) },
    policy: raw.preferCredits === true ? "preferCredits" : "capsFirst",
    creditTtlMs: ttlHoursOf(raw.creditTtlHours, problems) * HOUR_MS,
    showCredits: booleanOf(raw.showCredits, true),
    codexCreditUnitPrice: creditPriceOf(raw.codexCreditUnitPrice, problems),
    codexHome: folderOf(raw.codexHome, env.CODEX_HOME, path.join(homedir, ".codex"), homedir),
    claudeConfigDir: folderOf(raw.claudeConfigDir, env.CLAUDE_CONFIG_DIR, path.join(homedir, ".claude"), homedir),
    allowKeychain: booleanOf(raw.allowKeychain, true),
    problems,
  };
}
