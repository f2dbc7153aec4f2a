import { Action, ActionPanel, Color, Icon, Keyboard, List, openExtensionPreferences } from "@raycast/api";
import { billingSummary, billingText, type BillingSummary } from "../lib/billing-model";
import { DASHBOARDS } from "../lib/menu-model";
import type { SourceId } from "../lib/model";
import type { Settings } from "../lib/settings";
import type { SourceState } from "../lib/sources";

const STATUS_ICONS: Record<BillingSummary["status"], { source: string; tintColor: string }> = {
  fresh: { source: Icon.CheckCircle, tintColor: Color.Green },
  stale: { source: Icon.Clock, tintColor: Color.Orange },
  error: { source: Icon.Warning, tintColor: Color.Red },
  none: { source: Icon.Circle, tintColor: Color.SecondaryText },
};

interface Props {
  states: SourceState[];
  settings: Settings;
  isLoading: boolean;
  now: number;
  onRefresh: (sources?: SourceId[]) => void;
}

function SourceItem({ state, settings, now, onRefresh }: Omit<Props, "states" | "isLoading"> & { state: SourceState }) {
  const summary = billingSummary(state, settings, now);
  const dashboard = DASHBOARDS[state.source];
  return (
    <List.Item
      id={state.source}
      title={summary.title}
      subtitle={summary.subtitle}
      icon={STATUS_ICONS[summary.status]}
      detail={
        <List.Item.Detail
          metadata={
            <List.Item.Detail.Metadata>
              {summary.rows.map((row) => (
                <List.Item.Detail.Metadata.Label key={row.label} title={row.label} text={row.value} />
              ))}
            </List.Item.Detail.Metadata>
          }
        />
      }
      actions={
        <ActionPanel>
          <Action
            title="Refresh Billing"
            icon={Icon.ArrowClockwise}
            shortcut={Keyboard.Shortcut.Common.Refresh}
            onAction={() => onRefresh()}
          />
          <Action
            title={`Refresh ${summary.title} Only`}
            icon={Icon.ArrowClockwise}
            shortcut={{ modifiers: ["cmd", "shift"], key: "r" }}
            onAction={() => onRefresh([state.source])}
          />
          <Action.CopyToClipboard title="Copy as Text" content={billingText(summary)} />
          <Action.OpenInBrowser title={dashboard.title} url={dashboard.url} />
          <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
        </ActionPanel>
      }
    />
  );
}

export function BillingList({ states, settings, isLoading, now, onRefresh }: Props) {
  return (
    <List isLoading={isLoading} isShowingDetail={states.length > 0} navigationTitle="Billing Details">
      {settings.problems.length > 0 && (
        <List.Section title="Preferences">
          {settings.problems.map((problem) => (
            <List.Item
              key={problem}
              title={problem}
              icon={{ source: Icon.Warning, tintColor: Color.Orange }}
              actions={
                <ActionPanel>
                  <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
                </ActionPanel>
              }
            />
          ))}
        </List.Section>
      )}
      <List.Section title="Sources">
        {states.map((state) => (
          <SourceItem key={state.source} state={state} settings={settings} now={now} onRefresh={onRefresh} />
        ))}
      </List.Section>
    </List>
  );
}
