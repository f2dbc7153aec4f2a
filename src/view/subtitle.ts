import { formatBalance, formatClock } from "./format";
import { isCreditFresh } from "../model/freshness";
import type { Settings } from "../model/settings";
import { sourceName } from "../sources/registry";
import { showsCredits, type SourceState } from "../sources/state";

/**
 * The root-search subtitle: each balance with its age, e.g. `Codex $16.50 · Claude €37.15 ·
 * updated 14:03`. It is written when a command runs and read later, so it names a clock time
 * rather than "2h ago", and says "stale" once a balance is past its freshness time.
 */
export function billingSubtitle(states: SourceState[], settings: Settings, now: number): string {
  const withCredits = states.filter((state) => state.snapshot.credits && showsCredits(state, settings));
  if (withCredits.length === 0) return "No balance fetched yet";
  const parts = withCredits.map((state) => {
    const credits = state.snapshot.credits!;
    const stale = isCreditFresh(credits, now) ? "" : " (stale)";
    const balance = credits.usable ? formatBalance(credits) : "credits not usable";
    return `${sourceName(state.source)} ${balance}${stale}`;
  });
  const newest = Math.max(...withCredits.map((state) => state.snapshot.credits!.creditUpdatedAt));
  return `${parts.join(" · ")} · updated ${formatClock(newest)}`;
}
