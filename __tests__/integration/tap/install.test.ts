/**
 * Install / uninstall round trips of the status-line tap on many shapes of settings.json, on real files in a
 * temporary Claude folder, and the minimal text edits an install makes.
 */
import fs from "node:fs";
import path from "node:path";
import { installTap } from "../../../src/tap/install";
import { tapPaths } from "../../../src/tap/paths";
import { tapStatus } from "../../../src/tap/status";
import { uninstallTap } from "../../../src/tap/uninstall";
import {
  backups,
  CLAUDE_STYLE,
  claudeDir,
  command,
  parsedSettings,
  previousValue,
  readSettings,
  root,
  settingsPath,
  TAP_SOURCE,
  useTempClaudeFolder,
  VALID_SHAPES,
  writeSettings,
} from "./settings-folder";

useTempClaudeFolder();

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function withoutStatusLine(object: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...object };
  delete copy.statusLine;
  return copy;
}

function expectedStatusLine(previous: unknown): Record<string, unknown> {
  const base = typeof previous === "object" && previous !== null ? previous : {};
  return { ...base, type: "command", command: command() };
}

describe.each(Object.entries(VALID_SHAPES))("settings.json shape %s", (_name, original) => {
  beforeEach(() => writeSettings(original));

  test("install points statusLine at the tap and keeps everything else", async () => {
    const previous = previousValue(original);
    const result = await installTap(claudeDir, TAP_SOURCE);
    expect(result).toEqual({
      ok: true,
      changed: true,
      ...(original === null ? {} : { backupPath: expect.any(String) }),
    });
    const after = parsedSettings();
    expect(after.statusLine).toEqual(expectedStatusLine(previous));
    const before = original === null || original.trim() === "" ? {} : JSON.parse(original.replace(/^\uFEFF/, ""));
    expect(withoutStatusLine(after)).toEqual(withoutStatusLine(before));
    expect(Object.keys(withoutStatusLine(after))).toEqual(Object.keys(withoutStatusLine(before)));
    expect(await tapStatus(claudeDir)).toEqual({ status: "installed" });
  });

  test("saves the previous value exactly, and the previous command when it is one", async () => {
    const previous = previousValue(original);
    await installTap(claudeDir, TAP_SOURCE);
    const paths = tapPaths(claudeDir);
    const state = JSON.parse(fs.readFileSync(paths.previousStatusLinePath, "utf8"));
    expect(state.hadStatusLine).toBe(previous !== undefined);
    expect(state.statusLine).toEqual(previous);
    const previousCommand = (previous as { type?: string; command?: string } | undefined)?.command;
    if (typeof previous === "object" && previousCommand) {
      expect(fs.readFileSync(paths.previousCommandPath, "utf8")).toBe(previousCommand);
      expect(mode(paths.previousCommandPath)).toBe(0o600);
    } else {
      expect(fs.existsSync(paths.previousCommandPath)).toBe(false);
    }
    expect(mode(paths.previousStatusLinePath)).toBe(0o600);
    expect(mode(paths.folder)).toBe(0o700);
    expect(fs.readFileSync(paths.tapPath).equals(fs.readFileSync(TAP_SOURCE))).toBe(true);
  });

  test("writes a 0600 backup of the original bytes first (when there was a file)", async () => {
    const result = await installTap(claudeDir, TAP_SOURCE);
    if (original === null) {
      expect(backups()).toEqual([]);
      return;
    }
    expect(backups()).toHaveLength(1);
    const backupPath = path.join(claudeDir, backups()[0]);
    expect(result.ok && result.backupPath).toBe(backupPath);
    expect(fs.readFileSync(backupPath, "utf8")).toBe(original);
    expect(mode(backupPath)).toBe(0o600);
  });

  test("installing twice is a no-op", async () => {
    await installTap(claudeDir, TAP_SOURCE);
    const once = readSettings();
    expect(await installTap(claudeDir, TAP_SOURCE)).toEqual({ ok: true, changed: false });
    expect(readSettings()).toBe(once);
    expect(backups()).toHaveLength(original === null ? 0 : 1);
  });

  test("install then uninstall gives back the original file byte for byte", async () => {
    await installTap(claudeDir, TAP_SOURCE);
    expect(await uninstallTap(claudeDir)).toEqual({ ok: true, changed: true });
    expect(readSettings()).toBe(original);
    const paths = tapPaths(claudeDir);
    expect(fs.existsSync(paths.previousStatusLinePath)).toBe(false);
    expect(fs.existsSync(paths.previousCommandPath)).toBe(false);
    expect(fs.existsSync(paths.tapPath)).toBe(false);
    expect(backups()).toHaveLength(original === null ? 0 : 1);
    expect(await tapStatus(claudeDir)).toEqual({ status: "not-installed" });
    expect(await uninstallTap(claudeDir)).toEqual({ ok: true, changed: false });
  });
});

