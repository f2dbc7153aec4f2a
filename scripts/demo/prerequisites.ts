import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * What the shipped probes need for the demo's logins: bash and curl. They read the login fields with bash
 * itself; a JSON reader (plutil, jq, python3) only for escaped values, which the demo's logins do not have.
 */
const CHECK = "command -v curl >/dev/null || echo curl";

/** The probes' search path, as the probe runner extends it. */
const PROBE_PATH = "/usr/bin:/bin:/usr/sbin:/sbin:/opt/homebrew/bin:/usr/local/bin";

/** A sentence naming what is missing, or null when the machine can run the demo. */
export function missingPrerequisites(): string | null {
  if (!existsSync("/bin/bash")) return "The demo runs the shipped bash probes and needs /bin/bash (macOS or Linux).";
  const path = process.env.PATH ? `${process.env.PATH}:${PROBE_PATH}` : PROBE_PATH;
  const run = spawnSync("/bin/bash", ["-c", CHECK], { env: { PATH: path }, encoding: "utf8", timeout: 5000 });
  const missing = run.stdout?.trim().split("\n").filter(Boolean) ?? [];
  if (run.status !== 0) return "Could not check for curl with /bin/bash.";
  return missing.length ? `The probes need ${missing.join(" and ")}; install it, then run the demo again.` : null;
}
