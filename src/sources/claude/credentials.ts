/**
 * The Claude plan from Claude Code's local credentials file (`<config>/.credentials.json`), with no
 * network and no process: only `claudeAiOauth.subscriptionType` and `rateLimitTier` are kept. The
 * tokens in the same file are never returned, logged or stored; a read problem gives no plan, no message.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import * as z from "zod/mini";

const CREDENTIALS_FILE_NAME = ".credentials.json";
/** A credentials file is well under 4 KiB; anything larger is not one. */
const MAX_CREDENTIALS_BYTES = 64 * 1024;

const planFieldsSchema = z.object({
  claudeAiOauth: z.object({
    subscriptionType: z.catch(z.optional(z.string().check(z.maxLength(60))), undefined),
    rateLimitTier: z.catch(z.optional(z.string().check(z.maxLength(60))), undefined),
  }),
});

/** Reads at most the size cap of a regular file; a FIFO or device named like it cannot block. */
async function readSmallRegularFile(file: string): Promise<string | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > MAX_CREDENTIALS_BYTES) return null;
    const buffer = Buffer.alloc(MAX_CREDENTIALS_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return bytesRead > MAX_CREDENTIALS_BYTES ? null : buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

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
    const text = await readSmallRegularFile(path.join(claudeConfigDir, CREDENTIALS_FILE_NAME));
    if (text === null) return null;
    const parsed = planFieldsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    const { subscriptionType, rateLimitTier } = parsed.data.claudeAiOauth;
    return claudePlanId(subscriptionType, rateLimitTier);
  } catch {
    return null;
  }
}
