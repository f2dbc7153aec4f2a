import { spawn, type ChildProcess } from "node:child_process";
import { lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../model/settings";
import type { SourceId } from "../model/types";
import { sourceDefinition } from "../sources/registry";
import { refusalHint, resolveEndpoint } from "./endpoint";

/** The probe's own curl deadline; the runner stops the whole process group a little later. */
const PROBE_TIMEOUT_SECONDS = 20;
const PROBE_DEADLINE_MS = (PROBE_TIMEOUT_SECONDS + 5) * 1000;
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** Between TERM and KILL: long enough for the probe's trap to stop curl and remove its files. */
const TERM_GRACE_MS = 300;
/**
 * How long the runner waits, once the probe has exited or its group was stopped, for its stdout to
 * close. Only a descendant that left the process group (a new session) can keep it open that long;
 * the runner then stops reading, so such a straggler cannot hold the refresh either.
 */
const STDOUT_GRACE_MS = 500;

export interface ProbeRun {
  exitCode: number | null;
  stdout: string;
  timedOut: boolean;
  /** Output beyond MAX_OUTPUT_BYTES was dropped. */
  truncated: boolean;
  durationMs: number;
}

export type ProbeRunner = (source: SourceId) => Promise<ProbeRun>;

/** Raycast starts extensions with a minimal PATH; curl and the JSON helpers live in these. */
const SAFE_PATH = "/usr/bin:/bin:/usr/sbin:/sbin:/opt/homebrew/bin:/usr/local/bin";

/**
 * The only variables a probe inherits: where things are, the locale, the SPEC §4 inputs, and how
 * this Mac reaches the internet (proxies, CA certificates). Nothing else, so no BASH_ENV, ENV,
 * SHELLOPTS, exported functions or CURL_HOME can change what bash or curl do.
 */
const PASSED_THROUGH = new Set([
  "PATH",
  "HOME",
  "TMPDIR",
  "LANG",
  "USER",
  "LOGNAME",
  "CODEX_HOME",
  "CLAUDE_CONFIG_DIR",
  "CLAUDE_CODE_OAUTH_TOKEN",
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "NO_PROXY",
  "no_proxy",
  "ALL_PROXY",
  "all_proxy",
  "CURL_CA_BUNDLE",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
]);
const PASSED_THROUGH_PREFIXES = ["LC_", "AGENT_LIMITS_"];
/** Set by the runner alone. */
const WORK_DIR_VARIABLE = "AGENT_LIMITS_WORK_DIR";

function isPassedThrough(name: string): boolean {
  if (name === WORK_DIR_VARIABLE) return false;
  return PASSED_THROUGH.has(name) || PASSED_THROUGH_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** What one source's probe gets: the allowed part of the extension's environment plus that source's SPEC §4 inputs. */
export function probeEnvironment(
  source: SourceId,
  settings: Settings,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && isPassedThrough(name)) env[name] = value;
  }
  return {
    ...env,
    PATH: base.PATH ? `${base.PATH}:${SAFE_PATH}` : SAFE_PATH,
    ...sourceDefinition(source).probeInputs(settings),
    AGENT_LIMITS_PROBE_TIMEOUT: String(PROBE_TIMEOUT_SECONDS),
  };
}

/** The folder the probe uses for temporary files: its TMPDIR, as bash reads it. */
function tempBase(env: Record<string, string | undefined>): string {
  return env.TMPDIR || "/tmp";
}

/** The names a probe's temporary folder gets, from `mktemp` (probes) or `mkdtemp` (this runner). */
const WORK_DIR_PREFIX = "agent-limits.";
const WORK_DIR_NAME = /^agent-limits\.[A-Za-z0-9]{6}$/;
/** Older than any run could be: the deadline is 25 s. */
const LEFTOVER_AGE_MS = 10 * 60 * 1000;

/**
 * Removes what earlier runs left in `base` (a probe killed with its runner, a machine that lost
 * power): only folders named like a probe's, owned by this user, untouched for ten minutes.
 * Never throws; resolves to how many it removed.
 */
export async function sweepProbeLeftovers(base: string, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return 0;
  }
  const uid = process.getuid?.();
  const removed = await Promise.all(
    names
      .filter((name) => WORK_DIR_NAME.test(name))
      .map(async (name) => {
        const folder = path.join(base, name);
        try {
          const info = await lstat(folder);
          if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) return false;
          if (now - info.mtimeMs < LEFTOVER_AGE_MS) return false;
          await rm(folder, { recursive: true, force: true });
          return true;
        } catch {
          return false;
        }
      }),
  );
  return removed.filter(Boolean).length;
}

/** A private folder for the probe's body and headers, which the runner removes whatever the probe did. */
async function makeWorkDir(base: string): Promise<string | null> {
  try {
    return await mkdtemp(path.join(base, WORK_DIR_PREFIX));
  } catch {
    // The probe then makes its own, or reports that it cannot.
    return null;
  }
}

/**
 * The probe's process group: bash is its leader (detached), so one signal reaches the probe, curl
 * and anything else the probe started.
 */
class ProcessGroup {
  private killTimer: NodeJS.Timeout | undefined;
  constructor(private readonly pid: number | undefined) {}

