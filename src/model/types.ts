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

export interface CapWindow {
  /** Stable key: `5h`, `weekly`, or `weekly:<scope>` for model-scoped weeklies. */
  id: string;
  /** Short label for the menu: `5h`, `Weekly`, `Weekly (Sonnet)`. */
  label: string;
  /** 0–100, already clamped. */
  usedPercent: number;
  windowMinutes: number | null;
  /** Epoch ms, or null when the provider did not say. */
  resetsAt: number | null;
  /** Model-scoped windows are shown, but never bind the source. */
  scoped?: boolean;
}

export interface CapsSnapshot {
  windows: CapWindow[];
  /** When the provider measured it (log line time, fetch time). */
  capturedAt: number;
  origin: CapsOrigin;
  /** Provider plan name when known (`plus`, `pro`, `max`). */
  planName?: string;
  /** The caps source says whether on-demand credit exists, without a balance (Codex logs). */
  creditsUsable?: boolean;
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
type RawBalance = { kind: "money"; money: Money } | { kind: "codexCredits"; credits: number } | { kind: "unlimited" };

/** What a billing probe yields for credits, before TTL and price are applied. */
export interface CreditReading {
  balance: RawBalance;
  /** False for `has_credits: false` or disabled extra usage: not credit the user can spend. */
  usable: boolean;
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
  limit: Money | null;
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
  | { kind: "caps"; window: CapWindow | null; reason: string }
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