describe("minimal text edits", () => {
  test("a Claude-style file gets one member inserted after `{`, in its own style", async () => {
    writeSettings(CLAUDE_STYLE);
    await installTap(claudeDir, TAP_SOURCE);
    const inserted = `\n  "statusLine": {\n    "type": "command",\n    "command": ${JSON.stringify(command())}\n  },`;
    expect(readSettings()).toBe(`{${inserted}${CLAUDE_STYLE.slice(1)}`);
  });

  test.each([
    ["fourSpaces", '\n    "statusLine": {\n        "type": "command",\n        "command": '],
    ["tabs", '\n\t"statusLine": {\n\t\t"type": "command",\n\t\t"command": '],
    ["compactUnicode", '{"statusLine":{"type":"command","command":'],
    ["crlf", '\r\n  "statusLine": {\r\n    "type": "command",\r\n    "command": '],
    ["emptyObject", '{\n  "statusLine": {\n    "type": "command",\n    "command": '],
  ])("%s keeps its indentation and line ends", async (shape, expected) => {
    writeSettings(VALID_SHAPES[shape]);
    await installTap(claudeDir, TAP_SOURCE);
    expect(readSettings()).toContain(expected);
  });

  test("an existing statusLine object has only its value replaced, padding kept", async () => {
    const original = VALID_SHAPES.statusLineWithPadding as string;
    writeSettings(original);
    await installTap(claudeDir, TAP_SOURCE);
    const text = readSettings() as string;
    const value = `{\n    "type": "command",\n    "command": ${JSON.stringify(command())},\n    "padding": 0\n  }`;
    const start = original.indexOf('{\n    "type"');
    const end = original.indexOf("},\n") + 1;
    expect(text).toBe(original.slice(0, start) + value + original.slice(end));
  });

  test("a one-line statusLine stays on one line", async () => {
    writeSettings(VALID_SHAPES.statusLineOneLine);
    await installTap(claudeDir, TAP_SOURCE);
    expect(readSettings()).toBe(
      `{\n  "statusLine": {"type":"command","command":${JSON.stringify(command())}},\n  "model": "sonnet"\n}`,
    );
  });

  test("number and string spellings elsewhere survive (no re-serialization)", async () => {
    writeSettings(VALID_SHAPES.literalTexts);
    await installTap(claudeDir, TAP_SOURCE);
    expect(readSettings()).toContain('"n": 1.50,\n  "e": 1E+2,\n  "s": "caf\\u00e9 \\/ \\"q\\"",\n  "z": -0\n}\n');
  });

  test("keeps the file's permissions and a symlinked settings.json stays a link", async () => {
    const dotfiles = path.join(root, "dotfiles");
    fs.mkdirSync(dotfiles);
    const target = path.join(dotfiles, "settings.json");
    fs.writeFileSync(target, CLAUDE_STYLE, { mode: 0o644 });
    fs.chmodSync(target, 0o644);
    fs.symlinkSync(target, settingsPath());
    await installTap(claudeDir, TAP_SOURCE);
    expect(fs.lstatSync(settingsPath()).isSymbolicLink()).toBe(true);
    expect(mode(target)).toBe(0o644);
    expect(JSON.parse(fs.readFileSync(target, "utf8")).statusLine.command).toBe(command());
    expect(fs.readdirSync(dotfiles)).toEqual(["settings.json"]);
    await uninstallTap(claudeDir);
    expect(fs.readFileSync(target, "utf8")).toBe(CLAUDE_STYLE);
  });

  test("leaves no temp files behind", async () => {
    writeSettings(CLAUDE_STYLE);
    await installTap(claudeDir, TAP_SOURCE);
    await uninstallTap(claudeDir);
    expect(fs.readdirSync(claudeDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});
