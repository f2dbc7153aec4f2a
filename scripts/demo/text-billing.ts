import type { ReactElement } from "react";
import { render, type HostNode } from "../../__tests__/support/render";
import { wrap } from "./report";

type Props = Record<string, unknown>;

const GLYPHS: Record<string, string> = {
  CheckCircle: "✓ ",
  Clock: "◷ ",
  Warning: "⚠ ",
  Circle: "○ ",
  Network: "⇄ ",
  Minus: "– ",
};

function glyph(icon: unknown): string {
  const name = typeof icon === "object" && icon !== null && "source" in icon ? (icon as Props).source : icon;
  return GLYPHS[String(name)] ?? "  ";
}

/** The host nodes of an element held in a prop (`detail`, `metadata`), which the list does not render itself. */
async function renderProp(props: Props, name: string): Promise<HostNode[]> {
  const element = props[name] as ReactElement | undefined;
  if (!element) return [];
  const view = await render(element);
  // Unmounting empties the list the view returned; the nodes themselves stay as they were.
  const roots = [...view.roots()];
  await view.unmount();
  return roots;
}

function rightAligned(left: string, right: string, width: number): string {
  return right ? `${left}${" ".repeat(Math.max(2, width - left.length - right.length))}${right}` : left;
}

/** A source's detail pane: its metadata labels, aligned. */
async function detailRows(item: HostNode): Promise<string[]> {
  const [detail] = await renderProp(item.props, "detail");
  if (!detail) return [];
  const metadata = await renderProp(detail.props, "metadata");
  const labels = metadata.flatMap((node) => node.children).filter((node) => node.type === "detail-metadata-label");
  const widest = Math.max(0, ...labels.map((label) => String(label.props.title).length));
  const rows = labels.map((label) => `│     ${String(label.props.title).padEnd(widest)}  ${String(label.props.text)}`);
  if (typeof detail.props.markdown === "string") rows.push(`│      ↳ ${detail.props.markdown}`);
  return rows;
}

async function sectionLines(section: HostNode, width: number): Promise<string[]> {
  const lines = [`│ ${String(section.props.title ?? "").toUpperCase()}`];
  if (section.props.subtitle) lines.push(...wrap(String(section.props.subtitle), "│   ", width + 2));
  for (const item of section.children) {
    const left = `${glyph(item.props.icon)}${String(item.props.title)}`;
    lines.push(`│ ${rightAligned(left, String(item.props.subtitle ?? ""), width)}`);
    lines.push(...(await detailRows(item)));
  }
  return lines;
}

/** Draws the rendered Billing Details list: each source with its detail rows, then the activity log. */
export async function billingToText(root: HostNode, { width = 72 } = {}): Promise<string> {
  const lines = [String(root.props.navigationTitle ?? "Billing Details"), `┌${"─".repeat(width + 2)}`];
  for (const [index, section] of root.children.entries()) {
    if (index > 0) lines.push(`├${"─".repeat(width + 2)}`);
    lines.push(...(await sectionLines(section, width)));
  }
  lines.push(`└${"─".repeat(width + 2)}`);
  return lines.join("\n");
}
