/**
 * An installed tap is kept at the shipped version (an extension update does not touch the copy Claude
 * Code runs): replaced when it differs, and only when settings.json still runs it and it is our plain
 * file. settings.json and the saved previous status line never change.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { installTap } from "../../../src/tap/install";
import { tapPaths } from "../../../src/tap/paths";
import { updateInstalledTap } from "../../../src/tap/update";
import {
  claudeDir,
  readSettings,
  root,
  TAP_SOURCE,
  useTempClaudeFolder,
  VALID_SHAPES,
  writeSettings,
} from "./settings-folder";

useTempClaudeFolder();

const OLD_TAP = "#!/bin/bash\n# an older tap\ncat >/dev/null\n";

/** Installs the tap in front of a previous status line, then puts an older copy in its place. */
async function installOlderTap(): Promise<string> {
  writeSettings(VALID_SHAPES.statusLineWithPadding);
  expect((await installTap(claudeDir, TAP_SOURCE)).ok).toBe(true);
  const { tapPath } = tapPaths(claudeDir);
  fs.writeFileSync(tapPath, OLD_TAP);
  return tapPath;
}

/** Every file of the Claude folder but the tap, byte for byte. */
function otherFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(claudeDir, { recursive: true }) as string[]) {
    const file = path.join(claudeDir, name);
    if (fs.lstatSync(file).isFile() && file !== tapPaths(claudeDir).tapPath)
      files[name] = fs.readFileSync(file, "utf8");
  }
  return files;
}

test("an older installed copy is replaced by the shipped tap; nothing else in the Claude folder changes", async () => {
  const tapPath = await installOlderTap();
  const before = otherFiles();
  expect(await updateInstalledTap(claudeDir, TAP_SOURCE)).toBe("updated");
  expect(fs.readFileSync(tapPath).equals(fs.readFileSync(TAP_SOURCE))).toBe(true);
  expect(fs.statSync(tapPath).mode & 0o777).toBe(0o700);
  expect(otherFiles()).toEqual(before);
  expect(fs.readdirSync(path.dirname(tapPath)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
});

test("the same copy is left as it is: not even rewritten", async () => {
  writeSettings(VALID_SHAPES.claudeStyle);
  await installTap(claudeDir, TAP_SOURCE);
  const { tapPath } = tapPaths(claudeDir);
  const inode = fs.statSync(tapPath).ino;
  expect(await updateInstalledTap(claudeDir, TAP_SOURCE)).toBe("current");
  expect(fs.statSync(tapPath).ino).toBe(inode);
});

test("a copy settings.json no longer runs (uninstalled, or statusLine changed by hand) is not touched", async () => {
  const tapPath = await installOlderTap();
  writeSettings(VALID_SHAPES.statusLineOneLine);
  expect(await updateInstalledTap(claudeDir, TAP_SOURCE)).toBe("not-installed");
  expect(fs.readFileSync(tapPath, "utf8")).toBe(OLD_TAP);
});

test("a link in place of the copy is not followed: its target stays as it is", async () => {
  const tapPath = await installOlderTap();
  const elsewhere = path.join(root, "elsewhere.sh");
  fs.writeFileSync(elsewhere, OLD_TAP);
  fs.rmSync(tapPath);
  fs.symlinkSync(elsewhere, tapPath);
  expect(await updateInstalledTap(claudeDir, TAP_SOURCE)).toBe("left-alone");
  expect(fs.readFileSync(elsewhere, "utf8")).toBe(OLD_TAP);
  expect(fs.lstatSync(tapPath).isSymbolicLink()).toBe(true);
});

test("a FIFO in place of the copy neither hangs nor is replaced", async () => {
  const tapPath = await installOlderTap();
  fs.rmSync(tapPath);
  execFileSync("mkfifo", [tapPath]);
  const started = Date.now();
  expect(await updateInstalledTap(claudeDir, TAP_SOURCE)).toBe("left-alone");
  expect(Date.now() - started).toBeLessThan(1500);
  expect(fs.lstatSync(tapPath).isFIFO()).toBe(true);
});

test("no Claude folder, or no settings.json: nothing is installed, nothing is written", async () => {
  expect(await updateInstalledTap(path.join(root, "missing"), TAP_SOURCE)).toBe("not-installed");
  expect(await updateInstalledTap(claudeDir, TAP_SOURCE)).toBe("not-installed");
  expect(readSettings()).toBeNull();
  expect(fs.readdirSync(claudeDir)).toEqual([]);
});

test("a shipped tap that cannot be read leaves the installed copy as it is", async () => {
  const tapPath = await installOlderTap();
  expect(await updateInstalledTap(claudeDir, path.join(root, "no-such-tap.sh"))).toBe("left-alone");
  expect(fs.readFileSync(tapPath, "utf8")).toBe(OLD_TAP);
});
