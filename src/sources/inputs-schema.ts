/**
 * The schema of what the menu caches between launches: each source's inputs (local caps, stored
 * records, problems), from which every state is derived again with the current settings and time.
 */
import * as z from "zod/mini";
import { storedSourceSchema } from "../billing/storage";
import { capsSnapshotSchema } from "../model/schemas";
import { isSourceId } from "./registry";
import type { SourceInputs } from "./state";

const MAX_LINE_CHARS = 300;
const line = z.string().check(z.maxLength(MAX_LINE_CHARS));
const sourceIdSchema = z.string().check(z.refine(isSourceId));

/** The actions a local problem line can hold; a cached line can never open a URL. */
const problemActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("refreshBilling"), sources: z.optional(z.array(sourceIdSchema)) }),
  z.object({
    type: z.literal("openBilling"),
    intent: z.optional(z.enum(["installTap", "uninstallTap"])),
    source: z.optional(sourceIdSchema),
  }),
  z.object({ type: z.literal("openPreferences") }),
]);

const sourceInputsSchema = z.object({
  source: sourceIdSchema,
  folder: z.optional(z.string().check(z.maxLength(4096))),
  localCaps: z.nullable(capsSnapshotSchema),
  localProblem: z.optional(z.object({ message: line, hint: line, action: z.optional(problemActionSchema) })),
  localCapsKept: z.optional(z.boolean()),
  localReadFailed: z.optional(z.boolean()),
  tapStatus: z.optional(z.enum(["installed", "not-installed", "modified", "no-claude", "unknown"])),
  localPlanName: z.optional(line),
  localNotice: z.optional(line),
  stored: storedSourceSchema,
  storageProblem: z.optional(line),
});

export interface ParsedInputs {
  /** The sources that parsed, at most one per registry id, in the order given. */
  inputs: SourceInputs[];
  /** Something in the value was not one source's inputs and was dropped. */
  damaged: boolean;
}

/** Parses a list of source inputs; one bad entry costs only itself. */
export function parseSourceInputs(json: unknown): ParsedInputs {
  if (!Array.isArray(json)) return { inputs: [], damaged: true };
  const inputs: SourceInputs[] = [];
  let damaged = false;
  for (const entry of json) {
    const parsed = sourceInputsSchema.safeParse(entry);
    if (parsed.success && !inputs.some((kept) => kept.source === parsed.data.source)) inputs.push(parsed.data);
    else damaged = true;
  }
  return { inputs, damaged };
}
