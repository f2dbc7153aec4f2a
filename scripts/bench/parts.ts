/**
 * The benchmark's parts other than the cold launch, each written as its own module and runnable on its own:
 * the status-line tap (`scripts/bench-tap.ts`) and the billing refresh (`scripts/bench-refresh.ts`). Each
 * prints its table here and gives its targets to the summary.
 */
import { benchRefresh, formatRefreshBench, refreshBenchChecks } from "../bench-refresh";
import { benchTap, formatBenchTap, TAP_BUDGET_MS } from "../bench-tap";
import type { TargetCheck } from "./summary";

export async function tapPart(): Promise<TargetCheck[]> {
  const { rows, runs } = await benchTap();
  console.log(formatBenchTap(rows, runs));
  const tap = rows.find((row) => row.name === "tap")!;
  const bare = rows.find((row) => row.name === "bare bash")!;
  return [
    {
      part: "tap",
      what: "status-line tap − bare bash, per response",
      detail: `${tap.medianMs.toFixed(2)} vs ${bare.medianMs.toFixed(2)} ms`,
      measured: tap.overheadMs!,
      limit: TAP_BUDGET_MS,
      unit: " ms",
    },
  ];
}

export async function refreshPart(): Promise<TargetCheck[]> {
  const results = await benchRefresh();
  console.log(formatRefreshBench(results));
  return results.flatMap(refreshBenchChecks);
}
