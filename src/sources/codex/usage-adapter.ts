/**
 * ChatGPT `wham/usage` answer → caps and credits. Every part (each window, each bucket, the
 * credits, the spending limit) is read on its own: a part that does not parse costs only itself.
 * Personal fields (`email`, `user_id`, `account_id`) are never read.
 */
import * as z from "zod/mini";
import type { CapsSnapshot, CapWindow, CreditReading, LimitReached } from "../../model/types";
import {
  adaptJsonObject,
  type AdapterOutcome,
  type AdapterResult,
  MAX_WINDOWS,
  noUsage,
  numberLike,
  PartReader,
} from "../parse";
import {
  codexCreditReading,
  creditBlocker,
  isGenericReachedType,
  markMostUsedReached,
  reachedTypeOf,
  reachedWords,
  SPEND_LIMIT_WORDS,
} from "./signals";
import { additionalScope, CODE_REVIEW_SCOPE, rateLimitWindows, spendLimitWindow } from "./usage-windows";

const PROVIDER_LABEL = "Codex usage";

type Json = Record<string, unknown>;

export function adaptCodexUsage(stdout: string, fetchedAt: number): AdapterOutcome {
  return adaptJsonObject(stdout, PROVIDER_LABEL, (reader, body) => toOutcome(reader, body, fetchedAt));
}

function toOutcome(reader: PartReader, body: Json, fetchedAt: number): AdapterOutcome {
  const spendControl = reader.objectField(body, "spend_control", []);
  const spendReached = reader.field(spendControl, "reached", z.boolean(), ["spend_control"]) === true;
  const blocker = creditBlocker(reachedTypeOf(body.rate_limit_reached_type), spendReached);
  const creditsPart = reader.objectField(body, "credits", []);
  const credits = creditsPart ? readCredits(reader, creditsPart, fetchedAt, blocker) : null;
  const { windows, reached } = collectWindows(reader, body, fetchedAt, spendReached);
  if (windows.length === 0 && !credits && !reached) {
    return (
      reader.shapeError(PROVIDER_LABEL) ??
      noUsage(
        "Codex answered without usage data",
        "This login has no ChatGPT usage to show. Log in to Codex with your ChatGPT account (`codex login`), then Refresh Billing again.",
      )
    );
  }
  const caps: CapsSnapshot = { windows, capturedAt: fetchedAt, origin: "codex-usage-api" };
  const planName = planOf(reader.field(body, "plan_type", z.string(), []));
  if (planName) caps.planName = planName;
  if (reached) caps.reached = reached;
  const banked = bankedResets(reader, body);
  if (banked > 0) caps.bankedResets = banked;
  const warnings: string[] = [];
  const skipped = reader.warning(PROVIDER_LABEL);
  if (skipped) warnings.push(skipped);
  const result: AdapterResult = { caps, credits, warnings };
  // A credits object that was there but unreadable is not news that there is none.
  if (body.credits && !creditsPart) result.creditsDropped = true;
  return { ok: true, result };
}

function planOf(planType: string | undefined): string | undefined {
  const plan = planType?.trim().slice(0, 60);
  return plan && plan.toLowerCase() !== "unknown" ? plan : undefined;
}

function readCredits(reader: PartReader, credits: Json, fetchedAt: number, blocker: string | null): CreditReading {
  const path = ["credits"];
  return codexCreditReading(
    {
      hasCredits: reader.field(credits, "has_credits", z.boolean(), path),
      unlimited: reader.field(credits, "unlimited", z.boolean(), path),
      balance: reader.field(credits, "balance", numberLike, path),
      overageLimitReached: reader.field(credits, "overage_limit_reached", z.boolean(), path),
    },
    fetchedAt,
    "usage-api",
    blocker,
  );
}

interface Collected {
  windows: CapWindow[];
  reached: LimitReached | null;
}

function collectWindows(reader: PartReader, body: Json, fetchedAt: number, spendReached: boolean): Collected {
  let account = rateLimitWindows(reader, body.rate_limit, ["rate_limit"], fetchedAt, null);
  const reachedType = reachedTypeOf(body.rate_limit_reached_type);
  if (reachedType !== null && isGenericReachedType(reachedType)) account = markMostUsedReached(account);
  const scoped = [
    ...rateLimitWindows(reader, body.code_review_rate_limit, ["code_review_rate_limit"], fetchedAt, CODE_REVIEW_SCOPE),
    ...additionalWindows(reader, body, fetchedAt),
  ];
  const spendControl = reader.objectField(body, "spend_control", []);
  const limitValue = spendControl?.individual_limit ?? body.individual_limit;
  const limitPath = spendControl?.individual_limit ? ["spend_control", "individual_limit"] : ["individual_limit"];
  const spend = spendLimitWindow(reader, limitValue, limitPath, fetchedAt, {
    reached: spendReached,
    binds: account.length === 0,
  });
  const windows = uniqueIds([...account, ...(spend ? [spend] : []), ...scoped]).slice(0, MAX_WINDOWS);
  return { windows, reached: reachedSignal(reachedType, account, spendReached, spend) };
}

function additionalWindows(reader: PartReader, body: Json, fetchedAt: number): CapWindow[] {
  return reader.arrayField(body, "additional_rate_limits", []).flatMap((value, index) => {
    const path = ["additional_rate_limits", index];
    const entry = reader.object(value, path);
    if (!entry) return [];
    const scope = additionalScope(reader, entry, path, index);
    return rateLimitWindows(reader, entry.rate_limit, [...path, "rate_limit"], fetchedAt, scope);
  });
}

/**
 * The source-wide signal: a named reached type (a workspace limit, depleted credits), the workspace
 * spending limit, or a generic "limit reached" with no window to show it.
 */
function reachedSignal(
  type: string | null,
  account: CapWindow[],
  spendReached: boolean,
  spend: CapWindow | null,
): LimitReached | null {
  if (type !== null && !isGenericReachedType(type)) return { reason: reachedWords(type), resetsAt: null };
  if (spendReached) return { reason: SPEND_LIMIT_WORDS, resetsAt: spend?.resetsAt ?? null };
  if (type !== null && account.length === 0) return { reason: reachedWords(type), resetsAt: null };
  return null;
}

function bankedResets(reader: PartReader, body: Json): number {
  const resets = reader.objectField(body, "rate_limit_reset_credits", []);
  const count = reader.field(resets, "available_count", numberLike, ["rate_limit_reset_credits"]);
  return count !== undefined && Number.isSafeInteger(count) && count > 0 ? Math.min(count, 1000) : 0;
}

/** Two windows with one id (never seen, but possible) are both shown, under distinct ids. */
function uniqueIds(windows: CapWindow[]): CapWindow[] {
  const seen = new Set<string>();
  return windows.map((window) => {
    let id = window.id;
    for (let copy = 2; seen.has(id); copy++) id = `${window.id}:${copy}`;
    seen.add(id);
    return id === window.id ? window : { ...window, id };
  });
}
