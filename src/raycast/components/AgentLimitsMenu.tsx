import { memo } from "react";
import { Color, Icon, MenuBarExtra, type Image, type Keyboard } from "@raycast/api";
import { getProgressIcon } from "@raycast/utils";
import type { MenuIcon, MenuLine, MenuModel } from "../../view/menu-model";
import type { IconTone } from "../../view/pace";
import { runMenuAction } from "../actions";

const TONE_COLORS = { normal: Color.Green, warning: Color.Orange, critical: Color.Red } as const;

const SYMBOLS = {
  warning: Icon.Warning,
  credits: Icon.Coins,
  stale: Icon.Clock,
  clock: Icon.Clock,
  info: Icon.Info,
  source: Icon.Terminal,
} as const;

/** The menu bar icon: a clock over a stale balance, else a gauge; tinted when a limit is near or reached. */
function titleIcon(model: MenuModel): Image.ImageLike {
  const source = model.titleIsStale ? Icon.Clock : Icon.Gauge;
  const tints: Record<IconTone, Color | undefined> = { normal: undefined, warning: Color.Orange, critical: Color.Red };
  const tintColor = tints[model.tone];
  return tintColor ? { source, tintColor } : source;
}

function iconOf(icon: MenuIcon | undefined): Image.ImageLike | undefined {
  if (!icon) return undefined;
  if (icon.type === "progress") return getProgressIcon(icon.fraction, TONE_COLORS[icon.tone]);
  return icon.tone === "warning" ? { source: SYMBOLS[icon.name], tintColor: Color.Orange } : SYMBOLS[icon.name];
}

const SHORTCUTS: Record<string, Keyboard.Shortcut> = {
  refresh: { modifiers: ["cmd"], key: "r" },
  billing: { modifiers: ["cmd"], key: "b" },
  preferences: { modifiers: ["cmd"], key: "," },
};

function MenuLineItem({ line }: { line: MenuLine }) {
  const action = line.action;
  return (
    <MenuBarExtra.Item
      title={line.title}
      subtitle={line.subtitle}
      tooltip={line.tooltip}
      icon={iconOf(line.icon)}
      shortcut={SHORTCUTS[line.key]}
      onAction={action ? () => runMenuAction(action) : undefined}
    />
  );
}

export const AgentLimitsMenu = memo(function AgentLimitsMenu({
  model,
  isLoading,
}: {
  model: MenuModel;
  isLoading: boolean;
}) {
  return (
    <MenuBarExtra icon={titleIcon(model)} title={model.title} tooltip={model.tooltip} isLoading={isLoading}>
      {model.sections.map((section) => (
        <MenuBarExtra.Section key={section.key} title={section.title}>
          {section.lines.map((line) => (
            <MenuLineItem key={line.key} line={line} />
          ))}
        </MenuBarExtra.Section>
      ))}
    </MenuBarExtra>
  );
});
