/**
 * settings.json files the install refuses to rewrite (comments, duplicate keys, bad UTF-8, not an object).
 */
import fs from "node:fs";
import { installTap, planInstall } from "../../../src/tap/install";
import { tapPaths } from "../../../src/tap/paths";
import { tapStatus } from "../../../src/tap/status";
import { uninstallTap } from "../../../src/tap/uninstall";
import {
  backups,
  claudeDir,
  command,
  readSettings,
  settingsPath,
  TAP_SOURCE,
  useTempClaudeFolder,
  writeSettings,
} from "./settings-folder";

useTempClaudeFolder();

describe("settings.json that is not plain JSON", () => {
  test.each([
    ["comments", `{\n  // my settings\n  "model": "opus"\n}\n`, 2],
    ["a trailing comma", `{\n  "model": "opus",\n}\n`, 3],
    ["a cut-off file", `{\n  "model": "op`, 2],
  ])("with %s is left untouched, with a message naming the line", async (_label, text, line) => {
    writeSettings(text);
    const result = await installTap(claudeDir, TAP_SOURCE);
    expect(result.ok).toBe(false);
    const message = result.ok ? "" : result.message;
    expect(message).toContain(`settings.json is not plain JSON (line ${line}); edit statusLine by hand: `);
    expect(message).toContain(JSON.stringify(command()).slice(1, -1));
    expect(readSettings()).toBe(text);
    expect(backups()).toEqual([]);
    // The tap is in place, so the hand edit the message describes works.
    expect(fs.existsSync(tapPaths(claudeDir).tapPath)).toBe(true);
    expect(await tapStatus(claudeDir)).toEqual({ status: "not-installed" });
    expect((await planInstall(claudeDir, TAP_SOURCE)).ok).toBe(false);
    expect((await uninstallTap(claudeDir)).ok).toBe(false);
  });

  test.each([
    [
      "statusLine twice",
      `{\n  "statusLine": {"type": "command", "command": "old"},\n  "statusLine": {"type": "command", "command": "new"}\n}\n`,
      "statusLine",
    ],
    [
      "another key twice",
      `{\n  "model": "opus",\n  "statusLine": {"type": "command", "command": "x"},\n  "model": "sonnet"\n}\n`,
      "model",
    ],
  ])("with %s is left untouched: parsers disagree on which one counts", async (_label, text, key) => {
    writeSettings(text);
    const result = await installTap(claudeDir, TAP_SOURCE);
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining(
        `settings.json has the top-level key "${key}" more than once; edit statusLine by hand: `,
      ),
    });
    expect(readSettings()).toBe(text);
    expect(backups()).toEqual([]);
    expect(fs.existsSync(tapPaths(claudeDir).previousStatusLinePath)).toBe(false);
    expect((await planInstall(claudeDir, TAP_SOURCE)).ok).toBe(false);
  });

  test("a duplicate key deep inside another setting is not a top-level duplicate: install goes ahead", async () => {
    const text = `{\n  "env": {"A": "1", "A": "2"},\n  "model": "opus"\n}\n`;
    writeSettings(text);
    expect(await installTap(claudeDir, TAP_SOURCE)).toMatchObject({ ok: true, changed: true });
    expect(readSettings()).toContain(`"env": {"A": "1", "A": "2"},`);
    await uninstallTap(claudeDir);
    expect(readSettings()).toBe(text);
  });

  test("invalid UTF-8 is refused rather than rewritten", async () => {
    const bytes = Buffer.concat([Buffer.from('{"note": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    fs.writeFileSync(settingsPath(), bytes);
    const result = await installTap(claudeDir, TAP_SOURCE);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^settings\.json is not valid UTF-8; edit /) });
    expect(fs.readFileSync(settingsPath()).equals(bytes)).toBe(true);
  });

  test("a JSON array is refused", async () => {
    writeSettings("[]\n");
    const result = await installTap(claudeDir, TAP_SOURCE);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/does not hold a JSON object/) });
    expect(readSettings()).toBe("[]\n");
  });
});
