import type { HostNode } from "../__tests__/support/render";

type Props = Record<string, unknown>;

function iconGlyph(icon: unknown): string {
  if (!icon) return "  ";
  if (typeof icon === "object" && icon !== null && "source" in icon) {
    const source = (icon as { source: unknown }).source;
    if (typeof source === "object" && source !== null) return "◔ "; // a progress icon
    return glyphFor(String(source));
  }
  return glyphFor(String(icon));
}

function glyphFor(name: string): string {
  if (name.startsWith("data:image/svg")) return "◔ "; // getProgressIcon
  const glyphs: Record<string, string> = {
    Warning: "⚠ ",
    Coins: "$ ",
    Clock: "◷ ",
    Info: "ℹ ",
    Terminal: "▸ ",
    Gauge: "◕ ",
  };
  return glyphs[name] ?? "• ";
}

function shortcutText(shortcut: unknown): string {
  if (!shortcut || typeof shortcut !== "object") return "";
  const { modifiers = [], key } = shortcut as { modifiers?: string[]; key?: string };
  const symbols: Record<string, string> = { cmd: "⌘", shift: "⇧", opt: "⌥", ctrl: "⌃" };
  return `${modifiers.map((modifier) => symbols[modifier] ?? modifier).join("")}${String(key).toUpperCase()}`;
}

function itemLine(props: Props, width: number): string {
  const left = `${iconGlyph(props.icon)}${String(props.title)}`;
  const right = [props.subtitle, shortcutText(props.shortcut)].filter(Boolean).join("   ");
  const padding = Math.max(2, width - left.length - right.length);
  return `│ ${left}${right ? " ".repeat(padding) + right : ""}`;
}

/** Draws a rendered `MenuBarExtra` tree the way the macOS menu shows it, with tooltips below items. */
export function menuToText(root: HostNode, { tooltips = true, width = 72 } = {}): string {
  const tint = (root.props.icon as { tintColor?: unknown } | undefined)?.tintColor;
  const lines = [
    `Menu bar: ${iconGlyph(root.props.icon)}${String(root.props.title ?? "")}${tint ? `   (icon tinted ${String(tint)})` : ""}`,
  ];
  if (root.props.tooltip) lines.push(`Tooltip:  ${String(root.props.tooltip).replace(/\n/g, "\n          ")}`);
  lines.push(`┌${"─".repeat(width + 2)}`);
  root.children.forEach((section, index) => {
    if (index > 0) lines.push(`├${"─".repeat(width + 2)}`);
    if (section.props.title) lines.push(`│ ${String(section.props.title).toUpperCase()}`);
    for (const item of section.children) {
      lines.push(itemLine(item.props, width));
      if (tooltips && item.props.tooltip) lines.push(`│      ↳ ${String(item.props.tooltip)}`);
    }
  });
  lines.push(`└${"─".repeat(width + 2)}`);
  return lines.join("\n");
}
