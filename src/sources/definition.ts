import type { SourcePreferences, Settings } from "../model/settings";
import type { CapsSnapshot, MenuAction, SourceId, TapStatus } from "../model/types";

/**
 * The adapters of the providers' usage answers, by name. Only a refresh needs them, so a definition names
 * its adapter instead of holding it: the menu bar's bundle, which never refreshes, leaves them out.
 */
export type UsageAdapterName = "codex-usage" | "claude-usage";

/** Why a free, local caps reading is missing, and what the user can do about it. */
export interface LocalProblem {
  message: string;
  hint: string;
  action?: MenuAction;
}

/** What a source's local files say, read with no network and no process. */
export interface LocalReading {
  caps: CapsSnapshot | null;
  problem?: LocalProblem;
  /** Sources fed by the Claude status-line tap say whether it is installed. */
  tapStatus?: TapStatus;
  /** The plan id from a local file (Claude's credentials), when the caps do not carry one. */
  planName?: string;
  /** Worth knowing about the reading, though nothing failed (data ignored for a date in the future). */
  notice?: string;
}

/**
 * Everything the product knows about one source. The registry lists one per account; every
 * other module iterates the registry instead of naming a source.
 */
export interface SourceDefinition extends SourcePreferences {
  id: SourceId;
  /** Shown in the menu, the toasts and the billing view: `Codex`. */
  name: string;
  /** Who the refresh contacts, for the confirmation: `OpenAI`. */
  provider: string;
  dashboard: { title: string; url: string };
  /** The usage endpoint the probe calls, and the variable that overrides it (SPEC §4). */
  usageEndpoint: { url: string; variable: string };
  /** The probe's file name under `assets/probes/`. */
  probeScript: string;
  /** Which adapter turns the probe's stdout into caps and credits (`usage-adapters.ts`). */
  usageAdapter: UsageAdapterName;
  /** Caps from local files only: never the network, never a process. */
  readLocal(settings: Settings): Promise<LocalReading>;
  /** The login the refresh reads, in the confirmation's words. */
  describeLogin(settings: Settings): string;
  /** The source's caps can come from the Claude Code status-line tap, which the user may install. */
  statusLineTap?: boolean;
  /** The SPEC §4 inputs this source's probe needs, from the settings. */
  probeInputs(settings: Settings): Record<string, string>;
}
