import type { ActiveLimiter, CreditSnapshot, Money } from "../model/types";
import { currentPercent, hasReset } from "../model/freshness";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../model/time";

/** `37%`; never shows 100 % for a window that is not exhausted, nor 0 % for one that is used. */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) return "–";
  const clamped = Math.min(100, Math.max(0, percent));
  let rounded = Math.round(clamped);
  if (rounded === 100 && clamped < 100) rounded = 99;
  if (rounded === 0 && clamped > 0) return "<1%";
  return `${rounded}%`;
}

/**
 * One formatter per format, made on first use: constructing an Intl formatter costs far more than using one,
 * and the first one a process makes also loads the locale data, so none is made while the bundle loads.
 */
export function onFirstUse<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

const YEAR_MS = 365 * DAY_MS;
/** The largest instant a JavaScript Date holds; beyond it Intl and date-fns throw. */
const MAX_DATE_MS = 8.64e15;

/** Whether `time` is an instant a Date can hold, so formatting it cannot throw. */
function isFormattableTime(time: number): boolean {
  return Number.isFinite(time) && Math.abs(time) <= MAX_DATE_MS;
}

/** `2h 41m`, `3d 4h`, `12m`, `<1m`: the two largest units, for menu lines; `over a year` for junk. */
export function formatDurationShort(ms: number): string {
  if (!(ms >= MINUTE_MS)) return "<1m";
  if (ms >= YEAR_MS) return "over a year";
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return `${minutes}m`;
}

export function formatResetCountdown(resetsAt: number | null, now: number): string {
  if (resetsAt === null) return "reset time unknown";
  if (resetsAt <= now) return "reset";
  return `resets in ${formatDurationShort(resetsAt - now)}`;
}

/** `5h 37% · resets in 2h 41m`, or `5h reset` once the reset time has passed. */
export function formatWindowLine(window: { label: string; usedPercent: number; resetsAt: number | null }, now: number) {
  if (hasReset(window, now)) return `${window.label} reset · 0% used`;
  return `${window.label} ${formatPercent(window.usedPercent)} · ${formatResetCountdown(window.resetsAt, now)}`;
}

const moneyFormatters = new Map<string, Intl.NumberFormat>();

/** Amounts this large are junk or a unit mix-up; they are shown short rather than as 300 digits. */
const COMPACT_FROM = 1e9;
const SCIENTIFIC_FROM = 1e15;
type MoneyNotation = "standard" | "compact" | "scientific";

function notationOf(amount: number): MoneyNotation {
  const size = Math.abs(amount);
  return size >= SCIENTIFIC_FROM ? "scientific" : size >= COMPACT_FROM ? "compact" : "standard";
}

function moneyFormatter(currency: string, notation: MoneyNotation): Intl.NumberFormat | null {
  const key = `${currency}:${notation}`;
  if (!moneyFormatters.has(key)) {
    try {
      moneyFormatters.set(key, new Intl.NumberFormat("en-US", { style: "currency", currency, notation }));
    } catch {
      return null;
    }
  }
  return moneyFormatters.get(key) ?? null;
}

/** `$12.30`, `€12.85`, `¥1,200`; an unknown currency code is shown after the number. */
export function formatMoney(money: Money): string {
  if (!Number.isFinite(money.amount)) return `unknown amount ${money.currency}`.trim();
  const notation = notationOf(money.amount);
  const formatter = moneyFormatter(money.currency.toUpperCase(), notation);
  if (formatter) return formatter.format(money.amount);
  const number =
    notation === "standard"
      ? money.amount.toFixed(2)
      : new Intl.NumberFormat("en-US", { notation, maximumFractionDigits: 2 }).format(money.amount);
  return `${number} ${money.currency}`.trim();
}

/** The balance as the menu shows it: money, `Unlimited`, or `unpriced` when no price is set. */
export function formatBalance(credits: CreditSnapshot): string {
  if (credits.unlimited) return "Unlimited";
  if (credits.creditBalanceUSD) return formatMoney(credits.creditBalanceUSD);
  if (credits.credits !== undefined) return `${formatCredits(credits.credits)} credits`;
  return "unknown";
}

const creditsFormatter = onFirstUse(() => new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }));

function formatCredits(credits: number): string {
  return creditsFormatter().format(credits);
}

const MONTH_MS = 30 * DAY_MS;

/** Narrow English units (`2h`, `5m`, `in 10mo`) match the menu's other compact texts. */
const relativeFormatter = onFirstUse(() => new Intl.RelativeTimeFormat("en", { style: "narrow", numeric: "always" }));

/** The largest unit that fits, rounded down: 90 minutes is `1h`, 45 days `1mo`. */
function largestUnit(ms: number): { value: number; unit: Intl.RelativeTimeFormatUnit } {
  if (ms < MINUTE_MS) return { value: Math.floor(ms / 1000), unit: "second" };
  if (ms < HOUR_MS) return { value: Math.floor(ms / MINUTE_MS), unit: "minute" };
  if (ms < DAY_MS) return { value: Math.floor(ms / HOUR_MS), unit: "hour" };
  if (ms < MONTH_MS) return { value: Math.floor(ms / DAY_MS), unit: "day" };
  if (ms < YEAR_MS) return { value: Math.floor(ms / MONTH_MS), unit: "month" };
  return { value: Math.floor(ms / YEAR_MS), unit: "year" };
}

/** `2h ago`, `5m ago`, `just now` (and `in 3h` for a time ahead of the clock). */
export function formatRelative(time: number, now: number): string {
  if (!isFormattableTime(time) || !isFormattableTime(now)) return "at an unknown time";
  if (Math.abs(now - time) < MINUTE_MS) return "just now";
  const { value, unit } = largestUnit(Math.abs(now - time));
  return relativeFormatter().format(time <= now ? -value : value, unit);
}

const clockFormatter = onFirstUse(
  () => new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }),
);
const clockWithYearFormatter = onFirstUse(
  () =>
    new Intl.DateTimeFormat(undefined, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    }),
);

/**
 * `Nov 28, 14:03`: absolute times in the user's locale, short, with the year when it is not this
 * year's (`Nov 28, 2025, 14:03`); `an unknown time` for junk.
 */
export function formatClock(time: number, now: number = Date.now()): string {
  if (!isFormattableTime(time)) return "an unknown time";
  const sameYear = isFormattableTime(now) && new Date(time).getFullYear() === new Date(now).getFullYear();
  return (sameYear ? clockFormatter : clockWithYearFormatter)().format(time);
}

/** The compact menu-bar title for a limiter: `61%`, `$12.30`, or `–` when nothing is known. */
export function formatLimiterTitle(limiter: ActiveLimiter, now: number): string {
  if (limiter.kind === "caps") return limiter.window ? formatPercent(currentPercent(limiter.window, now)) : "–";
  if (!limiter.credits) return "–";
  if (limiter.credits.unlimited) return "∞";
  return limiter.credits.creditBalanceUSD ? formatMoney(limiter.credits.creditBalanceUSD) : "–";
}
