import { spawn } from "node:child_process";
import path from "node:path";
import type { Settings } from "../model/settings";
import type { SourceId } from "../model/types";
import { sourceDefinition } from "../sources/registry";

/** The probe's own curl deadline; the runner kills the whole process group a little later. */
const PROBE_TIMEOUT_SECONDS = 20;
const PROBE_DEADLINE_MS = (PROBE_TIMEOUT_SECONDS + 5) * 1000;
const MAX_OUTPUT_BYTES = 1024 * 1024;

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

/** What one source's probe gets: the extension's environment plus that source's SPEC §4 inputs. */
export function probeEnvironment(
  source: SourceId,
  settings: Settings,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...base,
    PATH: base.PATH ? `${base.PATH}:${SAFE_PATH}` : SAFE_PATH,
    ...sourceDefinition(source).probeInputs(settings),
    AGENT_LIMITS_PROBE_TIMEOUT: String(PROBE_TIMEOUT_SECONDS),
  };
}

/**
 * How long the runner waits, once the probe has exited or its group was killed, for its stdout to
 * close. Only a descendant that left the process group (a new session) can keep it open that long;
 * the runner then stops reading, so such a straggler cannot hold the refresh either.
 */
const PROBE_KILL_GRACE_MS = 500;

/**
 * Runs `/bin/bash <script>` (store installs may drop the run bit) in its own process group,
 * and kills the whole group at the deadline, so a probe that forks a hung child cannot hold
 * the refresh. No shell parses any argument: paths with spaces or `$()` stay inert.
 * Resolves at the latest PROBE_KILL_GRACE_MS after the deadline, and keeps at most
 * MAX_OUTPUT_BYTES of stdout (stderr is discarded unread).
 */
export function runProbeScript(
  scriptPath: string,
  env: NodeJS.ProcessEnv,
  deadlineMs = PROBE_DEADLINE_MS,
): Promise<ProbeRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("/bin/bash", [scriptPath], { env, detached: true, stdio: ["ignore", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let timedOut = false;
    let settled = false;
    let exitCode: number | null = null;
    let grace: NodeJS.Timeout | undefined;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    };
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      killGroup();
      child.stdout.destroy();
      resolve({
        exitCode: code,
        stdout: Buffer.concat(chunks).toString("utf8"),
        timedOut,
        truncated,
        durationMs: Date.now() - started,
      });
    };
    /** Stop waiting for stdout to close: whatever still holds it escaped the group kill. */
    const stopWaitingSoon = () => {
      if (!settled && grace === undefined) grace = setTimeout(() => finish(exitCode), PROBE_KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
      stopWaitingSoon();
    }, deadlineMs);
    child.stdout.on("data", (chunk: Buffer) => {
      if (truncated) return;
      if (size + chunk.length > MAX_OUTPUT_BYTES) {
        truncated = true;
        killGroup();
        stopWaitingSoon();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    child.on("error", () => finish(null));
    child.on("exit", (code) => {
      exitCode = code;
      stopWaitingSoon();
    });
    child.on("close", (code) => finish(code));
  });
}

export function probeRunner(assetsPath: string, settings: Settings): ProbeRunner {
  return (source) =>
    runProbeScript(
      path.join(assetsPath, "probes", sourceDefinition(source).probeScript),
      probeEnvironment(source, settings),
    );
}
