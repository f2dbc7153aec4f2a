/**
 * The product's vocabulary (SPEC §3). Every instant is epoch milliseconds so that
 * snapshots survive JSON round trips through LocalStorage unchanged.
 */

/** The id of an entry in the source registry (`src/sources/registry.ts`): `codex`, `claude`. */
export type SourceId = string;

export type UsagePlanType = "subscriptionCaps" | "usageCredits" | "mixed";
export type PlanTypeSetting = UsagePlanType | "auto";

/** The precedence flag of the plan: caps stay primary unless the user prefers credits. */
export type PrecedencePolicy = "capsFirst" | "preferCredits";

export const FIVE_HOUR_MINUTES = 300;
export const WEEK_MINUTES = 10080;

/** Where a caps reading came from; shown to the user so they can judge its age. */
export type CapsOrigin = "codex-session-log" | "codex-usage-api" | "claude-usage-api" | "claude-statusline";

/** The provider's own alarm level for a window (Claude `limits[].severity`). */
export type Severity = "warning" | "critical";

export interface CapWindow {
  /** Stable key: `5h`, `weekly`, `primary` (length not given), or `<kind>:<scope>` for scoped buckets. */
  id: string;
  /** Short label for the menu: `5h`, `Weekly`, `Weekly (Sonnet)`, `Primary window`. */
  label: string;
  /** 0–100, already clamped. */
  usedPercent: number;
  windowMinutes: number | null;
  /** Epoch ms, or null when the provider did not say. */
  resetsAt: number | null;
  /** Model-scoped windows are shown, but never bind the source. */
  scoped?: boolean;
  /** The provider says this window's limit is reached, whatever its percentage. */
  reached?: boolean;
  /** The provider marks this window as the one that binds now (Claude `is_active`). */
  active?: boolean;
  severity?: Severity;
  /** More words for the tooltip: `length not given`, `3,832 of 15,000 credits used`. */
  note?: string;
}

/** Requests are refused for the whole source, in words (`workspace usage limit`). */
export interface LimitReached {
  reason: string;
  /** When the signal stops holding, if the provider said; null holds until a newer reading. */
  resetsAt: number | null;
}

export interface CapsSnapshot {
  windows: CapWindow[];
  /** When the provider measured it (log line time, fetch time). */
  capturedAt: number;
  origin: CapsOrigin;
  /** Provider plan id when known (`plus`, `prolite`, `max`); shown through `planDisplayName`. */
  planName?: string;
  /** A provider signal that the whole source is at its limit, beyond what the windows say. */
  reached?: LimitReached;
  /** Banked window resets the user can spend (Codex `rate_limit_reset_credits.available_count`). */
  bankedResets?: number;
  /** A balance that came with the caps at no cost (the Codex session log's `rate_limits.credits`). */
  credits?: CreditReading;
}

/** An amount in major units (12.3 = $12.30) with its ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/**
 * A balance as the provider gave it. Codex counts credits (turned into money with the
 * unit-price preference at read time, so a price change applies to stored balances);
 * Claude reports money directly.
 */
type RawBalance =
  | { kind: "money"; money: Money }
  | { kind: "codexCredits"; credits: number }
  | { kind: "unlimited" }
  /** The provider gave no usable figure: unknown, never zero. */
  | { kind: "unknown" };

/** Where a balance came from: a confirmed Refresh Billing, or the Codex session log (no network). */
export type CreditOrigin = "usage-api" | "codex-session-log";

/** What a billing probe (or a Codex log line) yields for credits, before TTL and price are applied. */
export interface CreditReading {
  balance: RawBalance;
  /** Credit the user can spend now (SPEC §3 "usable"); anything else carries `notUsableReason`. */
  usable: boolean;
  /** Why the credit cannot be spent, in words: `out of credits`, `turned off`, `balance not given`. */
  notUsableReason?: string;
  /** Absent means `usage-api` (readings stored before the origin existed came from a refresh). */
  origin?: CreditOrigin;
  /** Monthly limit when the provider has one (Claude extra usage). */
  limit?: Money | null;
  used?: Money | null;
  /** Provider utilization of the limit, 0–100, for sanity checks. */
  utilization?: number | null;
  /** Something looked off in the body (e.g. minor units that disagree with utilization). */
  warning?: string;
  updatedAt: number;
}

/** A credit snapshot as the UI sees it: the plan's fields, resolved against preferences. */
export interface CreditSnapshot {
  /** The plan's name is kept; the currency need not be USD. Null when unlimited or unpriceable. */
  creditBalanceUSD: Money | null;
  unlimited: boolean;
  usable: boolean;
  notUsableReason?: string;
  /** Absent means `usage-api`. */
  origin?: CreditOrigin;
  limit: Money | null;
  /** Spent so far against `limit` (Claude extra usage). */
  used?: Money | null;
  creditUpdatedAt: number;
  /** The "FreshUntilCredits" instant: updated + TTL. */
  creditRefreshAt: number;
  creditTTL: number;
  /** Set for Codex: USD per credit that produced `creditBalanceUSD`. */
  creditUnitPrice?: number;
  /** Set for Codex: the raw credit count. */
  credits?: number;
  warning?: string;
}

export interface SourceSnapshot {
  source: SourceId;
  caps: CapsSnapshot | null;
  credits: CreditSnapshot | null;
}

export type ActiveLimiter =
  /** `reached` is set when requests are refused: by a provider signal or an exhausted window. */
  | { kind: "caps"; window: CapWindow | null; reached?: LimitReached | null; reason: string }
  | { kind: "credits"; credits: CreditSnapshot | null; reason: string };

/** What the billing view does on open, when the menu bar asks it to (alerts need a window). */
export type BillingIntent = "installTap" | "uninstallTap";

/** Something the user can do from a line of the menu; the Raycast layer maps these to API calls. */
export type MenuAction =
  | { type: "refreshBilling"; sources?: SourceId[] }
  | { type: "openBilling"; intent?: BillingIntent; source?: SourceId }
  | { type: "openPreferences" }
  | { type: "openUrl"; url: string };

/** Whether the opt-in Claude status-line tap feeds free caps; "unknown" when its files could not be read safely. */
export type TapStatus = "installed" | "not-installed" | "modified" | "no-claude" | "unknown";
