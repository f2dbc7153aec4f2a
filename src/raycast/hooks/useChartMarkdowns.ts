import { usePromise } from "@raycast/utils";
import { lookBackMarkdown, type LookBackChart } from "../../view/look-back";
import { chartMarkdown } from "../chart-files";

/**
 * The look back's Markdown of each source. Writing the chart files is I/O, so it runs outside render,
 * once per set of charts (usePromise compares them deeply), and the view shows it is loading meanwhile;
 * until then the charts show as block characters.
 */
export function useChartMarkdowns(chartSets: LookBackChart[][]): { markdowns: string[]; isLoading: boolean } {
  const { data, isLoading } = usePromise(
    (sets: LookBackChart[][]) => Promise.all(sets.map(chartMarkdown)),
    [chartSets],
  );
  return { markdowns: data ?? chartSets.map((charts) => lookBackMarkdown(charts, () => null)), isLoading };
}
