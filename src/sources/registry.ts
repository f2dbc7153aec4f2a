/**
 * The sources Agent Limits shows, in menu order: one entry per account. A second Codex home would
 * be one more `codexSource({...})` entry here (with its own preferences), not new code.
 */
import type { SourceId } from "../model/types";
import { claudeSource } from "./claude/definition";
import { codexSource } from "./codex/definition";
import type { SourceDefinition } from "./definition";

export const SOURCES: readonly SourceDefinition[] = [
  codexSource({
    id: "codex",
    name: "Codex",
    planTypePreference: "codexPlanType",
    folderPreference: "codexHome",
    folderVariable: "CODEX_HOME",
    defaultFolderName: ".codex",
  }),
  claudeSource({
    id: "claude",
    name: "Claude",
    planTypePreference: "claudePlanType",
    folderPreference: "claudeConfigDir",
    folderVariable: "CLAUDE_CONFIG_DIR",
    defaultFolderName: ".claude",
  }),
];

export const SOURCE_IDS: readonly SourceId[] = SOURCES.map((source) => source.id);

export function isSourceId(value: unknown): value is SourceId {
  return typeof value === "string" && SOURCE_IDS.includes(value);
}

/** The registry entry of a source id. Ids come from the registry, so an unknown one is a bug. */
export function sourceDefinition(id: SourceId): SourceDefinition {
  const definition = SOURCES.find((source) => source.id === id);
  if (!definition) throw new Error(`Unknown source "${id}"`);
  return definition;
}

/** The display name of a source id; an id the registry no longer has (an old log entry) shows as is. */
export function sourceName(id: SourceId): string {
  return SOURCES.find((source) => source.id === id)?.name ?? id;
}
