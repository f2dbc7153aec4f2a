/**
 * A sandbox for running the real probes/claude_statusline_tap.sh the way Claude Code does: bash with the
 * status-line JSON on stdin, in a temporary Claude folder, with or without a previous status-line command.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../support/paths";

export const TAP = path.join(REPO_ROOT, "probes", "claude_statusline_tap.sh");
export const BASE_PATH = "/usr/local/bin:/usr/bin:/bin";
/**
 * The bash that runs the tap: /bin/bash, or another build to check the script against, e.g. a bash 3.2
 * like macOS's: `AGENT_LIMITS_TEST_BASH=/path/to/bash-3.2 npx jest __tests__/integration/tap`.
 */
export const TAP_BASH = process.env.AGENT_LIMITS_TEST_BASH ?? "/bin/bash";

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
}

interface RunOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  script?: string;
  /** Shell commands run before the tap replaces the shell (e.g. `umask 000`). */
  prelude?: string;
  /** Write stdin but never close it, as Claude Code sometimes does (anthropics/claude-code#59966). */
  keepStdinOpen?: boolean;
}

function run(
  file: string,
  args: string[],
  input: Buffer,
  env: NodeJS.ProcessEnv,
  cwd: string,
  keepStdinOpen = false,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      child.stdin.destroy();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), ms });
    });
    // A previous command that never reads stdin closes the pipe early; that is not a test failure.
    child.stdin.on("error", () => undefined);
    if (keepStdinOpen) child.stdin.write(input);
    else child.stdin.end(input);
  });
}

export function input(name: string): Buffer {
  return fs.readFileSync(path.join(REPO_ROOT, "fixtures", "statusline", name));
}

export class TapSandbox {
  readonly root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "agent-limits-tap-test-")));
  readonly home = path.join(this.root, "home");
  readonly claudeDir = path.join(this.root, "claude");
  readonly dataDir = path.join(this.claudeDir, "agent-limits");

  constructor() {
    fs.mkdirSync(this.home);
    fs.mkdirSync(this.claudeDir);
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { PATH: BASE_PATH, HOME: this.home, CLAUDE_CONFIG_DIR: this.claudeDir, LC_ALL: "C", ...extra };
  }

  setPrevious(command: string, folder = this.dataDir): void {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(folder, "previous-command"), command, { mode: 0o600 });
  }

  tap(stdin: Buffer, options: RunOptions = {}): Promise<RunResult> {
    const args = [options.script ?? TAP, ...(options.args ?? [])];
    const env = options.env ?? this.env();
    const keepOpen = options.keepStdinOpen;
    if (options.prelude === undefined) return run(TAP_BASH, args, stdin, env, this.root, keepOpen);
    const shell = ["-c", `${options.prelude}; exec "$0" "$@"`, TAP_BASH, ...args];
    return run("/bin/sh", shell, stdin, env, this.root, keepOpen);
  }

  /** The previous command alone, the way Claude Code would run it without the tap. */
  alone(command: string, stdin: Buffer): Promise<RunResult> {
    return run("/bin/sh", ["-c", command], stdin, this.env(), this.root);
  }

  rateLimitsFile(folder = this.dataDir): string {
    return path.join(folder, "rate-limits.json");
  }

  saved(folder = this.dataDir): { captured_at: number; rate_limits: unknown } | null {
    const file = this.rateLimitsFile(folder);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null;
  }

  dataFiles(folder = this.dataDir): string[] {
    return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
