/**
 * The Claude plan from Claude Code's local credentials file (`<config>/.credentials.json`), with no
 * network and no process: only `claudeAiOauth.subscriptionType` and `rateLimitTier` are kept. The
 * tokens in the same file are never returned, logged or stored; a read problem gives no plan, no message.
 */
import path from "node:path";
import * as z from "zod/mini";
import { lenient } from "../../model/schemas";
import { readRegularFile } from "../../tap/bounded-read";

const CREDENTIALS_FILE_NAME = ".credentials.json";
/** A credentials file is well under 4 KiB; anything larger is not one. */
const MAX_CREDENTIALS_BYTES = 64 * 1024;

const planFieldsSchema = z.object({
  claudeAiOauth: z.object({
    subscriptionType: lenient(z.string().check(z.maxLength(60)), undefined),
    rateLimitTier: lenient(z.string().check(z.maxLength(60)), undefined),
  }),
});

/**
 * The plan id to show: `subscriptionType` (`max`, `pro`), refined by a matching tier (`max` with
 * `default_claude_max_20x` → `max_20x`, shown as Max 20x). The two can disagree (a Pro seat with the
 * free-tier `default_claude_ai`): the subscription wins.
 */
export function claudePlanId(subscriptionType: string | undefined, rateLimitTier: string | undefined): string | null {
  const plan = subscriptionType?.trim().toLowerCase();
  if (!plan) return null;
  const multiplier = /_max_(\d{1,2}x)$/.exec(rateLimitTier?.trim().toLowerCase() ?? "")?.[1];
  return plan === "max" && multiplier ? `max_${multiplier}` : plan;
}

/** The plan from `<claudeConfigDir>/.credentials.json`, or null when there is none to read. Never throws. */
export async function readClaudePlan(claudeConfigDir: string): Promise<string | null> {
  try {
    // Regular files only, size-capped, never waiting on a FIFO or a device named like it.
    const read = await readRegularFile(path.join(claudeConfigDir, CREDENTIALS_FILE_NAME), MAX_CREDENTIALS_BYTES);
    if (!read.ok) return null;
    const parsed = planFieldsSchema.safeParse(JSON.parse(read.bytes.toString("utf8")));
    if (!parsed.success) return null;
    const { subscriptionType, rateLimitTier } = parsed.data.claudeAiOauth;
    return claudePlanId(subscriptionType, rateLimitTier);
  } catch {
    return null;
  }
}
