import { updateCommandMetadata, type LaunchProps } from "@raycast/api";
import { useEffect } from "react";
import { BillingList } from "./raycast/components/BillingList";
import { useActivity } from "./raycast/hooks/useActivity";
import { useSourceStates } from "./raycast/hooks/useSourceStates";
import { billingSubtitle } from "./view/subtitle";
import { settingsOf } from "./model/settings";
import type { BillingIntent, SourceId } from "./model/types";
import { confirmAndRefreshBilling } from "./raycast/refresh-billing";
import { getSettings } from "./raycast/settings";
import { confirmAndInstallTap, confirmAndUninstallTap, updateInstalledTaps } from "./raycast/statusline";
import { isSourceId, SOURCES } from "./sources/registry";

type Props = LaunchProps<{ launchContext?: { intent?: BillingIntent; source?: SourceId } }>;

export default function BillingCommand(props: Props) {
  const settings = getSettings();
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
  const changeTap = async (intent: BillingIntent, source: SourceId) => {
    const folder = settingsOf(settings, source).folder;
    const changed =
      intent === "installTap" ? await confirmAndInstallTap(folder) : await confirmAndUninstallTap(folder, source);
    if (changed) revalidate();
  };

  useEffect(() => void updateInstalledTaps(settings), []);

  // The menu bar cannot show alerts, so it opens this view with what the user asked for.
  const intent = props.launchContext?.intent;
  const intentSource = props.launchContext?.source;
  useEffect(() => {
    const tapSource = isSourceId(intentSource) ? intentSource : SOURCES.find((source) => source.statusLineTap)?.id;
    if ((intent === "installTap" || intent === "uninstallTap") && tapSource) changeTap(intent, tapSource);
  }, [intent, intentSource]);

  return (
    <BillingList
      states={states}
      activity={activity}
      settings={settings}
      isLoading={isLoading || activityLoading}
      now={Date.now()}
      onRefresh={refresh}
      onChangeTap={changeTap}
    />
  );
}
