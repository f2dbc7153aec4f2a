/** zod schemas for what the extension stores itself: every stored byte is parsed on the way back. */
import { z } from "zod";

const finite = z.number().finite();
/**
 * The last instant the extension accepts: the end of the year 9999. A stored time beyond it is
 * junk (and near 8.64e15 ms a Date, Intl and date-fns throw), so the whole record is ignored.
 */
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const instantSchema = finite.nonnegative().max(MAX_INSTANT_MS);
const instant = instantSchema;

export const moneySchema = z.object({ amount: finite, currency: z.string().regex(/^[A-Za-z]{3}$/) });

export const capWindowSchema = z.object({
  id: z.string(),
  label: z.string(),
  usedPercent: finite.min(0).max(100),
  windowMinutes: finite.nullable(),
  resetsAt: instant.nullable(),
  scoped: z.boolean().optional(),
});

export const capsSnapshotSchema = z.object({
  windows: z.array(capWindowSchema).max(50),
  capturedAt: instant,
  origin: z.enum(["codex-session-log", "codex-usage-api", "claude-usage-api", "claude-statusline"]),
  planName: z.string().optional(),
  creditsUsable: z.boolean().optional(),
});

export const rawBalanceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("money"), money: moneySchema }),
  z.object({ kind: z.literal("codexCredits"), credits: finite }),
  z.object({ kind: z.literal("unlimited") }),
]);

export const creditReadingSchema = z.object({
  balance: rawBalanceSchema,
  usable: z.boolean(),
  limit: moneySchema.nullable().optional(),
  used: moneySchema.nullable().optional(),
  utilization: finite.nullable().optional(),
  warning: z.string().optional(),
  updatedAt: instant,
});

export const probeErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string(),
  at: instant,
  httpStatus: z.number().int().optional(),
  retryAfterSeconds: finite.optional(),
});
