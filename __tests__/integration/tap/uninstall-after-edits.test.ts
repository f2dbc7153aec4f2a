/**
 * Uninstalling the status-line tap after Claude Code or the user changed settings.json since the install.
 */
import fs from "node:fs";
import { installTap } from "../../../src/tap/install";
import { tapPaths } from "../../../src/tap/paths";
import { tapStatus } from "../../../src/tap/status";
import { planUninstall, uninstallTap } from "../../../src/tap/uninstall";
import {
  CLAUDE_STYLE,
  claudeDir,
  parsedSettings,
  previousValue,
  readSettings,
  TAP_SOURCE,
  useTempClaudeFolder,
  VALID_SHAPES,
  writeSettings,
} from "./settings-folder";

useTempClaudeFolder();

describe("uninstall after Claude Code or the user touched settings.json", () => {
  test("after Claude Code re-serialized the file with a new permission, only statusLine goes back", async () => {
    writeSettings(VALID_SHAPES.statusLineWithPadding);
    await installTap(claudeDir, TAP_SOURCE);
    const rewritten = parsedSettings();
    rewritten.permissions = { allow: ["Bash(ls)"] };
    writeSettings(`${JSON.stringify(rewritten, null, 2)}\n`);
    expect(await uninstallTap(claudeDir)).toEqual({ ok: true, changed: true });
    const previous = previousValue(VALID_SHAPES.statusLineWithPadding);
    expect(readSettings()).toBe(`${JSON.stringify({ ...rewritten, statusLine: previous }, null, 2)}\n`);
  });

  test("a tap moved to the end of a compact file is removed with its comma", async () => {
    writeSettings(null);
    await installTap(claudeDir, TAP_SOURCE);
    writeSettings(JSON.stringify({ a: 1, statusLine: parsedSettings().statusLine }));
    await uninstallTap(claudeDir);
    expect(readSettings()).toBe('{"a":1}');
  });

  test("a file the install created stays when Claude Code has added settings since", async () => {
    await installTap(claudeDir, TAP_SOURCE);
    writeSettings(`${JSON.stringify({ ...parsedSettings(), model: "opus" }, null, 2)}\n`);
    await uninstallTap(claudeDir);
    expect(readSettings()).toBe('{\n  "model": "opus"\n}\n');
  });

  test.each([
    ["changed", { type: "command", command: "my-new-status.sh" }, /now `my-new-status\.sh`/],
    ["removed", undefined, /removed/],
  ])("refuses when the user %s statusLine since, and says so", async (_label, statusLine, detail) => {
    writeSettings(CLAUDE_STYLE);
    await installTap(claudeDir, TAP_SOURCE);
    const edited = `${JSON.stringify({ ...JSON.parse(CLAUDE_STYLE), statusLine }, null, 2)}\n`;
    writeSettings(edited);
    const result = await uninstallTap(claudeDir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/changed since the tap was installed/);
    expect(!result.ok && result.message).toMatch(detail);
    expect(readSettings()).toBe(edited);
    expect(fs.existsSync(tapPaths(claudeDir).previousStatusLinePath)).toBe(true);
    expect(await tapStatus(claudeDir)).toEqual({ status: "modified" });
    expect((await planUninstall(claudeDir)).ok).toBe(false);
  });

  test.each([
    ["deleted", null],
    ["corrupt", '{"version": 1, "hadStatusLine": "yes"}'],
  ])("with the saved previous value %s, uninstall removes statusLine and says so", async (_label, state) => {
    writeSettings(VALID_SHAPES.statusLineWithPadding);
    await installTap(claudeDir, TAP_SOURCE);
    if (state === null) fs.rmSync(tapPaths(claudeDir).previousStatusLinePath);
    else fs.writeFileSync(tapPaths(claudeDir).previousStatusLinePath, state);
    const plan = await planUninstall(claudeDir);
    expect(plan.ok && plan.plan.summary).toMatch(/not recorded/);
    await uninstallTap(claudeDir);
    expect(parsedSettings()).toEqual({ model: "opus", theme: "dark" });
  });
});
