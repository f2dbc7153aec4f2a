/**
 * Helpers for the billing-probe tests: run a probe as `/bin/bash probes/<script>` (no shell), with a
 * controlled environment and sandboxed home folders; read fixtures; look at every process's argv.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startMockServer, type MockServer, type RecordedRequest } from "../../support/mock-http-server";
import { REPO_ROOT } from "../../support/paths";
export { REPO_ROOT };

export const PROBES = ["codex_billing_capture.sh", "claude_billing_capture.sh"] as const;
export type ProbeName = (typeof PROBES)[number];

export interface ProbeResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Envelope {
  ok: false;
  error: string;
  hint: string;
  http_status?: number;
  retry_after?: number;
  [key: string]: unknown;
}

export function fixturePath(...parts: string[]): string {
  return path.join(REPO_ROOT, "fixtures", ...parts);
}

export function fixture(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), "utf8");
}

/** A throwaway folder that stands in for $HOME, with helpers to put files under it. */
export class Sandbox {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "agent-limits-probe-test-"));
  readonly home = path.join(this.root, "home");
  readonly tmp = path.join(this.root, "tmp");

  constructor() {
    fs.mkdirSync(this.home);
    fs.mkdirSync(this.tmp);
  }

  /** Writes `content` to `relative` (under the sandbox root) and returns the absolute path. */
  write(relative: string, content: string): string {
    const file = path.join(this.root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode: 0o600 });
    return file;
  }

  dir(relative: string): string {
    const dir = path.join(this.root, relative);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Entries the probe left in its TMPDIR (it must clean up after itself). */
  leftovers(): string[] {
    return fs.readdirSync(this.tmp);
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The environment a probe gets: nothing inherited from the developer's shell except PATH, so a real
 * CLAUDE_CODE_OAUTH_TOKEN, CODEX_HOME or proxy setting can never leak into a test.
 */
export function baseEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: sandbox.home,
    TMPDIR: sandbox.tmp,
    LANG: "C.UTF-8",
    AGENT_LIMITS_ALLOW_KEYCHAIN: "0",
    ...extra,
  };
}

/**
 * The bash that runs the probes: /bin/bash, or PROBE_TEST_BASH (e.g. a bash 3.2 build, the version
 * macOS ships) to run the same tests under another version.
 */
export const TEST_BASH = process.env.PROBE_TEST_BASH || "/bin/bash";

export function runProbe(
  probe: ProbeName,
  env: Record<string, string>,
  killAfterMs = 20_000,
  onStart?: (child: ChildProcess) => void,
): Promise<ProbeResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TEST_BASH, [path.join("probes", probe)], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    onStart?.(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        ms: Date.now() - started,
      });
    });
  });
}

/** Parses a failure's stdout, which must be exactly one JSON line. */
export function parseEnvelope(stdout: string): Envelope {
  expect(stdout.endsWith("\n")).toBe(true);
  expect(stdout.trimEnd().split("\n")).toHaveLength(1);
  const parsed: unknown = JSON.parse(stdout);
  expect(parsed).toEqual(expect.objectContaining({ ok: false }));
  return parsed as Envelope;
}

/** Every running process's argument list (Linux /proc); empty where /proc is missing. */
export function processArgvs(): string[][] {
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const argvs: string[][] = [];
  for (const pid of pids) {
    try {
      const raw = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (raw) argvs.push(raw.replace(/\0$/, "").split("\0"));
    } catch {
      // The process ended while we were looking.
    }
  }
  return argvs;
}

export const hasProc = fs.existsSync("/proc/self/cmdline");

/** The environment of every running curl (Linux /proc), as `NAME=value` lines; empty where /proc is missing. */
function curlEnvirons(): string[] {
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const environs: string[] = [];
  for (const pid of pids) {
    try {
      const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
      if (path.basename(argv0) === "curl") environs.push(fs.readFileSync(`/proc/${pid}/environ`, "utf8"));
    } catch {
      // The process ended while we were looking.
    }
  }
  return environs;
}

