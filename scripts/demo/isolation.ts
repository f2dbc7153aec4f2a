/**
 * Keeps the demo inside its world: the product's preferences point at the world's folders, and
 * everything the demo starts (probes, the tap) gets the world's HOME and TMPDIR, the loopback
 * endpoints, no proxy, and none of the user's own tokens or overrides.
 */
import path from "node:path";
import { environment, mockControl } from "../../__tests__/support/raycast-api";
import type { DemoWorld } from "./world";

/** The user's own login token, folders, endpoint overrides and proxies. */
const USER_SETTINGS = /^(AGENT_LIMITS_|CLAUDE_CODE_|ANTHROPIC_|OPENAI_)|^(CODEX_HOME|CLAUDE_CONFIG_DIR)$|_proxy$/i;

export function isolateProcess(world: DemoWorld, endpointOverrides: Record<string, string>, repoRoot: string): void {
  for (const name of Object.keys(process.env)) {
    if (USER_SETTINGS.test(name)) delete process.env[name];
  }
  Object.assign(process.env, {
    HOME: world.home,
    TMPDIR: world.tmp,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    ...endpointOverrides,
  });
  environment.assetsPath = path.join(repoRoot, "assets");
  environment.supportPath = path.join(world.root, "raycast-support");
  mockControl.setPreferences({ codexHome: world.codexHome, claudeConfigDir: world.claudeDir, allowKeychain: false });
}

/**
 * Runs `work` with the clock set back: how the demo replays a Refresh Billing that ran hours ago.
 * Everything the product dates (fetch time, freshness, activity) reads `Date.now`.
 */
export async function atEarlierTime<T>(msAgo: number, work: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => realNow() - msAgo;
  try {
    return await work();
  } finally {
    Date.now = realNow;
  }
}
