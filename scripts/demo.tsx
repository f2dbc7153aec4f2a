/**
 * `npm run demo [-- --scenario NAME] [--keep] [--help]`
 *
 * The whole product in one command, on any machine with Node: builds a throwaway world (a Codex
 * home with a few days of session logs, a Claude Code folder with the status-line tap's file, fake
 * logins) from the files under `demo/`, prints the menu bar, runs Refresh Billing for real (the
 * shipped probes against loopback servers playing the providers), then prints the menu and the
 * Billing Details view, and removes the world. It renders the extension's own commands with the
 * `@raycast/api` stand-in the tests use; LocalStorage is the stand-in's, in memory. Nothing reads
 * the user's folders or tokens, and nothing leaves 127.0.0.1.
 */
import "./raycast-runtime";
import path from "node:path";
import { parseArgs } from "node:util";
import type { LaunchProps } from "@raycast/api";
import { mockControl, shownAlerts, shownToasts } from "../__tests__/support/raycast-api";
import { render } from "../__tests__/support/render";
import BillingCommand from "../src/billing";
import { HOUR_MS } from "../src/model/time";
import MenuBarCommand from "../src/menu-bar";
import RefreshBillingCommand from "../src/refresh-billing";
import { SOURCE_IDS } from "../src/sources/registry";
import { atEarlierTime, isolateProcess } from "./demo/isolation";
import { startLoopbackProvider, type Answers, type LoopbackProvider } from "./demo/provider";
import { missingPrerequisites } from "./demo/prerequisites";
import { alertText, heading, requestsText, toastText } from "./demo/report";
import { DEFAULT_SCENARIO, findScenario, SCENARIOS, type Scenario } from "./demo/scenarios";
import { billingToText } from "./demo/text-billing";
import { buildWorld, createWorldFolder, removeWorld, worldListing, type DemoWorld } from "./demo/world";
import { menuToText } from "./text-menu";

const REPO_ROOT = path.resolve(__dirname, "..");

const print = (...lines: string[]) => console.log(lines.join("\n"));