  signal(signal: NodeJS.Signals | 0): boolean {
    if (!this.pid) return false;
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch {
      return false; // The group is gone.
    }
  }

  /** TERM now, so the probe's trap can clean up; KILL after a short grace, in case it does not end. */
  stop(): void {
    if (this.killTimer || !this.signal("SIGTERM")) return;
    this.killTimer = setTimeout(() => this.signal("SIGKILL"), TERM_GRACE_MS);
  }

  /** Whatever is left once the run is over is a straggler: KILL it now. */
  end(): void {
    clearTimeout(this.killTimer);
    this.signal("SIGKILL");
  }
}

/**
 * Runs `/bin/bash --noprofile --norc <script>` (store installs may drop the run bit) in its own
 * process group with the given environment only, and stops the whole group at the deadline (TERM,
 * then KILL), so a probe that forks a hung child cannot hold the refresh. No shell parses any
 * argument: paths with spaces or `$()` stay inert. Resolves at the latest STDOUT_GRACE_MS after the
 * deadline, keeps at most MAX_OUTPUT_BYTES of stdout (stderr is discarded unread), and gives the
 * probe a private work folder in its TMPDIR that is removed afterwards, even when the probe was killed.
 */
export async function runProbeScript(
  scriptPath: string,
  env: Record<string, string>,
  deadlineMs = PROBE_DEADLINE_MS,
): Promise<ProbeRun> {
  const started = Date.now();
  const workDir = await makeWorkDir(tempBase(env));
  const probeEnv = { ...env };
  delete probeEnv[WORK_DIR_VARIABLE];
  if (workDir) probeEnv[WORK_DIR_VARIABLE] = workDir;
  try {
    return await runInGroup(scriptPath, probeEnv, deadlineMs, started);
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function runInGroup(
  scriptPath: string,
  env: Record<string, string>,
  deadlineMs: number,
  started: number,
): Promise<ProbeRun> {
  return new Promise((resolve) => {
    let subprocess: ChildProcess;
    try {
      // node:child_process, not execa: every execa feature (buffering, rejecting, killing) would be turned
      // off here, and its 117 kB made Billing Details and Refresh Billing 22–26 ms slower to load.
      subprocess = spawn("/bin/bash", ["--noprofile", "--norc", scriptPath], {
        env,
        detached: true,
        stdio: ["ignore", "pipe", "ignore"],
      });
    } catch {
      // Node refuses to start it (a NUL byte in a folder preference, say): a run that never began.
      resolve({ exitCode: null, stdout: "", timedOut: false, truncated: false, durationMs: Date.now() - started });
      return;
    }
    const group = new ProcessGroup(subprocess.pid);
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let timedOut = false;
    let settled = false;
    let exitCode: number | null = null;
    let stdoutGrace: NodeJS.Timeout | undefined;

    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(stdoutGrace);
      group.end();
      subprocess.stdout?.destroy();
      resolve({
        exitCode: code,
        stdout: Buffer.concat(chunks).toString("utf8"),
        timedOut,
        truncated,
        durationMs: Date.now() - started,
      });
    };
    /** Stop waiting for stdout to close: whatever still holds it escaped the group. */
    const stopWaitingSoon = () => {
      if (!settled && stdoutGrace === undefined) stdoutGrace = setTimeout(() => finish(exitCode), STDOUT_GRACE_MS);
    };
    const stop = () => {
      group.stop();
      stopWaitingSoon();
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      stop();
    }, deadlineMs);

    subprocess.stdout?.on("data", (chunk: Buffer) => {
      if (truncated) return;
      if (size + chunk.length > MAX_OUTPUT_BYTES) {
        truncated = true;
        stop();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    subprocess.on("error", () => finish(null));
    subprocess.on("exit", (code) => {
      exitCode = code;
      // Anything the probe left running gets the same TERM-then-KILL; the answer is kept.
      stop();
    });
    subprocess.on("close", (code) => finish(code));
  });
}

/** What a probe "printed" when the runner refused to start it: the SPEC §4 envelope, exit 15. */
const ENDPOINT_REFUSED_EXIT = 15;

/**
 * The refresh's runner: one probe per source, from the extension's assets. A source whose endpoint
 * override is refused is not run; its run carries the probe's own `endpoint_refused` envelope.
 * The first run also sweeps the leftovers of earlier runs from the probes' temp folder.
 */
export function probeRunner(assetsPath: string, settings: Settings, env: NodeJS.ProcessEnv = process.env): ProbeRunner {
  let swept: Promise<number> | undefined;
  return async (source) => {
    swept ??= sweepProbeLeftovers(tempBase(env));
    const endpoint = resolveEndpoint(source, env);
    if (!endpoint.ok) {
      await swept;
      const envelope = { ok: false, error: "endpoint_refused", hint: refusalHint(endpoint) };
      return {
        exitCode: ENDPOINT_REFUSED_EXIT,
        stdout: `${JSON.stringify(envelope)}\n`,
        timedOut: false,
        truncated: false,
        durationMs: 0,
      };
    }
    const script = path.join(assetsPath, "probes", sourceDefinition(source).probeScript);
    const [run] = await Promise.all([runProbeScript(script, probeEnvironment(source, settings, env)), swept]);
    return run;
  };
}
