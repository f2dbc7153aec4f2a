/**
 * The menu's first paint: the sources' inputs from the last load, kept in Raycast's Cache (a file in
 * the extension's support folder) so the menu shows at once while local files are read again. What
 * comes back is parsed like any other input; a value of another shape or version is dropped, never
 * painted, and the next load writes a good one.
 */
import { Cache } from "@raycast/api";
import { settingsOf, type Settings } from "../model/settings";
import { parseSourceInputs } from "../sources/inputs-schema";
import type { SourceInputs } from "../sources/state";

export const MENU_CACHE_NAMESPACE = "menu";
/** Bump the version when SourceInputs changes shape: old values are then simply never read. */
export const SOURCE_INPUTS_CACHE_KEY = "source-inputs-v1";
/** Two sources' inputs take a few KiB; a value this large was not written by this extension. */
const MAX_CACHED_CHARS = 256 * 1024;

let cache: Cache | undefined;
const menuCache = () => (cache ??= new Cache({ namespace: MENU_CACHE_NAMESPACE }));

function drop() {
  try {
    menuCache().remove(SOURCE_INPUTS_CACHE_KEY);
  } catch {
    // Nothing more to do: the next load overwrites it.
  }
}

/** The cached inputs read from the folders the settings name now, or null when there are none usable. */
export function readCachedInputs(settings: Settings): SourceInputs[] | null {
  let raw: unknown;
  try {
    raw = menuCache().get(SOURCE_INPUTS_CACHE_KEY);
  } catch {
    return null;
  }
  if (raw === undefined) return null;
  let json: unknown;
  try {
    if (typeof raw !== "string" || raw.length > MAX_CACHED_CHARS) throw new Error("not a cached value");
    json = JSON.parse(raw);
  } catch {
    drop();
    return null;
  }
  const { inputs, damaged } = parseSourceInputs(json);
  if (damaged) drop();
  const current = inputs.filter((input) => input.folder === settingsOf(settings, input.source).folder);
  return current.length > 0 ? current : null;
}

export function writeCachedInputs(inputs: readonly SourceInputs[]): void {
  try {
    // The local history is read again by every load; the first paint does without it.
    const text = JSON.stringify(inputs.map((input) => ({ ...input, history: undefined })));
    if (text.length > MAX_CACHED_CHARS) drop();
    // Most launches read what the last one cached; Raycast keeps its Cache on disk, so a set is a file write.
    else if (menuCache().get(SOURCE_INPUTS_CACHE_KEY) !== text) menuCache().set(SOURCE_INPUTS_CACHE_KEY, text);
  } catch {
    // A cache that cannot be written only costs the next launch its first paint.
  }
}
