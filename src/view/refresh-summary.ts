import type { RefreshOutcome } from "../billing/outcome";
import { sourceName } from "../sources/registry";
import { formatClock } from "./format";

function describeOutcome(outcome: RefreshOutcome): string {
  const name = sourceName(outcome.source);
  switch (outcome.status) {
    case "updated":
      return [`${name} updated`, ...outcome.warnings].join(". ");
    case "failed":
      return `${name} failed: ${outcome.error.message}. ${outcome.error.hint}`;
    case "notSetUp":
      return `${name} skipped: ${outcome.hint}`;
    case "coolingDown":
      return `${name} rate limited, try again after ${formatClock(outcome.until)}`;
  }
}

/** One toast for the whole refresh: which sources updated, which failed and why. */
export function summarizeOutcomes(outcomes: RefreshOutcome[]): { success: boolean; title: string; message: string } {
  const updated = outcomes.filter((outcome) => outcome.status === "updated");
  const failed = outcomes.filter((outcome) => outcome.status === "failed" || outcome.status === "coolingDown");
  const title =
    failed.length === 0
      ? updated.length > 0
        ? `Billing refreshed: ${updated.map((outcome) => sourceName(outcome.source)).join(" and ")}`
        : "Nothing refreshed"
      : updated.length > 0
        ? "Billing partly refreshed"
        : "Billing refresh failed";
  return {
    success: failed.length === 0 && updated.length > 0,
    title,
    message: outcomes.map(describeOutcome).join("\n"),
  };
}
