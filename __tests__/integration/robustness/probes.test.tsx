/**
 * Hostile probes: small throwaway bash scripts run through the real `runProbeScript` (own process
 * group, hard deadline, bounded output), then through the real refresh path. Whatever a probe
 * does, the refresh ends by the deadline, leaves no process behind, keeps the last good balance,
 * and records an error with a hint that the menu shows.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadActivity } from "../../../src/billing/activity";
import type { CreditReading, SourceId } from "../../../src/model/types";
import { runProbeScript, type ProbeRun } from "../../../src/billing/probe-runner";
import { refreshSources, type RefreshOutcome } from "../../../src/billing/refresh";
import { EMPTY_SOURCE, loadSource, saveSource } from "../../../src/billing/storage";
import { HOUR, NOW } from "../../support/builders";
import { mockControl } from "../../support/raycast-api";
import { codexHomeWithCaps, renderMenu } from "../../support/hostile-menu";

/** Short, so a hung probe costs the suite little; the real deadline is PROBE_DEADLINE_MS. */
const DEADLINE_MS = 1500;
/** What the runner may add to the deadline to kill the group and collect the exit. */
const KILL_SLACK_MS = 1000;
/** The runner keeps at most this much of a probe's stdout. */
const MAX_OUTPUT_BYTES = 1024 * 1024;
const TTL = 6 * HOUR;

let dir: string;
const spawnedPids: number[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-limits-hostile-probe-"));
});
afterAll(() => {
  // Anything a test could not prove dead (or a failed test left behind) is ended here, by its own id.
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith(".pids"))) recordedPids(path.join(dir, file));
  for (const pid of spawnedPids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
/** Writes a throwaway probe; `$PIDS` inside it is a file the script can record process ids in. */
function probe(body: string): { script: string; pids: string } {
  counter += 1;
  const script = path.join(dir, `probe-${counter}.sh`);
  const pids = path.join(dir, `probe-${counter}.pids`);
  fs.writeFileSync(script, `PIDS=${JSON.stringify(pids)}\n${body}\n`);
  return { script, pids };
}

function recordedPids(file: string): number[] {
  if (!fs.existsSync(file)) return [];
  const pids = fs
    .readFileSync(file, "utf8")
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 1);
  spawnedPids.push(...pids);
  return pids;
}

/** Alive means it exists and is not a zombie waiting to be reaped. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const state = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return state !== "" && !state.startsWith("Z");
  } catch {
    return false;
  }
}

async function expectAllGone(pids: number[]) {
  const until = Date.now() + 1000;
  while (pids.some(isAlive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(pids.filter(isAlive)).toEqual([]);
}

const env = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, LANG: "C" });

/** The hostile probes, each with what `runProbeScript` must report. */
interface HostileProbe {
  body: string;
  expectRun(run: ProbeRun): void;
}

