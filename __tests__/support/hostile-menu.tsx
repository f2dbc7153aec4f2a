/**
 * Helpers for the robustness suites: render the real menu-bar command and read it as the user
 * would, and build Codex homes whose newest session log gives known caps.
 */
import MenuBarCommand from "../../src/menu-bar";
import { HOUR, MINUTE, NOW } from "./builders";
import { makeCodexHome, tokenCountLine } from "./codex-home";
import { mockControl } from "./raycast-api";
import { render, type HostNode, type Rendered } from "./render";

const seconds = (ms: number) => Math.round(ms / 1000);

/** A Codex home whose session log says 5h 37 %, weekly 61 % (so the menu title is `61%`). */
export function codexHomeWithCaps(): string {
  return makeCodexHome(
    [
      tokenCountLine({
        timestamp: NOW - 12 * MINUTE,
        primary: { used_percent: 37, window_minutes: 300, resets_at: seconds(NOW + 2 * HOUR + 41 * MINUTE) },
        secondary: { used_percent: 61, window_minutes: 10080, resets_at: seconds(NOW + 76 * HOUR) },
        planType: "plus",
      }),
    ],
    new Date(NOW),
  );
}

export interface Menu {
  view: Rendered;
  root: HostNode;
  items: HostNode[];
  titles: string[];
  /** The menu bar title. */
  title: string;
  item(title: string | RegExp): HostNode;
  /** Every title, subtitle and tooltip, one string per item, for "does the menu say X" checks. */
  text(): string[];
  /** The items of one source's section (`codex` or `claude`). */
  section(source: string): HostNode[];
}

/** Renders `<MenuBarCommand />` with these preferences; fails if rendering throws. */
export async function renderMenu(preferences: Record<string, unknown>): Promise<Menu> {
  mockControl.setPreferences({ claudeConfigDir: "/nonexistent/claude", ...preferences });
  const view = await render(<MenuBarCommand />);
  const root = view.root();
  const items = view.findAll("menubar-item");
  const titles = items.map((item) => String(item.props.title));
  return {
    view,
    root,
    items,
    titles,
    title: String(root.props.title),
    item: (title) => {
      const found = items.find((item) =>
        typeof title === "string" ? item.props.title === title : title.test(String(item.props.title)),
      );
      if (!found) throw new Error(`no item ${String(title)} in ${titles.join(" | ")}`);
      return found;
    },
    text: () =>
      items.map((item) =>
        [item.props.title, item.props.subtitle, item.props.tooltip].filter((part) => part !== undefined).join(" | "),
      ),
    section: (source) => items.filter((item) => sourceOf(view, item) === source),
  };
}

/** The source of an item: the name in its section's header line (`Codex …` / `Claude …`). */
function sourceOf(view: Rendered, item: HostNode): string | null {
  for (const section of view.findAll("menubar-section")) {
    if (!section.children.includes(item)) continue;
    const header = String(section.children[0]?.props.title ?? "");
    if (header.startsWith("Codex")) return "codex";
    if (header.startsWith("Claude")) return "claude";
    return null;
  }
  return null;
}
