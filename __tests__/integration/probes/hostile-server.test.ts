/**
 * Both real probes against a hostile server on 127.0.0.1: a body that never ends, a 1 GB body, a
 * redirect, a body that drips in past the deadline, and a TERM in the middle of a request. Run
 * alone (the probe makes and removes its own temporary folder) and through the runner (which gives
 * the probe a work folder and removes it), each case must end with its error shown and nothing left
 * in TMPDIR, and with no curl left running.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { runProbeScript } from "../../../src/billing/probe-runner";
import {
  baseEnv,
  curlsFor,
  expectNoSecrets,
  fixture,
  parseEnvelope,
  PROBES,
  REPO_ROOT,
  runProbe,
  Sandbox,
  type ProbeName,
} from "./harness";

type Behaviour = "endless" | "gigabyte" | "redirect" | "drip" | "hang";

const CHUNK = Buffer.alloc(64 * 1024, "x");
const GIGABYTE = 1024 * 1024 * 1024;

interface HostileServer {
  port: number;
  url(behaviour: Behaviour): string;
  /** Requests seen, by path. */
  requests: string[];
  /** Bytes written to clients in all. */
  bytesSent(): number;
  onRequest(hook: (() => void) | undefined): void;
  close(): Promise<void>;
}

/** Writes CHUNK again and again (respecting backpressure) until `limit` bytes or the client leaves. */
function stream(res: http.ServerResponse, limit: number, counter: { bytes: number }) {
  let sent = 0;
  const pump = () => {
    while (sent < limit && !res.destroyed) {
      const piece = limit - sent < CHUNK.length ? CHUNK.subarray(0, limit - sent) : CHUNK;
      sent += piece.length;
      counter.bytes += piece.length;
      if (!res.write(piece)) return void res.once("drain", pump);
    }
    if (sent >= limit) res.end();
  };
  pump();
}

async function startHostileServer(): Promise<HostileServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const counter = { bytes: 0 };
  let hook: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    hook?.();
    res.on("close", () => timers.forEach((timer) => clearInterval(timer)));
    switch (req.url) {
      case "/endless":
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write('{"padding":"');
        return stream(res, Number.POSITIVE_INFINITY, counter);
      case "/gigabyte":
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(GIGABYTE) });
        return stream(res, GIGABYTE, counter);
      case "/redirect":
        res.writeHead(302, { Location: `http://127.0.0.1:${port}/elsewhere` });
        return res.end();
      case "/drip": {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write("{");
        const timer = setInterval(() => res.write(" "), 200);
        timers.add(timer);
        return;
      }
      case "/hang":
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (behaviour) => `http://127.0.0.1:${port}/${behaviour}`,
    requests,
    bytesSent: () => counter.bytes,
    onRequest: (next) => {
      hook = next;
    },
    close: () =>
      new Promise((resolve) => {
        timers.forEach((timer) => clearInterval(timer));
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const CODEX_TOKEN = (JSON.parse(fixture("codex-auth", "chatgpt.json")) as { tokens: { access_token: string } }).tokens
  .access_token;
const CLAUDE_TOKEN = (
  JSON.parse(fixture("claude-credentials", "full.json")) as { claudeAiOauth: { accessToken: string } }
).claudeAiOauth.accessToken;

/** The probe's environment: a sandboxed login and the endpoint override pointing at `url`. */
function probeEnv(sandbox: Sandbox, probe: ProbeName, url: string, extra: Record<string, string> = {}) {
  if (probe === "codex_billing_capture.sh") {
    sandbox.write("codex/auth.json", fixture("codex-auth", "chatgpt.json"));
    return baseEnv(sandbox, {
      CODEX_HOME: path.join(sandbox.root, "codex"),
      AGENT_LIMITS_CODEX_USAGE_URL: url,
      ...extra,
    });
  }
  sandbox.write("claude/.credentials.json", fixture("claude-credentials", "full.json"));
  return baseEnv(sandbox, {
    CLAUDE_CONFIG_DIR: path.join(sandbox.root, "claude"),
    AGENT_LIMITS_CLAUDE_USAGE_URL: url,
    ...extra,
  });
}

let server: HostileServer;
let sandbox: Sandbox;

beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  sandbox = new Sandbox();
  server.requests.length = 0;
  server.onRequest(undefined);
});
afterEach(() => {
  sandbox.cleanup();
});

