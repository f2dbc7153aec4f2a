import type { ProbeRun } from "../../src/billing/probe-runner";
import type { CapWindow, CapsSnapshot, CreditSnapshot, SourceSnapshot } from "../../src/model/types";
import { parseSettings, type RawPreferences, type Settings } from "../../src/model/settings";
import { SOURCES } from "../../src/sources/registry";

export const NOW = Date.parse("2026-11-28T12:00:00Z");
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function capWindow(overrides: Partial<CapWindow> = {}): CapWindow {
  return {
    id: "5h",
    label: "5h",
    usedPercent: 37,
    windowMinutes: 300,
    resetsAt: NOW + 2 * HOUR + 41 * MINUTE,
    ...overrides,
  };
}

export function weeklyWindow(overrides: Partial<CapWindow> = {}): CapWindow {
  return capWindow({
    id: "weekly",
    label: "Weekly",
    usedPercent: 61,
    windowMinutes: 10080,
    resetsAt: NOW + 76 * HOUR,
    ...overrides,
  });
}

export function caps(windows: CapWindow[], overrides: Partial<CapsSnapshot> = {}): CapsSnapshot {
  return { windows, capturedAt: NOW - 12 * MINUTE, origin: "codex-session-log", ...overrides };
}

export function credits(overrides: Partial<CreditSnapshot> = {}): CreditSnapshot {
  return {
    creditBalanceUSD: { amount: 12.3, currency: "USD" },
    unlimited: false,
    usable: true,
    limit: null,
    creditUpdatedAt: NOW - HOUR,
    creditRefreshAt: NOW + 5 * HOUR,
    creditTTL: 6 * HOUR,
    ...overrides,
  };
}

export function snapshot(overrides: Partial<SourceSnapshot> = {}): SourceSnapshot {
  return { source: "codex", caps: null, credits: null, ...overrides };
}

export function settings(raw: RawPreferences = {}): Settings {
  return parseSettings(raw, SOURCES, { env: {}, homedir: "/Users/test" });
}

/** A probe run as the runner reports it: exit 0 with nothing printed unless overridden. */
export function probeRun(overrides: Partial<ProbeRun> = {}): ProbeRun {
  return { exitCode: 0, stdout: "", timedOut: false, truncated: false, durationMs: 120, ...overrides };
}

/** The SPEC §4 error envelope a probe prints on failure. */
export function probeEnvelope(error: string, hint = "What to do next.", extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ ok: false, error, hint, ...extra })}\n`;
}
