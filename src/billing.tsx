import { BillingList } from "./components/BillingList";
import { useSourceStates } from "./hooks/useSourceStates";
import type { SourceId } from "./lib/model";
import { confirmAndRefreshBilling } from "./lib/raycast/refresh-billing";
import { getSettings } from "./lib/raycast/settings";

export default function BillingCommand() {
  const settings = getSettings();
  const { states, isLoading, revalidate } = useSourceStates(settings);
  const refresh = async (sources?: SourceId[]) => {
    if (await confirmAndRefreshBilling(sources, "Billing Details")) revalidate();
  };
  return <BillingList states={states} settings={settings} isLoading={isLoading} now={Date.now()} onRefresh={refresh} />;
}