function helpText(): string {
  const widest = Math.max(...SCENARIOS.map((scenario) => scenario.name.length));
  return [
    "Usage: npm run demo [-- --scenario NAME] [--keep]",
    "",
    "Shows the whole product on a throwaway demo world: the menu bar, a real Refresh Billing",
    "(the shipped probes against loopback servers), the menu again and Billing Details.",
    "Touches no real folder, token or network; the world is removed at the end.",
    "",
    "Options:",
    "  --scenario NAME  which story to tell (default: happy)",
    "  --keep           keep the demo world and print its path",
    "  --help           show this help",
    "",
    "Scenarios:",
    ...SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(widest)}  ${scenario.summary}`),
  ].join("\n");
}

/** What must be undone whatever happens: the world folder and the servers. */
interface Resources {
  root?: string;
  provider?: LoopbackProvider;
  keep: boolean;
  /** Set by the first release; every later caller waits for the same one. */
  released?: Promise<void>;
}

function release(resources: Resources): Promise<void> {
  resources.released ??= (async () => {
    await resources.provider?.close();
    if (resources.root && !resources.keep) await removeWorld(resources.root);
  })();
  return resources.released;
}

async function printMenu(title: string) {
  print(heading(title));
  const view = await render(<MenuBarCommand />);
  print(menuToText(view.root()));
  await view.unmount();
}

/** Launched as from Raycast's search: no launch context. */
const searchLaunch = {} as LaunchProps;

/** Launches the Refresh Billing command as Raycast's search would, and returns what it showed. */
async function refreshBilling(provider: LoopbackProvider, answers: Answers) {
  const [alertsBefore, toastsBefore] = [shownAlerts.length, shownToasts.length];
  await provider.script(answers, Date.now());
  await RefreshBillingCommand(searchLaunch);
  return { alert: shownAlerts[alertsBefore], toasts: shownToasts.slice(toastsBefore) };
}

async function printRefresh(title: string, world: DemoWorld, provider: LoopbackProvider, answers: Answers) {
  print(heading(title));
  const { alert, toasts } = await refreshBilling(provider, answers);
  print(
    ...alertText(alert),
    ...requestsText(provider.takeRequests(world.bearerTokens), provider.endpoints()),
    ...toastText(toasts),
  );
}

async function printIntro(scenario: Scenario, world: DemoWorld, provider: LoopbackProvider) {
  print(
    `Agent Limits demo · scenario “${scenario.name}”: ${scenario.summary}`,
    "",
    `Demo world: ${world.root}`,
    ...(await worldListing(world)).map((file) => `  ${file}`),
    "Loopback providers (the probes reach them through the SPEC §4 endpoint overrides):",
    ...provider.endpoints().map(({ source, url }) => `  ${source.padEnd(7)} ${url}`),
  );
}

async function replayEarlierRefresh(scenario: Scenario, world: DemoWorld, provider: LoopbackProvider) {
  if (!scenario.earlier) return;
  const { hoursAgo, answers } = scenario.earlier;
  const { toasts } = await atEarlierTime(hoursAgo * HOUR_MS, () => refreshBilling(provider, answers));
  provider.takeRequests(world.bearerTokens);
  print(
    `Earlier: Refresh Billing ran ${hoursAgo} hours ago (replayed with the clock set back):`,
    ...toastText(toasts).map((line) => `  ${line}`),
  );
}

async function runScenario(scenario: Scenario, resources: Resources) {
  const now = Date.now();
  resources.root = await createWorldFolder();
  const world = await buildWorld(resources.root, scenario.name, now);
  const provider = await startLoopbackProvider(SOURCE_IDS);
  resources.provider = provider;
  isolateProcess(world, provider.overrides(), REPO_ROOT);
  mockControl.answerAlerts(true);

  await printIntro(scenario, world, provider);
  await replayEarlierRefresh(scenario, world, provider);
  await printMenu("1. The menu bar, from local files only (no network, no process)");
  for (const [index, answers] of scenario.refreshes.entries()) {
    const title =
      index === 0 ? "2. Refresh Billing (confirmed, then the probes run)" : "2b. Refresh Billing again, right away";
    await printRefresh(title, world, provider, answers);
  }
  await printMenu("3. The menu bar after the refresh");
  print(heading("4. Billing Details"));
  const billing = await render(<BillingCommand {...searchLaunch} />);
  print(await billingToText(billing.root()));
  await billing.unmount();
}

function closingLines({ root, keep }: Resources): string[] {
  if (!root) return [];
  if (!keep) return ["", `Demo world removed: ${root}`];
  return [
    "",
    `Demo world kept: ${root}`,
    `  npm run preview -- --codex-home '${path.join(root, "codex")}' --claude-config-dir '${path.join(root, "claude")}'`,
    `  rm -rf '${root}'`,
  ];
}

function parseOptions() {
  try {
    const { values } = parseArgs({
      options: {
        scenario: { type: "string", default: DEFAULT_SCENARIO },
        keep: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
    return values;
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

async function main(): Promise<number> {
  const options = parseOptions();
  if ("problem" in options) {
    console.error(`${options.problem}\n\n${helpText()}`);
    return 2;
  }
  if (options.help) {
    print(helpText());
    return 0;
  }
  const scenario = findScenario(options.scenario);
  if (!scenario) {
    console.error(`Unknown scenario “${options.scenario}”.\n\n${helpText()}`);
    return 2;
  }
  const missing = missingPrerequisites();
  if (missing) {
    console.error(missing);
    return 1;
  }
  const resources: Resources = { keep: options.keep };
  const stop = (code: number, why?: string) => {
    if (why) console.error(`\nDemo stopped (${why}); cleaning up.`);
    void release(resources).finally(() => process.exit(code));
  };
  process.once("SIGINT", () => stop(130, "SIGINT"));
  process.once("SIGTERM", () => stop(143, "SIGTERM"));
  process.once("SIGHUP", () => stop(129, "SIGHUP"));
  // `npm run demo | head` closes the pipe early: stop quietly, but still clean up.
  process.stdout.on("error", () => stop(0));
  try {
    await runScenario(scenario, resources);
  } finally {
    await release(resources);
    print(...closingLines(resources));
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
