/**
 * The demo's stories. Each one is the same world (`demo/world/`, with the files of
 * `demo/scenarios/<name>/` in place of the base ones), what the providers answered at an earlier
 * Refresh Billing (replayed with the clock set back), and what they answer now.
 */
import type { Answer, Answers } from "./provider";

const json = (file: string, status = 200, headers?: Record<string, string>): Answer => ({ file, status, headers });

const CODEX_OK = json("codex-usage.json");
const CLAUDE_OK = json("claude-usage.json");
const HAPPY: Answers = { codex: CODEX_OK, claude: CLAUDE_OK };

export interface Scenario {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** A Refresh Billing that ran this many hours ago, with these answers. */
  earlier?: { hoursAgo: number; answers: Answers };
  /** The refreshes the demo runs, one after the other. */
  refreshes: Answers[];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "happy",
    summary: "the normal path: caps from local files, then both balances fetched (default)",
    refreshes: [HAPPY],
  },
  {
    name: "exhausted",
    summary: "Codex's weekly cap is used up and credits pay for the work: the limit is reached, credits bind",
    refreshes: [{ codex: json("codex-usage-exhausted.json"), claude: CLAUDE_OK }],
  },
  {
    name: "stale",
    summary: "the balances were fetched 9 hours ago, past the 6-hour freshness: Stale lines",
    earlier: { hoursAgo: 9, answers: { codex: CODEX_OK, claude: json("claude-usage-earlier.json") } },
    refreshes: [HAPPY],
  },
  {
    name: "failed",
    summary: "Claude's login is rejected (401): the refresh fails and keeps the last good balance",
    earlier: { hoursAgo: 2, answers: { codex: CODEX_OK, claude: json("claude-usage-earlier.json") } },
    refreshes: [{ codex: CODEX_OK, claude: json("claude-401-expired.json", 401) }],
  },
  {
    name: "rate-limited",
    summary: "Claude answers 429 with Retry-After: the next refresh skips Claude until the cool-down ends",
    earlier: { hoursAgo: 3, answers: { codex: CODEX_OK, claude: json("claude-usage-earlier.json") } },
    refreshes: [{ codex: CODEX_OK, claude: json("claude-429.json", 429, { "retry-after": "600" }) }, HAPPY],
  },
];

export const DEFAULT_SCENARIO = "happy";

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
