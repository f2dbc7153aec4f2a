import { Action, ActionPanel, Color, Icon, Keyboard, List, openExtensionPreferences } from "@raycast/api";
import type { ActivityEntry } from "../../billing/activity";
import {
  activityLine,
  billingSummary,
  billingText,
  networkSummary,
  type BillingSummary,
} from "../../view/billing-model";
import type { BillingIntent, SourceId } from "../../model/types";
import { useChartMarkdowns } from "../hooks/useChartMarkdowns";
import { sourceDefinition, sourceName } from "../../sources/registry";
import type { Settings } from "../../model/settings";
import type { SourceState } from "../../sources/state";

const STATUS_ICONS: Record<BillingSummary["status"], { source: string; tintColor: string }> = {
  fresh: { source: Icon.CheckCircle, tintColor: Color.Green },
  stale: { source: Icon.Clock, tintColor: Color.Orange },
  error: { source: Icon.Warning, tintColor: Color.Red },
  none: { source: Icon.Circle, tintColor: Color.SecondaryText },
};

interface Props {
  states: SourceState[];
  activity: ActivityEntry[];
  settings: Settings;
  isLoading: boolean;
  now: number;
  onRefresh: (sources?: SourceId[]) => void;
  onChangeTap: (intent: BillingIntent, source: SourceId) => void;
}

function RefreshActions({ onRefresh, source }: { onRefresh: Props["onRefresh"]; source?: SourceId }) {
  return (
    <>
      <Action
        title="Refresh Billing"
        icon={Icon.ArrowClockwise}
        shortcut={Keyboard.Shortcut.Common.Refresh}
        onAction={() => onRefresh()}
      />
      {source && (
        <Action
          title={`Refresh ${sourceName(source)} Only`}
          icon={Icon.ArrowClockwise}
          shortcut={{ modifiers: ["cmd", "shift"], key: "r" }}
          onAction={() => onRefresh([source])}
        />
      )}
    </>
  );
}

function PreferencesAction() {
  return <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />;
}

function TapAction({ state, onChangeTap }: { state: SourceState; onChangeTap: Props["onChangeTap"] }) {
  if (state.tapStatus === "installed") {
    return (
      <Action
        title="Uninstall Status-Line Tap…"
        icon={Icon.Trash}
        style={Action.Style.Destructive}
        onAction={() => onChangeTap("uninstallTap", state.source)}
      />
    );
  }
  if (state.tapStatus === "not-installed" || state.tapStatus === "modified") {
    return (
      <Action
        title="Install Status-Line Tap…"
        icon={Icon.Download}
        onAction={() => onChangeTap("installTap", state.source)}
      />
    );
  }
  return null;
}

function SourceItem({
  state,
  summary,
  markdown,
  onRefresh,
  onChangeTap,
}: Pick<Props, "onRefresh" | "onChangeTap"> & { state: SourceState; summary: BillingSummary; markdown: string }) {
  const dashboard = sourceDefinition(state.source).dashboard;
  return (
    <List.Item
      id={state.source}
      title={summary.title}
      subtitle={summary.subtitle}
      icon={STATUS_ICONS[summary.status]}
      detail={
        <List.Item.Detail
          markdown={markdown || undefined}
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
          <RefreshActions onRefresh={onRefresh} source={state.source} />
          <TapAction state={state} onChangeTap={onChangeTap} />
          <Action.CopyToClipboard title="Copy as Text" content={billingText(summary)} />
          <Action.OpenInBrowser title={dashboard.title} url={dashboard.url} />
          <PreferencesAction />
        </ActionPanel>
      }
    />
  );
}

function ActivitySection({ activity, now, onRefresh }: Pick<Props, "activity" | "now" | "onRefresh">) {
  return (
    <List.Section title="Billing Activity" subtitle={networkSummary(activity, now)}>
      {activity.map((entry, index) => {
        const line = activityLine(entry, now);
        return (
          <List.Item
            key={index}
            title={line.title}
            subtitle={line.subtitle}
            icon={entry.host ? Icon.Network : Icon.Minus}
            detail={<List.Item.Detail markdown={line.detail} />}
            actions={
              <ActionPanel>
                <RefreshActions onRefresh={onRefresh} />
              </ActionPanel>
            }
          />
        );
      })}
    </List.Section>
  );
}

export function BillingList({ states, activity, settings, isLoading, now, onRefresh, onChangeTap }: Props) {
  const summaries = states.map((state) => billingSummary(state, settings, now));
  const charts = useChartMarkdowns(summaries.map((summary) => summary.charts));
  return (
    <List
      isLoading={isLoading || charts.isLoading}
      isShowingDetail={states.length > 0}
      navigationTitle="Billing Details"
    >
      {settings.problems.length > 0 && (
        <List.Section title="Preferences">
          {settings.problems.map((problem) => (
            <List.Item
              key={problem}
              title={problem}
              icon={{ source: Icon.Warning, tintColor: Color.Orange }}
              actions={
                <ActionPanel>
                  <PreferencesAction />
                </ActionPanel>
              }
            />
          ))}
        </List.Section>
      )}
      <List.Section title="Sources">
        {states.map((state, index) => (
          <SourceItem
            key={state.source}
            state={state}
            summary={summaries[index]}
            markdown={charts.markdowns[index] ?? ""}
            onRefresh={onRefresh}
            onChangeTap={onChangeTap}
          />
        ))}
      </List.Section>
      <ActivitySection activity={activity} now={now} onRefresh={onRefresh} />
    </List>
  );
}
