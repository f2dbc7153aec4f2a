/**
 * Running the Codex reader as a user that file permissions apply to: root reads a `chmod 000` file, so permission
 * cases need another user. As root, the user `agent-limits-test` is reused, or created once (a system user
 * without home or shell), and `setpriv` starts `scripts/codex-caps.ts` under it; as anyone else the script runs
 * as is. Where neither works the suite skips these cases and says why.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync } from "node:fs";
import path from "node:path";
import type { CodexCapsResult } from "../../src/sources/codex/session-logs";
import { REPO_ROOT } from "./paths";

const TEST_USER = "agent-limits-test";
/** The child is killed past this: "nothing hangs" even if the reader would. */
const CHILD_TIMEOUT_MS = 60_000;

export type Unprivileged = { available: true; command: string[] } | { available: false; reason: string };

function idOf(flag: "-u" | "-g"): number | null {
  try {
    return Number(execFileSync("id", [flag, TEST_USER], { stdio: "pipe" }).toString().trim());
  } catch {
    return null;
  }
}

function hasCommand(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/** The test user's ids, created if missing (another test file may race us to it). */
function testUser(): { uid: number; gid: number } | string {
  if (idOf("-u") === null) {
    try {
      execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", TEST_USER], {
        stdio: "pipe",
      });
    } catch (error) {
      if (idOf("-u") === null) return `cannot create the user ${TEST_USER}: ${(error as Error).message.split("\n")[0]}`;
    }
  }
  const uid = idOf("-u");
  const gid = idOf("-g");
  return uid === null || gid === null ? `cannot look up the user ${TEST_USER}` : { uid, gid };
}

/** How to start a process that permissions apply to, or why it cannot be done here. */
export function unprivileged(): Unprivileged {
  const uid = process.getuid?.();
  if (uid === undefined) return { available: false, reason: "this platform has no POSIX users" };
  if (uid !== 0) return { available: true, command: [] };
  if (!hasCommand("setpriv")) return { available: false, reason: "running as root without setpriv" };
  const user = testUser();
  if (typeof user === "string") return { available: false, reason: user };
  return {
    available: true,
    command: ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", "--"],
  };
}

/** Lets other users into a private temp folder (mkdtemp makes it 0700), so the test user can reach the home. */
export function openToOthers(folder: string): void {
  chmodSync(folder, 0o755);
}

export interface ChildReading {
  result: CodexCapsResult;
  /** The time of the `readCodexCaps` call, measured in the child. */
  ms: number;
}

/** Runs `scripts/codex-caps.ts` on `codexHome` as the unprivileged user. */
export function readCapsAs(runner: { command: string[] }, codexHome: string, now: number): Promise<ChildReading> {
  const tsx = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const script = path.join(REPO_ROOT, "scripts", "codex-caps.ts");
  const tsconfig = path.join(REPO_ROOT, "tsconfig.test.json");
  const argv = [...runner.command, process.execPath, tsx, "--tsconfig", tsconfig, script, codexHome];
  argv.push("--now", String(now));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: "/",
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: CHILD_TIMEOUT_MS,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) return reject(new Error(`codex-caps.ts ended with ${signal ?? code}: ${stderr.trim()}`));
      const { result, ms } = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as ChildReading;
      resolve({ result, ms });
    });
  });
}
