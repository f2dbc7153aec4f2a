/**
 * A provider answer taken the whole way a user meets it: stored by the real refresh
 * (`applyProbeRun`), turned into the source's state, then into the menu (`buildMenuModel`) and the
 * billing view (`billingSummary`). Tests read what the user sees, not adapter output.
 */
import { readFileSync } from "node:fs";
import type { ProbeRun } from "../../src/billing/probe-runner";
import { applyProbeRun, type RefreshOutcome } from "../../src/billing/refresh";
import { EMPTY_SOURCE, type StoredSource } from "../../src/billing/storage";
import type { RawPreferences } from "../../src/model/settings";
import type { CapsSnapshot, SourceId } from "../../src/model/types";
import { buildSourceState, type SourceState } from "../../src/sources/state";
import { billingSummary, type BillingSummary } from "../../src/view/billing-model";
import { buildMenuModel, type MenuLine, type MenuModel } from "../../src/view/menu-model";
import { HOUR, settings } from "./builders";
import { fixturePath } from "./paths";

const TTL = 6 * HOUR;

/** A body from `fixtures/real/` (published by others) or `fixtures/synthetic/` (written here, marked as such). */
export function answerFixture(
  provenance: "real" | "synthetic",
  kind: "codex-usage" | "claude-usage" | "codex-sessions" | "claude-credentials",
  name: string,
): string {
  return readFileSync(fixturePath(provenance, kind, name), "utf8");
}

export interface Seen {
  outcome: RefreshOutcome;
  stored: StoredSource;
  state: SourceState;
  model: MenuModel;
  /** The menu-bar title. */
  title: string;
  /** The source's section, in order. */
  lines: MenuLine[];
  titles: string[];
  line(title: string | RegExp): MenuLine;
  billing: BillingSummary;
  rows: Record<string, string>;
}

interface Options {
  now: number;
  preferences?: RawPreferences;
  localCaps?: CapsSnapshot | null;
  localPlanName?: string;
  previous?: StoredSource;
  /** When the answer was fetched; `now` by default. */
  fetchedAt?: number;
}

/** What the menu and the billing view show after a refresh answered with this body. */
export function seeAnswer(source: SourceId, stdout: string, options: Options): Seen {
  const run: ProbeRun = { exitCode: 0, stdout, timedOut: false, truncated: false, durationMs: 5 };
  const fetchedAt = options.fetchedAt ?? options.now;
  const { next, outcome } = applyProbeRun(source, options.previous ?? EMPTY_SOURCE, run, fetchedAt, TTL);
  return see(source, next, options, outcome);
}

/** What the menu and the billing view show from local data and a stored record alone. */
export function seeState(source: SourceId, stored: StoredSource, options: Options): Seen {
  return see(source, stored, options, { source, status: "updated", warnings: [] });
}

function see(source: SourceId, stored: StoredSource, options: Options, outcome: RefreshOutcome): Seen {
  const current = settings(options.preferences);
  const state = buildSourceState(
    { source, localCaps: options.localCaps ?? null, localPlanName: options.localPlanName, stored },
    current,
    options.now,
  );
  const model = buildMenuModel([state], current, options.now);
  const lines = model.sections.find((section) => section.key === source)?.lines ?? [];
  const titles = lines.map((line) => line.title);
  const billing = billingSummary(state, current, options.now);
  return {
    outcome,
    stored,
    state,
    model,
    title: model.title,
    lines,
    titles,
    line: (title) => {
      const found = lines.find((line) => (typeof title === "string" ? line.title === title : title.test(line.title)));
      if (!found) throw new Error(`no line ${String(title)} in ${titles.join(" | ")}`);
      return found;
    },
    billing,
    rows: Object.fromEntries(billing.rows.map((row) => [row.label, row.value])),
  };
}
