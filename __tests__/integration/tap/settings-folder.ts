/**
 * A temporary Claude folder per test for the install / uninstall tests, and the settings.json texts they
 * run on. `root` and `claudeDir` are fresh for every test of a file that calls `useTempClaudeFolder()`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tapCommand, tapPaths } from "../../../src/tap/paths";
import { REPO_ROOT } from "../../support/paths";

export const TAP_SOURCE = path.join(REPO_ROOT, "probes", "claude_statusline_tap.sh");

export let root: string;
export let claudeDir: string;

export function useTempClaudeFolder(): void {
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "agent-limits-install-")));
    claudeDir = path.join(root, "claude");
    fs.mkdirSync(claudeDir);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
}

/** Makes `folder` (under root) the Claude folder for the rest of the test. */
export function useClaudeDir(folder: string): void {
  claudeDir = path.join(root, folder);
}

export function settingsPath(): string {
  return path.join(claudeDir, "settings.json");
}

export function writeSettings(text: string | null): void {
  if (text !== null) fs.writeFileSync(settingsPath(), text);
}

export function readSettings(): string | null {
  return fs.existsSync(settingsPath()) ? fs.readFileSync(settingsPath(), "utf8") : null;
}

export function parsedSettings(): Record<string, unknown> {
  return JSON.parse((readSettings() ?? "").replace(/^\uFEFF/, "")) as Record<string, unknown>;
}

export function backups(): string[] {
  return fs.readdirSync(claudeDir).filter((name) => name.startsWith("settings.json.agent-limits-backup-"));
}

export function command(): string {
  return tapCommand(tapPaths(claudeDir).tapPath);
}

export const CLAUDE_STYLE = `${JSON.stringify(
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
export const VALID_SHAPES: Record<string, string | null> = {
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

export function previousValue(text: string | null): unknown {
  if (text === null || text.trim() === "") return undefined;
  return (JSON.parse(text.replace(/^\uFEFF/, "")) as Record<string, unknown>).statusLine;
}
