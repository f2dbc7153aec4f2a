import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeTempDir } from "./temp";

export interface TokenCountOptions {
  timestamp: number;
  primary?: { used_percent: number; window_minutes: number | null; resets_at: number | null } | null;
  secondary?: { used_percent: number; window_minutes: number | null; resets_at: number | null } | null;
  planType?: string;
  credits?: { has_credits: boolean; unlimited: boolean; balance: string | null } | null;
}

export function tokenCountLine(options: TokenCountOptions): string {
  return JSON.stringify({
    timestamp: new Date(options.timestamp).toISOString(),
    type: "event_msg",
    payload: {
      type: "token_count",
      info: null,
      rate_limits: {
        limit_id: "codex",
        primary: options.primary ?? null,
        secondary: options.secondary ?? null,
        credits: options.credits ?? null,
        plan_type: options.planType ?? null,
      },
    },
  });
}

/** A throwaway Codex home with one rollout file holding the given lines. */
export function makeCodexHome(lines: string[], day = new Date()): string {
  const home = makeTempDir("agent-limits-codex-");
  const [year, month, date] = [day.getFullYear(), day.getMonth() + 1, day.getDate()].map((n) =>
    String(n).padStart(2, "0"),
  );
  const folder = path.join(home, "sessions", year, month, date);
  mkdirSync(folder, { recursive: true });
  const file = path.join(
    folder,
    `rollout-${year}-${month}-${date}T10-00-00-019a1f3e-7c2d-7b41-9e0a-3f6d2c1b8a77.jsonl`,
  );
  writeFileSync(file, lines.map((line) => `${line}\n`).join(""));
  return home;
}
