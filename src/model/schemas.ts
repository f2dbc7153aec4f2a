/** zod schemas for what the extension stores itself: every stored byte is parsed on the way back. */
import * as z from "zod/mini";

const finite = z.number();

/**
 * A field whose surprising value costs only itself: the value when `schema` accepts it, else `fallback`
 * (a missing field stays undefined). Written with `pipe` rather than `z.catch`, which pulls most of zod's utility
 * module into every bundle (9 KB of the menu bar's).
 */
export function lenient<T extends z.ZodMiniType, F>(schema: T, fallback: F) {
  return z.optional(
    z.pipe(
      z.unknown(),
      z.transform((value): z.infer<T> | F => {
        const parsed = schema.safeParse(value);
        return parsed.success ? (parsed.data as z.infer<T>) : fallback;
      }),
    ),
  );
}
/**
 * The last instant the extension accepts: the end of the year 9999. A stored time beyond it is
 * junk (and near 8.64e15 ms a Date, Intl and date-fns throw), so the whole record is ignored.
 */
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const instantSchema = z.number().check(z.nonnegative(), z.maximum(MAX_INSTANT_MS));
const instant = instantSchema;

const moneySchema = z.object({ amount: finite, currency: z.string().check(z.regex(/^[A-Za-z]{3}$/)) });

/** Words the extension wrote itself (labels, reasons); a longer one can only be junk. */
const words = z.string().check(z.maxLength(200));

const capWindowSchema = z.object({
  id: words,
  label: words,
  usedPercent: z.number().check(z.minimum(0), z.maximum(100)),
  windowMinutes: z.nullable(finite),
  resetsAt: z.nullable(instant),
  scoped: z.optional(z.boolean()),
  reached: z.optional(z.boolean()),
  active: z.optional(z.boolean()),
  severity: z.optional(z.enum(["warning", "critical"])),
  note: z.optional(words),
});

const rawBalanceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("money"), money: moneySchema }),
  z.object({ kind: z.literal("codexCredits"), credits: finite }),
  z.object({ kind: z.literal("unlimited") }),
  z.object({ kind: z.literal("unknown") }),
]);

export const creditReadingSchema = z.object({
  balance: rawBalanceSchema,
  usable: z.boolean(),
  notUsableReason: z.optional(words),
  origin: z.optional(z.enum(["usage-api", "codex-session-log"])),
  limit: z.optional(z.nullable(moneySchema)),
  used: z.optional(z.nullable(moneySchema)),
  utilization: z.optional(z.nullable(finite)),
  warning: z.optional(z.string()),
  updatedAt: instant,
});

export const capsSnapshotSchema = z.object({
  windows: z.array(capWindowSchema).check(z.maxLength(50)),
  capturedAt: instant,
  origin: z.enum(["codex-session-log", "codex-usage-api", "claude-usage-api", "claude-statusline"]),
  planName: z.optional(words),
  reached: z.optional(z.object({ reason: words, resetsAt: z.nullable(instant) })),
  bankedResets: z.optional(z.int().check(z.minimum(0), z.maximum(1000))),
  credits: z.optional(creditReadingSchema),
});

export const probeErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string(),
  at: instant,
  httpStatus: z.optional(z.int()),
  retryAfterSeconds: z.optional(finite),
});