const HOSTILE: Record<string, HostileProbe> = {
  "10 MB of output": {
    body: "head -c 10485760 /dev/zero | tr '\\0' 'a'",
    expectRun: (run) => {
      expect(run.truncated).toBe(true);
      expect(run.timedOut).toBe(false);
      expect(Buffer.byteLength(run.stdout)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    },
  },
  "endless output": {
    body: "yes 'all work and no play'",
    expectRun: (run) => {
      expect(run.truncated).toBe(true);
      expect(Buffer.byteLength(run.stdout)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
      expect(run.durationMs).toBeLessThan(DEADLINE_MS);
    },
  },
  "no output at all": {
    body: "exit 0",
    expectRun: (run) => expect(run).toMatchObject({ exitCode: 0, stdout: "", truncated: false, timedOut: false }),
  },
  "binary output": {
    body: "printf '\\000\\001\\377\\376\\033[31m\\r\\n'; head -c 4096 /dev/urandom",
    expectRun: (run) => expect(run).toMatchObject({ exitCode: 0, truncated: false, timedOut: false }),
  },
  "valid JSON of the wrong shape": {
    body: `echo '{"rate_limit":"full","credits":[1,2,3],"five_hour":"soon","extra_usage":7}'`,
    expectRun: (run) => expect(run.exitCode).toBe(0),
  },
  "a JSON array": {
    body: "echo '[1,2,3]'",
    expectRun: (run) => expect(run.exitCode).toBe(0),
  },
  "an exit code with no envelope": {
    body: "echo 'Segmentation fault' >&2; exit 3",
    expectRun: (run) => expect(run).toMatchObject({ exitCode: 3, stdout: "" }),
  },
  "an exit code with half an envelope": {
    body: `printf '{"ok":false,"error":"netw'; exit 10`,
    expectRun: (run) => expect(run.exitCode).toBe(10),
  },
  "exit 0 with an error body": {
    body: `echo '{"ok":false,"error":"http_error","hint":"Try again in a few minutes.","http_status":500}'; exit 0`,
    expectRun: (run) => expect(run.exitCode).toBe(0),
  },
  "an envelope with a 10 KB hint": {
    body: `printf '{"ok":false,"error":"http_error","hint":"%s"}\\n' "$(head -c 10240 /dev/zero | tr '\\0' 'h')"; exit 11`,
    expectRun: (run) => expect(run.exitCode).toBe(11),
  },
  "10 MB on stderr, then nothing": {
    body: "head -c 10485760 /dev/zero >&2; exit 16",
    expectRun: (run) => expect(run).toMatchObject({ exitCode: 16, stdout: "", timedOut: false }),
  },
  "killed by a signal": {
    body: "kill -SEGV $$",
    expectRun: (run) => expect(run).toMatchObject({ exitCode: null, timedOut: false }),
  },
  "a hang in the foreground": {
    body: 'echo $$ >> "$PIDS"; sleep 1000',
    expectRun: (run) => expect(run).toMatchObject({ exitCode: null, timedOut: true }),
  },
  "a hang that ignores SIGTERM and SIGINT": {
    body: `trap '' TERM INT HUP; echo $$ >> "$PIDS"; while :; do sleep 0.05; done`,
    expectRun: (run) => expect(run).toMatchObject({ exitCode: null, timedOut: true }),
  },
  "a child and a grandchild that hold stdout": {
    body: [
      'echo $$ >> "$PIDS"',
      'sleep 1000 & echo $! >> "$PIDS"',
      '( sleep 1000 & echo $! >> "$PIDS"; wait ) & echo $! >> "$PIDS"',
      "echo partial",
      "wait",
    ].join("\n"),
    expectRun: (run) => expect(run).toMatchObject({ exitCode: null, timedOut: true }),
  },
};

const missingScript = path.join(os.tmpdir(), "agent-limits-no-such-probe.sh");

interface Observed {
  run: ProbeRun;
  elapsed: number;
  pids: string;
}

/** Runs every hostile probe once, side by side, so the hung ones cost one deadline in all. */
async function observeAll(): Promise<Record<string, Observed>> {
  const entries = await Promise.all(
    Object.entries(HOSTILE).map(async ([name, hostile]) => {
      const { script, pids } = probe(hostile.body);
      const started = Date.now();
      const run = await runProbeScript(script, env(), DEADLINE_MS);
      return [name, { run, elapsed: Date.now() - started, pids }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

describe("runProbeScript with hostile probes", () => {
  let observed: Record<string, Observed>;
  beforeAll(async () => {
    observed = await observeAll();
  });

  test.each(Object.keys(HOSTILE))(
    "%s: reported, bounded, ended by the deadline, nothing left running",
    async (name) => {
      const { run, elapsed, pids } = observed[name];
      HOSTILE[name].expectRun(run);
      expect(elapsed).toBeLessThan(DEADLINE_MS + KILL_SLACK_MS);
      expect(Buffer.byteLength(run.stdout)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
      await expectAllGone(recordedPids(pids));
    },
  );

  test("the whole process group dies at the deadline: probe, child and grandchild", async () => {
    const { run, elapsed, pids } = observed["a child and a grandchild that hold stdout"];
    expect(run.timedOut).toBe(true);
    expect(run.stdout).toBe("partial\n");
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(elapsed).toBeLessThan(DEADLINE_MS + KILL_SLACK_MS);
    const recorded = recordedPids(pids);
    expect(recorded).toHaveLength(4);
    await expectAllGone(recorded);
  });

  test("a background child left behind by a probe that already answered is ended, the answer kept", async () => {
    const { script, pids } = probe(
      'sleep 1000 & echo $! >> "$PIDS"\necho \'{"rate_limit":null,"credits":null}\'\nexit 0',
    );
    const run = await runProbeScript(script, env(), DEADLINE_MS);
    expect(run).toMatchObject({ exitCode: 0, timedOut: false, stdout: '{"rate_limit":null,"credits":null}\n' });
    expect(run.durationMs).toBeLessThan(DEADLINE_MS);
    await expectAllGone(recordedPids(pids));
  });

  test("a descendant that escapes the process group and holds stdout cannot hold the refresh", async () => {
    // `setsid` moves the child into a new session, out of reach of the group kill; it keeps stdout open.
    const { script, pids } = probe(
      `perl -e 'use POSIX qw(setsid); setsid(); open(my $f, ">>", $ARGV[0]); print $f "$$\\n"; close $f; exec "sleep", "1000"' "$PIDS" &\nwait`,
    );
    const started = Date.now();
    const run = await runProbeScript(script, env(), DEADLINE_MS);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + KILL_SLACK_MS);
    expect(run.timedOut).toBe(true);
    expect(recordedPids(pids)).toHaveLength(1); // still alive: ended in afterAll, by its id
  });

  test("a probe script that does not exist is a failed run, not a crash", async () => {
    const run = await runProbeScript(missingScript, env(), DEADLINE_MS);
    expect(run.exitCode).toBe(127);
    expect(run.stdout).toBe("");
  });
});

/** A LocalStorage stand-in per case, so the cases can run side by side. */
function memoryStore() {
  const map = new Map<string, string | number | boolean>();
  return {
    map,
    getItem: async <T extends string | number | boolean>(key: string) => map.get(key) as T | undefined,
    setItem: async (key: string, value: string | number | boolean) => void map.set(key, value),
    removeItem: async (key: string) => void map.delete(key),
  };
}

describe("the refresh path with hostile probes keeps the last good balance", () => {
  const lastGood: CreditReading = {
    balance: { kind: "money", money: { amount: 37.15, currency: "EUR" } },
    usable: true,
    limit: { amount: 50, currency: "EUR" },
    updatedAt: NOW - HOUR,
  };
  const cases: [string, string | null][] = [
    ...Object.entries(HOSTILE).map(([name, hostile]): [string, string] => [name, hostile.body]),
    ["a script that does not exist", null],
  ];
  const results = new Map<
    string,
    { store: ReturnType<typeof memoryStore>; outcomes: RefreshOutcome[]; calls: SourceId[]; pids: string }
  >();

  beforeAll(async () => {
    await Promise.all(
      cases.map(async ([name, body]) => {
        const store = memoryStore();
        await saveSource(store, "claude", { ...EMPTY_SOURCE, credits: lastGood });
        const { script, pids } = body === null ? { script: missingScript, pids: "" } : probe(body);
        const calls: SourceId[] = [];
        const outcomes = await refreshSources(["claude"], {
          store,
          runProbe: (source) => {
            calls.push(source);
            return runProbeScript(script, env(), DEADLINE_MS);
          },
          ttlMs: TTL,
          now: () => NOW,
          trigger: "robustness",
        });
        results.set(name, { store, outcomes, calls, pids });
      }),
    );
  });

  beforeEach(() => jest.spyOn(Date, "now").mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  test.each(cases.map(([name]) => name))(
    "%s: stored error with a hint, balance kept, the menu says so",
    async (name) => {
      const { store, outcomes, calls, pids } = results.get(name)!;
      expect(calls).toEqual(["claude"]);
      expect(outcomes).toEqual([expect.objectContaining({ source: "claude", status: "failed" })]);

      const { stored, problem } = await loadSource(store, "claude");
      expect(problem).toBeUndefined();
      expect(stored.credits).toEqual(lastGood);
      expect(stored.lastError?.message).toMatch(/\S/);
      expect(stored.lastError?.hint).toMatch(/\S{3}/);
      expect(stored.lastError!.message.length).toBeLessThanOrEqual(300);
      expect(stored.lastError!.hint.length).toBeLessThanOrEqual(500);
      expect(stored.lastError?.at).toBe(NOW);

      const [entry] = await loadActivity(store);
      expect(entry).toMatchObject({
        source: "claude",
        trigger: "robustness",
        outcome: expect.stringMatching(/^failed: /),
      });

      // A relaunch reads what the refresh stored: the balance and the error with its hint.
      for (const [key, value] of store.map) mockControl.storage.set(key, value);
      const menu = await renderMenu({ codexHome: codexHomeWithCaps(), claudePlanType: "mixed" });
      expect(menu.section("claude").map((item) => item.props.title)).toContain("Credits: €37.15");
      const error = menu.item(/^Last refresh failed: /);
      expect(error.props.tooltip).toBe(stored.lastError?.hint);
      if (pids) await expectAllGone(recordedPids(pids));
    },
  );

  test.each([
    ["10 MB of output", "answer too large"],
    ["endless output", "answer too large"],
    ["a hang in the foreground", "timed out"],
    ["a child and a grandchild that hold stdout", "timed out"],
    ["no output at all", "Claude usage returned an empty body"],
    ["binary output", "Claude usage response is not JSON"],
    ["valid JSON of the wrong shape", "Claude usage response has an unexpected shape at five_hour: "],
    ["an exit code with no envelope", "probe failed (exit 3)"],
    ["an exit code with half an envelope", "provider unreachable"],
    ["exit 0 with an error body", "http error"],
    ["killed by a signal", "probe stopped unexpectedly"],
    ["a script that does not exist", "probe failed (exit 127)"],
  ])("%s is reported as %p", async (name, message) => {
    const { stored } = await loadSource(results.get(name)!.store, "claude");
    expect(stored.lastError?.message.startsWith(message)).toBe(true);
  });
});
