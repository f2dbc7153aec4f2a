/**
 * Claude OAuth `usage` answer → caps and credits. Every part (each window, each bucket, each
 * `limits[]` entry, the extra usage) is read on its own: a part that does not parse costs only itself.
 */
import type { CapsSnapshot } from "../../model/types";
import { adaptJsonObject, type AdapterOutcome, type AdapterResult, noUsage } from "../parse";
import { readClaudeCredits } from "./extra-usage";
import { collectClaudeWindows } from "./usage-windows";

export { HUNDREDFOLD_WARNING, NO_MONTHLY_LIMIT } from "./extra-usage";

const PROVIDER_LABEL = "Claude usage";

/** `{}` is what a login without the `user:profile` scope gets: it can run Claude, not read its usage. */
const EMPTY_ANSWER_HINT =
  "This login cannot read usage (it lacks the profile scope; tokens from `claude setup-token` are like that). Log in with `claude`, then Refresh Billing again.";
const NO_LIMITS_HINT =
  "Claude sent no limits and no extra usage for this login. Check claude.ai/settings/usage; if limits show there, log in again with `claude`.";

export function adaptClaudeUsage(stdout: string, fetchedAt: number): AdapterOutcome {
  return adaptJsonObject(stdout, PROVIDER_LABEL, (reader, body) => {
    const windows = collectClaudeWindows(reader, body);
    const credits = readClaudeCredits(reader, body, fetchedAt);
    if (windows.length === 0 && !credits.reading) {
      const shapeError = reader.shapeError(PROVIDER_LABEL);
      if (shapeError) return shapeError;
      if (!credits.dropped) {
        const empty = Object.keys(body).length === 0;
        return empty
          ? noUsage("Claude answered without usage data", EMPTY_ANSWER_HINT)
          : noUsage("Claude reported no limits", NO_LIMITS_HINT);
      }
    }
    const caps: CapsSnapshot | null =
      windows.length > 0 ? { windows, capturedAt: fetchedAt, origin: "claude-usage-api" } : null;
    const skipped = reader.warning(PROVIDER_LABEL);
    const result: AdapterResult = {
      caps,
      credits: credits.reading,
      warnings: [...credits.warnings, ...(skipped ? [skipped] : [])],
    };
    if (credits.dropped) result.creditsDropped = true;
    return { ok: true, result };
  });
}