export function hasCommand(name: string): boolean {
  const dirs = ["/usr/bin", "/bin", "/usr/sbin", "/sbin", ...(process.env.PATH ?? "").split(":")];
  return dirs.some((dir) => {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The curl processes still running whose arguments name `port` (Linux /proc; none where it is missing). */
export function curlsFor(port: number): string[][] {
  return processArgvs().filter(
    (argv) => path.basename(argv[0]) === "curl" && argv.some((arg) => arg.includes(`:${port}/`)),
  );
}

/** Assertions every run shares: the secrets show up in neither stdout nor stderr. */
export function expectNoSecrets(result: ProbeResult, secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

/** What one probe run in a probe world gave: the probe's result and the one request it made, if any. */
export interface Run {
  result: ProbeResult;
  request?: RecordedRequest;
}

/** The scripted server a test file's probes talk to, and the sandbox of the current test. */
export interface ProbeWorld {
  readonly server: MockServer;
  readonly sandbox: Sandbox;
  /** Every process's argv, captured while the probe's request was waiting for its answer. */
  readonly inFlightArgvs: string[][][];
  /** The environment of every curl, captured at the same moment. */
  readonly inFlightCurlEnvirons: string[][];
}

/** Registers the calling file's hooks: one loopback server for the file, a fresh sandbox for each test. */
export function useProbeWorld(): ProbeWorld {
  const world = { inFlightArgvs: [] as string[][][], inFlightCurlEnvirons: [] as string[][] } as {
    server: MockServer;
    sandbox: Sandbox;
    inFlightArgvs: string[][][];
    inFlightCurlEnvirons: string[][];
  };

  beforeAll(async () => {
    world.server = await startMockServer();
  });

  afterAll(async () => {
    await world.server.close();
  });

  beforeEach(() => {
    world.sandbox = new Sandbox();
    world.server.requests.length = 0;
    world.inFlightArgvs = [];
    world.inFlightCurlEnvirons = [];
    world.server.onRequest(() => {
      world.inFlightArgvs.push(processArgvs());
      world.inFlightCurlEnvirons.push(curlEnvirons());
    });
  });

  afterEach(() => {
    world.sandbox.cleanup();
  });

  return world;
}

export function expectSuccess({ result }: Run, body: string): void {
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(body);
  expect(result.stderr).toBe("");
}

export function expectFailure(
  { result }: Run,
  exitCode: number,
  error: string,
  httpStatus: number | undefined,
  hint?: RegExp,
): Envelope {
  expect(result.code).toBe(exitCode);
  expect(result.stderr).toBe("");
  const envelope = parseEnvelope(result.stdout);
  expect(envelope.error).toBe(error);
  expect(envelope.hint.trim().length).toBeGreaterThan(10);
  if (httpStatus === undefined) expect(envelope).not.toHaveProperty("http_status");
  else expect(envelope.http_status).toBe(httpStatus);
  if (hint) expect(envelope.hint).toMatch(hint);
  return envelope;
}

/**
 * While curl waited for the answer, no process had a secret in its argv (and curl itself was seen),
 * and no curl had one in its environment.
 */
export function expectArgvClean(world: ProbeWorld, secrets: string[]): void {
  if (!hasProc) return;
  expect(world.inFlightArgvs).toHaveLength(1);
  const argvs = world.inFlightArgvs[0];
  const curl = argvs.find(
    (argv) => path.basename(argv[0]) === "curl" && argv.some((a) => a.includes(`:${world.server.port}/`)),
  );
  expect(curl).toBeDefined();
  for (const secret of secrets) expect(argvs.filter((argv) => argv.join(" ").includes(secret))).toEqual([]);
  const environs = world.inFlightCurlEnvirons[0];
  expect(environs.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(environs.filter((environ) => environ.includes(secret))).toEqual([]);
}

/**
 * Runs `probe` in the world with `env` and checks what every run must: no secret in its output or in any
 * argv while its request waited, nothing left in the sandbox, at most one request, which `expectRequest`
 * checks.
 */
export async function runChecked(
  world: ProbeWorld,
  probe: ProbeName,
  env: Record<string, string>,
  secrets: string[],
  expectRequest: (request: RecordedRequest) => void,
): Promise<Run> {
  const result = await runProbe(probe, env);
  expectNoSecrets(result, secrets);
  expect(world.sandbox.leftovers()).toEqual([]);
  expect(world.server.requests.length).toBeLessThanOrEqual(1);
  const request = world.server.requests[0];
  if (request) {
    expectRequest(request);
    expectArgvClean(world, secrets);
  }
  return { result, request };
}
