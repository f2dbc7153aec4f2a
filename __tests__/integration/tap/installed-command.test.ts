/**
 * The installed command, run the way Claude Code runs it (`/bin/sh -c`), from folders with awkward names.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { readClaudeTap } from "../../../src/sources/claude/tap-file";
import { installTap } from "../../../src/tap/install";
import { tapPaths } from "../../../src/tap/paths";
import { uninstallTap } from "../../../src/tap/uninstall";
import { REPO_ROOT } from "../../support/paths";
import {
  claudeDir,
  parsedSettings,
  root,
  TAP_SOURCE,
  useClaudeDir,
  useTempClaudeFolder,
  writeSettings,
} from "./settings-folder";

useTempClaudeFolder();

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
    useClaudeDir(folder);
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
