import type { LaunchProps } from "@raycast/api";
import type { SourceId } from "./model/types";
import { confirmAndRefreshBilling } from "./raycast/refresh-billing";
import { isSourceId, SOURCE_IDS } from "./sources/registry";

/** Launched from search, or by the menu bar and the billing view with the sources and who asked. */
type Props = LaunchProps<{ launchContext?: { sources?: SourceId[]; trigger?: string } }>;

export default async function RefreshBillingCommand(props: Props) {
  const context = props.launchContext;
  const requested = Array.isArray(context?.sources) ? context.sources.filter(isSourceId) : undefined;
  const trigger = typeof context?.trigger === "string" ? context.trigger.slice(0, 60) : "Refresh Billing command";
  await confirmAndRefreshBilling(requested?.length ? requested : SOURCE_IDS, trigger);
}
