import { updateCommandMetadata } from "@raycast/api";
import { BillingList } from "./components/BillingList";
import { useActivity } from "./hooks/useActivity";
import { useSourceStates } from "./hooks/useSourceStates";
import { billingSubtitle } from "./lib/metadata";
import type { SourceId } from "./lib/model";
import { confirmAndRefreshBilling } from "./lib/raycast/refresh-billing";
import { getSettings } from "./lib/raycast/settings";

export default function BillingCommand() {
  const settings = getSettings();
  const now = Date.now();
  const { states, isLoading, revalidate } = useSourceStates(settings, (loaded) =>
    updateCommandMetadata({ subtitle: billingSubtitle(loaded, settings, Date.now()) }),
  );
  const { activity, isLoading: activityLoading, revalidate: revalidateActivity } = useActivity();

  const refresh = async (sources?: SourceId[]) => {
    if (await confirmAndRefreshBilling(sources, "Billing Details")) {
      revalidate();
      revalidateActivity();
    }
  };
  return (
    <BillingList
      states={states}
      activity={activity}
      settings={settings}
      isLoading={isLoading || activityLoading}
      now={now}
      onRefresh={refresh}
    />
  );
}
