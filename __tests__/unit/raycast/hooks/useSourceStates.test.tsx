import { rmSync } from "node:fs";
import { act } from "react";
import { mockControl } from "../../../support/raycast-api";
import MenuBarCommand from "../../../../src/menu-bar";
import { HOUR, MINUTE, NOW } from "../../../support/builders";
import { makeCodexHome, tokenCountLine } from "../../../support/codex-home";
import { findAll, render, renderOnce, waitFor, type HostNode } from "../../../support/render";

const titles = (nodes: HostNode[]) => findAll(nodes, "menubar-item").map((item) => String(item.props.title));

/** The menu's first commit, before any file is read; the launch then settles. */
async function firstPaint() {
  let painted = { isLoading: false, titles: [] as string[] };
  let roots: HostNode[] = [];
  await act(async () => {
    roots = renderOnce(<MenuBarCommand />);
    painted = { isLoading: roots[0].props.isLoading === true, titles: titles(roots) };
  });
  await waitFor(() => roots[0].props.isLoading === false);
  return painted;
}

function codexHome(fiveHour: number) {
  return makeCodexHome(
    [
      tokenCountLine({
        timestamp: NOW - 12 * MINUTE,
        primary: { used_percent: fiveHour, window_minutes: 300, resets_at: Math.round((NOW + 2 * HOUR) / 1000) },
        planType: "plus",
      }),
    ],
    new Date(NOW),
  );
}

beforeEach(() => {
  jest.spyOn(Date, "now").mockReturnValue(NOW);
});

afterEach(() => jest.restoreAllMocks());

describe("the menu's cached states", () => {
  test("a launch paints the last states at once, while the files are read again", async () => {
    const home = codexHome(37);
    mockControl.setPreferences({ codexHome: home, claudeConfigDir: "/nonexistent/claude" });
    const first = await render(<MenuBarCommand />);
    expect(titles(first.roots())).toContain("5h 37% · resets in 2h");
    await first.unmount();

    rmSync(home, { recursive: true, force: true });
    const painted = await firstPaint();
    expect(painted.isLoading).toBe(true);
    expect(painted.titles).toContain("5h 37% · resets in 2h");

    // The folder is gone: the last good caps stay, with their age and why no new ones came.
    const settled = await render(<MenuBarCommand />);
    expect(titles(settled.roots())).toEqual(
      expect.arrayContaining(["5h 37% · resets in 2h", "Caps as of 12m ago", "Codex folder not found"]),
    );
    await settled.unmount();
  });

  test("states cached for other settings are not shown", async () => {
    mockControl.setPreferences({ codexHome: codexHome(37), claudeConfigDir: "/nonexistent/claude" });
    await (await render(<MenuBarCommand />)).unmount();

    mockControl.setPreferences({ codexHome: codexHome(52), claudeConfigDir: "/nonexistent/claude" });
    const painted = await firstPaint();
    expect(painted.isLoading).toBe(true);
    expect(painted.titles).not.toContain("5h 37% · resets in 2h");
  });
});
