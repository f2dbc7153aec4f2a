/**
 * Install / uninstall round trips of the status-line tap on many shapes of settings.json, on real files in a
 * temporary Claude folder. The installed command is also run the way Claude Code runs it (`/bin/sh -c`).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readClaudeTap } from "../../../src/sources/claude/tap-file";
import { installTap, planInstall } from "../../../src/tap/install";
import { tapCommand, tapPaths } from "../../../src/tap/paths";
import { tapStatus } from "../../../src/tap/status";
import { planUninstall, uninstallTap } from "../../../src/tap/uninstall";
import { REPO_ROOT } from "../../support/paths";

const TAP_SOURCE = path.join(REPO_ROOT, "probes", "claude_statusline_tap.sh");

let root: string;
let claudeDir: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "agent-limits-install-")));
  claudeDir = path.join(root, "claude");
  fs.mkdirSync(claudeDir);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function settingsPath(): string {
  return path.join(claudeDir, "settings.json");
}

function writeSettings(text: string | null): void {
  if (text !== null) fs.writeFileSync(settingsPath(), text);
}

function readSettings(): string | null {
  return fs.existsSync(settingsPath()) ? fs.readFileSync(settingsPath(), "utf8") : null;
}

function parsedSettings(): Record<string, unknown> {
  return JSON.parse((readSettings() ?? "").replace(/^\uFEFF/, "")) as Record<string, unknown>;
}

function backups(): string[] {
  return fs.readdirSync(claudeDir).filter((name) => name.startsWith("settings.json.agent-limits-backup-"));
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function withoutStatusLine(object: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...object };
  delete copy.statusLine;
  return copy;
}

function command(): string {
  return tapCommand(tapPaths(claudeDir).tapPath);
}

const CLAUDE_STYLE = `${JSON.stringify(
  { model: "opus", permissions: { allow: ["Bash(npm test)"], deny: [] }, env: { FOO: "bar" } },
  null,
  2,
)}\n`;
const NESTED = {
  "": "empty key",
  'we"ird\\key': [1, { deep: { deeper: [null, true, false, "é\u2028"] } }],
  hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "echo 'hi' \"there\"" }] }] },
  numbers: [0, -0.5, 1e21, Number.MAX_SAFE_INTEGER],
  "Grüße 🚀": { 日本: "語" },
};

/** Valid settings.json texts (null: no file) and the statusLine each holds. */
const VALID_SHAPES: Record<string, string | null> = {
  none: null,
  blank: "",
  blankLines: "\n\n",
  emptyObject: "{}",
  emptyObjectNewline: "{}\n",
  emptyObjectSpaced: "{ \n }\n",
  claudeStyle: CLAUDE_STYLE,
  statusLineString: `{\n  "statusLine": "echo hi",\n  "model": "opus"\n}\n`,
  statusLineWithPadding: `{\n  "model": "opus",\n  "statusLine": {\n    "type": "command",\n    "command": "~/.claude/statusline.sh --color",\n    "padding": 0\n  },\n  "theme": "dark"\n}\n`,
  statusLineOneLine: `{\n  "statusLine": {"type": "command", "command": "bunx ccstatusline@latest"},\n  "model": "sonnet"\n}`,
  statusLineNull: `{"statusLine": null, "a": 1}`,
  statusLineLast: `{\n  "a": 1.50,\n  "statusLine": {\n    "type": "command",\n    "command": "x"\n  }\n}\n`,
  unknownNested: `${JSON.stringify(NESTED, null, 2)}\n`,
  literalTexts: `{\n  "n": 1.50,\n  "e": 1E+2,\n  "s": "caf\\u00e9 \\/ \\"q\\"",\n  "z": -0\n}\n`,
  protoKey: `{\n  "__proto__": {"polluted": true},\n  "constructor": 1\n}\n`,
  fourSpaces: `${JSON.stringify(NESTED, null, 4)}\n`,
  tabs: `${JSON.stringify(NESTED, null, "\t")}\n`,
  compactUnicode: `{"theme":"dark","note":"Grüße 🚀 \\u00e9","日本":"語"}`,
  crlf: CLAUDE_STYLE.replace(/\n/g, "\r\n"),
  bom: `\uFEFF${CLAUDE_STYLE}`,
};

function previousValue(text: string | null): unknown {
  if (text === null || text.trim() === "") return undefined;
  return (JSON.parse(text.replace(/^\uFEFF/, "")) as Record<string, unknown>).statusLine;
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

describe("the installed command, run the way Claude Code runs it", () => {
  const stdin = fs.readFileSync(path.join(REPO_ROOT, "fixtures", "statusline", "with-rate-limits.json"));

  function runStatusLine(env: NodeJS.ProcessEnv = {}) {
    const statusLine = parsedSettings().statusLine as { command: string };
    return spawnSync("/bin/sh", ["-c", statusLine.command], {
      input: stdin,
      env: { PATH: "/usr/bin:/bin", HOME: root, ...env },
      cwd: root,
    });
  }

  test.each([
    ["a plain folder", "claude"],
    ["spaces, a quote and unicode", 'it\'s my "Claude" $HOME Grüße'],
  ])("in %s: runs the previous command and feeds readClaudeTap", async (_label, folder) => {
    claudeDir = path.join(root, folder);
    fs.mkdirSync(claudeDir, { recursive: true });
    writeSettings(
      `{\n  "statusLine": {"type": "command", "command": "printf 'PREV:%s' \\"$(wc -c | tr -d ' ')\\""}\n}\n`,
    );
    expect(await installTap(claudeDir, TAP_SOURCE)).toMatchObject({ ok: true, changed: true });
    const result = runStatusLine({ CLAUDE_CONFIG_DIR: path.join(root, "somewhere-else") });
    expect(result.stderr.toString()).toBe("");
    expect(result.stdout.toString()).toBe(`PREV:${stdin.length}`);
    expect(result.status).toBe(0);
    const reading = await readClaudeTap(claudeDir);
    expect(reading.problem).toBeUndefined();
    expect(reading.caps?.windows.map((window) => [window.id, window.usedPercent])).toEqual([
      ["5h", 37],
      ["weekly", 61],
    ]);
    await uninstallTap(claudeDir);
    expect(fs.existsSync(tapPaths(claudeDir).rateLimitsPath)).toBe(false);
  });
});