interface Case {
  behaviour: Behaviour;
  exitCode: number;
  error: string;
  hint: RegExp;
  /** AGENT_LIMITS_PROBE_TIMEOUT for the case. */
  timeout?: string;
}

const CASES: Record<string, Case> = {
  "a body that never ends": { behaviour: "endless", exitCode: 16, error: "body_too_large", hint: /more than 512 KB/ },
  "a 1 GB body": { behaviour: "gigabyte", exitCode: 16, error: "body_too_large", hint: /more than 512 KB/ },
  "a redirect": { behaviour: "redirect", exitCode: 11, error: "http_error", hint: /HTTP 302/ },
  "a body that drips in past the deadline": {
    behaviour: "drip",
    exitCode: 12,
    error: "timeout",
    hint: /did not answer within 2 seconds/,
    timeout: "2",
  },
};

describe.each(PROBES)("%s against a hostile server", (probe) => {
  describe.each(Object.keys(CASES))("%s", (name) => {
    const { behaviour, exitCode, error, hint, timeout } = CASES[name];
    const extra: Record<string, string> = timeout ? { AGENT_LIMITS_PROBE_TIMEOUT: timeout } : {};

    test("run alone: the error, nothing left in TMPDIR, no curl left", async () => {
      const result = await runProbe(probe, probeEnv(sandbox, probe, server.url(behaviour), extra));
      expect(result.code).toBe(exitCode);
      expect(result.stderr).toBe("");
      const envelope = parseEnvelope(result.stdout);
      expect(envelope).toMatchObject({ error });
      expect(envelope.hint).toMatch(hint);
      expectNoSecrets(result, [CODEX_TOKEN, CLAUDE_TOKEN]);
      expect(sandbox.leftovers()).toEqual([]);
      expect(curlsFor(server.port)).toEqual([]);
      expect(server.requests).toEqual([`/${behaviour}`]); // one request, the redirect not followed
    });

    test("through the runner: the same error, its work folder removed", async () => {
      const script = path.join(REPO_ROOT, "probes", probe);
      const run = await runProbeScript(script, probeEnv(sandbox, probe, server.url(behaviour), extra), 10_000);
      expect(run).toMatchObject({ exitCode, timedOut: false, truncated: false });
      expect(parseEnvelope(run.stdout)).toMatchObject({ error });
      expect(sandbox.leftovers()).toEqual([]);
      expect(curlsFor(server.port)).toEqual([]);
    });
  });

  test("the 1 GB body is refused after at most a few MB, without reading the rest", async () => {
    const before = server.bytesSent();
    await runProbe(probe, probeEnv(sandbox, probe, server.url("gigabyte")));
    // What the kernel buffers before curl gives up; nowhere near the gigabyte.
    expect(server.bytesSent() - before).toBeLessThan(64 * 1024 * 1024);
  });

  test("TERM to the probe while curl waits: curl is stopped, the folder removed, `interrupted` printed", async () => {
    let pid: number | undefined;
    server.onRequest(() => {
      if (pid) process.kill(pid, "SIGTERM");
    });
    const result = await runProbe(probe, probeEnv(sandbox, probe, server.url("hang")), 20_000, (child) => {
      pid = child.pid;
    });
    expect(result.code).toBe(143);
    expect(result.ms).toBeLessThan(5_000);
    expect(parseEnvelope(result.stdout)).toMatchObject({ error: "interrupted" });
    expect(result.stderr).toBe("");
    expect(sandbox.leftovers()).toEqual([]);
    expect(curlsFor(server.port)).toEqual([]);
  });

  test("the runner's deadline: TERM first, so the probe's trap runs and says so, then nothing is left", async () => {
    const script = path.join(REPO_ROOT, "probes", probe);
    const started = Date.now();
    const run = await runProbeScript(script, probeEnv(sandbox, probe, server.url("hang")), 1_500);
    expect(Date.now() - started).toBeLessThan(1_500 + 1_000);
    expect(run).toMatchObject({ timedOut: true, exitCode: 143 });
    // Printed by the trap, which a KILL would not have let run.
    expect(parseEnvelope(run.stdout)).toMatchObject({ error: "interrupted" });
    expect(sandbox.leftovers()).toEqual([]);
    expect(curlsFor(server.port)).toEqual([]);
  });
});
