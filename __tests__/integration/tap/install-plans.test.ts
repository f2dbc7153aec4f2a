/**
 * What the install / uninstall plans say, the tap's status, and a missing Claude folder or tap script.
 */
import fs from "node:fs";
import path from "node:path";
import { installTap, planInstall } from "../../../src/tap/install";
import { tapPaths } from "../../../src/tap/paths";
import { tapStatus } from "../../../src/tap/status";
import { planUninstall, uninstallTap } from "../../../src/tap/uninstall";
import {
  backups,
  CLAUDE_STYLE,
  claudeDir,
  command,
  readSettings,
  root,
  settingsPath,
  TAP_SOURCE,
  useTempClaudeFolder,
  VALID_SHAPES,
  writeSettings,
} from "./settings-folder";

useTempClaudeFolder();

describe("plans and status", () => {
  test("planInstall describes the change and touches nothing", async () => {
    writeSettings(VALID_SHAPES.statusLineWithPadding);
    const listing = fs.readdirSync(claudeDir);
    const result = await planInstall(claudeDir, TAP_SOURCE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { plan } = result;
    expect(plan.settingsPath).toBe(settingsPath());
    expect(plan.tapPath).toBe(path.join(claudeDir, "agent-limits", "claude_statusline_tap.sh"));
    expect(plan.before).toEqual({ type: "command", command: "~/.claude/statusline.sh --color", padding: 0 });
    expect(plan.after).toEqual({ type: "command", command: command(), padding: 0 });
    expect(plan.alreadyInstalled).toBe(false);
    expect(plan.summary).toContain(plan.tapPath);
    expect(plan.summary).toContain("`~/.claude/statusline.sh --color` keeps running");
    expect(fs.readdirSync(claudeDir)).toEqual(listing);
    expect(readSettings()).toBe(VALID_SHAPES.statusLineWithPadding);
  });

  test("planInstall says when there is no status line, and when the tap is already there", async () => {
    const fresh = await planInstall(claudeDir, TAP_SOURCE);
    expect(fresh.ok && fresh.plan.summary).toMatch(/no status line now/);
    expect(fresh.ok && fresh.plan.before).toBeUndefined();
    await installTap(claudeDir, TAP_SOURCE);
    const again = await planInstall(claudeDir, TAP_SOURCE);
    expect(again.ok && again.plan.alreadyInstalled).toBe(true);
    expect(again.ok && again.plan.summary).toMatch(/already installed/);
  });

  test("planUninstall shows the value that comes back", async () => {
    writeSettings(VALID_SHAPES.statusLineString);
    expect(await planUninstall(claudeDir)).toEqual({
      ok: true,
      plan: expect.objectContaining({ alreadyInstalled: false, summary: "The status-line tap is not installed." }),
    });
    await installTap(claudeDir, TAP_SOURCE);
    const result = await planUninstall(claudeDir);
    expect(result.ok && result.plan.after).toBe("echo hi");
    expect(result.ok && result.plan.before).toEqual({ type: "command", command: command() });
  });

  test("a missing Claude folder or tap script gives a message, not a throw", async () => {
    const missing = path.join(root, "no-claude");
    expect(await tapStatus(missing)).toEqual({ status: "no-claude" });
    expect(await planInstall(missing, TAP_SOURCE)).toEqual({ ok: false, message: expect.stringMatching(/not found/) });
    expect(await installTap(missing, TAP_SOURCE)).toEqual({ ok: false, message: expect.stringMatching(/not found/) });
    expect(await uninstallTap(missing)).toEqual({ ok: false, message: expect.stringMatching(/not found/) });
    const noScript = path.join(root, "nope.sh");
    expect(await installTap(claudeDir, noScript)).toEqual({ ok: false, message: expect.stringMatching(/missing/) });
    expect(fs.readdirSync(claudeDir)).toEqual([]);
  });

  test("a file where the Claude folder should be is no-claude", async () => {
    const file = path.join(root, "file");
    fs.writeFileSync(file, "");
    expect(await tapStatus(file)).toEqual({ status: "no-claude" });
  });

  test("tapStatus: installed, then modified once the tap script is gone", async () => {
    expect(await tapStatus(claudeDir)).toEqual({ status: "not-installed" });
    await installTap(claudeDir, TAP_SOURCE);
    expect(await tapStatus(claudeDir)).toEqual({ status: "installed" });
    fs.rmSync(tapPaths(claudeDir).tapPath);
    expect(await tapStatus(claudeDir)).toEqual({ status: "modified" });
  });

  test("reinstalling refreshes an outdated tap script without touching settings.json", async () => {
    writeSettings(CLAUDE_STYLE);
    await installTap(claudeDir, TAP_SOURCE);
    const installed = readSettings();
    fs.writeFileSync(tapPaths(claudeDir).tapPath, "#!/bin/bash\n# an older tap\n");
    expect(await installTap(claudeDir, TAP_SOURCE)).toEqual({ ok: true, changed: true });
    expect(fs.readFileSync(tapPaths(claudeDir).tapPath).equals(fs.readFileSync(TAP_SOURCE))).toBe(true);
    expect(readSettings()).toBe(installed);
    expect(backups()).toHaveLength(1);
  });
});
