import type { LaunchProps } from "@raycast/api";
import { SOURCES, type SourceId } from "./lib/model";
import { confirmAndRefreshBilling } from "./lib/raycast/refresh-billing";

type Props = LaunchProps<{ launchContext?: { sources?: SourceId[] } }>;

export default async function RefreshBillingCommand(props: Props) {
  const requested = props.launchContext?.sources?.filter((source) => SOURCES.includes(source));
  await confirmAndRefreshBilling(requested?.length ? requested : SOURCES);
}
