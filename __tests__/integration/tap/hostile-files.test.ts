/**
 * The tap status runs on every menu render, so whatever sits where settings.json or the saved state
 * should be must neither hang it nor eat memory: FIFOs (with and without a writer), a link to /dev/zero,
 * huge sparse files, folders, and a file swapped for a FIFO while the status is read. Every case must
 * answer quickly with a status that says what is wrong; install and uninstall refuse with a message.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseSettings } from "../../../src/model/settings";
import { readLocalClaude } from "../../../src/sources/claude/local";
import { SOURCES } from "../../../src/sources/registry";
import { installTap } from "../../../src/tap/install";
import { tapPaths } from "../../../src/tap/paths";
import { tapStatus } from "../../../src/tap/status";
import { uninstallTap } from "../../../src/tap/uninstall";
import { REPO_ROOT } from "../../support/paths";
import { stopProcessGroup } from "../../support/processes";

const TAP_SOURCE = path.join(REPO_ROOT, "probes", "claude_statusline_tap.sh");
/** "Does not hang": generous, this is no speed test. */
const BOUND_MS = 2000;

let root: string;
let claudeDir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "agent-limits-hostile-")));
  claudeDir = path.join(root, "claude");
  fs.mkdirSync(claudeDir);
});
afterEach(async () => {
  await Promise.all(children.splice(0).map(stopProcessGroup));
  fs.rmSync(root, { recursive: true, force: true, maxRetries: 5 });
});

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

function settingsPath(): string {
  return tapPaths(claudeDir).settingsPath;
}

/** A background process that keeps the FIFO open for writing and writes into it without end. */
function keepWriting(fifo: string): void {
  const child = spawn("/bin/sh", ["-c", 'exec cat /dev/zero > "$1"', "sh", fifo], { stdio: "ignore", detached: true });
  children.push(child);
}

/** A file of that size that takes no disk space: all a hole. */
function sparseFile(file: string, bytes: number): void {
  fs.writeFileSync(file, "");
  fs.truncateSync(file, bytes);
}

const HOSTILE: Record<string, { make: (file: string) => void; problem: RegExp }> = {
  "a FIFO": { make: (file) => execFileSync("mkfifo", [file]), problem: /is not a regular file$/ },
  "a FIFO with a writer": {
    make: (file) => {
      execFileSync("mkfifo", [file]);
      keepWriting(file);
    },
    problem: /is not a regular file$/,
  },
  "a link to /dev/zero": { make: (file) => fs.symlinkSync("/dev/zero", file), problem: /is not a regular file$/ },
  "a folder": { make: (file) => fs.mkdirSync(file), problem: /is not a regular file$/ },
  "a 300 MB sparse file": {
    make: (file) => sparseFile(file, 300 * 1024 * 1024),
    problem: /is too large \(over 1 MiB\)$/,
  },
  "an 8 GB sparse file": {
    make: (file) => sparseFile(file, 8 * 1024 ** 3),
    problem: /is too large \(over 1 MiB\)$/,
  },
};

describe.each(Object.entries(HOSTILE))("settings.json is %s", (_label, { make, problem }) => {
  beforeEach(() => make(settingsPath()));

  test("the status is unknown, says why, and comes at once", async () => {
    const { value, ms } = await timed(() => tapStatus(claudeDir));
    expect(value).toEqual({ status: "unknown", problem: expect.stringMatching(/^settings\.json /) });
    expect(value.problem).toMatch(problem);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  test("the menu's Claude reading carries that message", async () => {
    const settings = parseSettings({ claudeConfigDir: claudeDir }, SOURCES);
    const { value, ms } = await timed(() => readLocalClaude(settings, "claude"));
    expect(value.tapStatus).toBe("unknown");
    expect(value.problem?.message).toMatch(/^Status-line tap unknown: settings\.json /);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  test("install and uninstall refuse with a message to edit statusLine by hand", async () => {
    const install = await timed(() => installTap(claudeDir, TAP_SOURCE));
    expect(install.value).toEqual({ ok: false, message: expect.stringMatching(/; edit statusLine by hand: /) });
    expect(install.ms).toBeLessThan(BOUND_MS);
    const uninstall = await timed(() => uninstallTap(claudeDir));
    expect(uninstall.value).toEqual({ ok: false, message: expect.stringMatching(/; edit statusLine by hand$/) });
    expect(uninstall.ms).toBeLessThan(BOUND_MS);
  });
});

describe.each(Object.entries(HOSTILE))("previous-statusline.json is %s", (_label, { make, problem }) => {
  test("with the tap not in settings.json, the status is unknown and says why", async () => {
    fs.writeFileSync(settingsPath(), '{"model": "opus"}\n');
    fs.mkdirSync(tapPaths(claudeDir).folder);
    make(tapPaths(claudeDir).previousStatusLinePath);
    const { value, ms } = await timed(() => tapStatus(claudeDir));
    expect(value.status).toBe("unknown");
    expect(value.problem).toMatch(/^agent-limits\/previous-statusline\.json /);
    expect(value.problem).toMatch(problem);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  test("with the tap in settings.json, the status is still installed", async () => {
    await installTap(claudeDir, TAP_SOURCE);
    const saved = tapPaths(claudeDir).previousStatusLinePath;
    fs.rmSync(saved);
    make(saved);
    const { value, ms } = await timed(() => tapStatus(claudeDir));
    expect(value).toEqual({ status: "installed" });
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

describe("settings.json swapped between a regular file and a FIFO while the status is read", () => {
  test("every status comes at once and is either installed or unknown (not a regular file)", async () => {
    await installTap(claudeDir, TAP_SOURCE);
    const regular = path.join(root, "installed-settings.json");
    fs.copyFileSync(settingsPath(), regular);
    // Renames are atomic: settings.json always exists, as one or the other.
    const swapper = spawn(
      "/bin/bash",
      [
        "-c",
        'cd "$1" && while :; do cp "$2" r.tmp; mv -f r.tmp settings.json; mkfifo f.tmp; mv -f f.tmp settings.json; done',
        "bash",
        claudeDir,
        regular,
      ],
      { stdio: "ignore", detached: true },
    );
    children.push(swapper);
    const seen = new Set<string>();
    const started = performance.now();
    while (performance.now() - started < 3000 || seen.size < 2) {
      const { value, ms } = await timed(() => tapStatus(claudeDir));
      expect(ms).toBeLessThan(BOUND_MS);
      expect([
        JSON.stringify({ status: "installed" }),
        JSON.stringify({ status: "unknown", problem: "settings.json is not a regular file" }),
      ]).toContain(JSON.stringify(value));
      seen.add(value.status);
      if (performance.now() - started > 20_000) break;
    }
    expect([...seen].sort()).toEqual(["installed", "unknown"]);
  });
});
