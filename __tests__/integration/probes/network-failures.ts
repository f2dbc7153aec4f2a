/**
 * The network failures both probes report alike (SPEC §4): a provider that never answers (12), one that
 * refuses or drops the connection (10), and an answer that cannot be saved (14).
 */
import { refusedUrl, type MockReply } from "../../support/mock-http-server";
import { expectFailure, type ProbeWorld, type Run } from "./harness";

interface NetworkRunOptions {
  reply?: MockReply;
  env?: Record<string, string>;
  url?: string;
}

export function describeNetworkFailures(
  probe: string,
  usagePath: string,
  world: ProbeWorld,
  run: (options: NetworkRunOptions) => Promise<Run>,
): void {
  describe(`${probe} probe: network`, () => {
    test("no answer within AGENT_LIMITS_PROBE_TIMEOUT → 12 timeout", async () => {
      const r = await run({ reply: { kind: "hang" }, env: { AGENT_LIMITS_PROBE_TIMEOUT: "2" } });
      expectFailure(r, 12, "timeout", undefined, /2 seconds/);
      expect(r.result.ms).toBeLessThan(6_000);
      expect(r.request).toBeDefined();
    }, 15_000);

    test("connection refused → 10 network", async () => {
      const r = await run({ url: await refusedUrl(usagePath) });
      expectFailure(r, 10, "network", undefined, /internet connection/);
    });

    test("socket closed without an answer → 10 network", async () => {
      const r = await run({ reply: { kind: "close" } });
      expectFailure(r, 10, "network", undefined);
      expect(r.request).toBeDefined();
    });

    test("an answer that cannot be saved → 14 temp_dir_unavailable, with the status that says it came", async () => {
      // A folder where curl writes the body: the request is made, the write fails (curl exit 23).
      const workDir = world.sandbox.dir("work");
      world.sandbox.dir("work/body");
      const r = await run({ env: { AGENT_LIMITS_WORK_DIR: workDir } });
      expectFailure(r, 14, "temp_dir_unavailable", 200, /Could not save the answer/);
      expect(r.request).toBeDefined();
    });
  });
}
