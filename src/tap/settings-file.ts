/**
 * Claude Code's settings.json: read it safely, and change its `statusLine` member and nothing else.
 *
 * Only files that a strict JSON parser accepts are edited. Claude Code itself rejects a settings.json with
 * comments or trailing commas ("Invalid or malformed JSON", the whole file ignored: anthropics/claude-code
 * #83190), so editing such a file would not make the tap run, and a JSONC parser could read it differently
 * from Claude Code. A file with a top-level key twice is refused too: parsers disagree on which one wins.
 * Those files are left alone, and the caller tells the user to edit statusLine by hand.
 *
 * Edits go through jsonc-parser (`modify`, `applyEdits`) on the parse tree's offsets, in the file's own
 * indentation and line ends, so every byte outside `statusLine` stays as it was. Its ES module build is
 * imported: the package's `main` is a UMD wrapper whose inner `require`s a bundler cannot follow, so a
 * bundle built from it fails at load with "Cannot find module './impl/format'" (microsoft/node-jsonc-parser#57).
 */
import { isDeepStrictEqual } from "util";
import {
  applyEdits,
  findNodeAtLocation,
  modify,
  parseTree,
  type Edit,
  type FormattingOptions,
  type Node,
  type ParseError,
} from "jsonc-parser/lib/esm/main.js";
import { decodeUtf8, describeReadFailure, readRegularFile } from "./bounded-read";
import { isPlainObject, MAX_SETTINGS_BYTES, STATUS_LINE_KEY, type JsonObject } from "./settings-json";

const BOM = "\uFEFF";

export interface SettingsDocument {
  exists: boolean;
  /** The file's exact text, byte-order mark included; empty when there is no file. */
  text: string;
  /** The parsed object (JSON.parse semantics, so `__proto__` is a plain key); {} for a blank file. */
  object: JsonObject;
  /** The parse tree of the text after any byte-order mark; null for a blank file. */
  root: Node | null;
}

/** `unreadable`: the file could not be read at all (vs. read, but not JSON the tap can edit). */
export type SettingsRead = { ok: true; doc: SettingsDocument } | { ok: false; problem: string; unreadable: boolean };

type Parsed = { ok: true; object: JsonObject; root: Node | null } | { ok: false; problem: string };

function bomOf(text: string): string {
  return text.startsWith(BOM) ? BOM : "";
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

function duplicateKey(root: Node): string | null {
  const seen = new Set<string>();
  for (const member of root.children ?? []) {
    const key = String(member.children?.[0]?.value);
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return null;
}

function parseSettingsText(text: string): Parsed {
  const body = text.slice(bomOf(text).length);
  if (/^[ \t\r\n]*$/.test(body)) return { ok: true, object: {}, root: null };
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || !root) {
    const line = errors.length > 0 ? ` (line ${lineAt(body, errors[0].offset)})` : "";
    return { ok: false, problem: `settings.json is not plain JSON${line}` };
  }
  let object: unknown;
  try {
    object = JSON.parse(body);
  } catch {
    return { ok: false, problem: "settings.json is not plain JSON" };
  }
  if (root.type !== "object" || !isPlainObject(object)) {
    return { ok: false, problem: "settings.json does not hold a JSON object" };
  }
  const duplicate = duplicateKey(root);
  if (duplicate !== null) {
    return { ok: false, problem: `settings.json has the top-level key ${JSON.stringify(duplicate)} more than once` };
  }
  return { ok: true, object, root };
}

/** Reads settings.json (a missing file is an empty one). Never throws, never hangs. */
export async function readSettings(settingsPath: string): Promise<SettingsRead> {
  const read = await readRegularFile(settingsPath, MAX_SETTINGS_BYTES);
  if (!read.ok && read.reason !== "missing") {
    return { ok: false, problem: describeReadFailure("settings.json", read, MAX_SETTINGS_BYTES), unreadable: true };
  }
  const text = read.ok ? decodeUtf8(read.bytes) : "";
  // Writing back decoded text would turn invalid bytes elsewhere in the file into U+FFFD.
  if (text === null) return { ok: false, problem: "settings.json is not valid UTF-8", unreadable: false };
  const parsed = parseSettingsText(text);
  if (!parsed.ok) return { ok: false, problem: parsed.problem, unreadable: false };
  return { ok: true, doc: { exists: read.ok, text, object: parsed.object, root: parsed.root } };
}

export function hasStatusLine(doc: SettingsDocument): boolean {
  return Object.prototype.hasOwnProperty.call(doc.object, STATUS_LINE_KEY);
}

function statusLineNode(doc: SettingsDocument): Node | undefined {
  return doc.root ? findNodeAtLocation(doc.root, [STATUS_LINE_KEY]) : undefined;
}

/** The exact source text of the statusLine value, if there is one. */
export function statusLineText(doc: SettingsDocument): string | undefined {
  const node = statusLineNode(doc);
  if (!node) return undefined;
  const offset = bomOf(doc.text).length + node.offset;
  return doc.text.slice(offset, offset + node.length);
}

export function memberCount(doc: SettingsDocument): number {
  return doc.root?.children?.length ?? 0;
}

interface Style {
  /** One line (`{"a":1}`): new values are written compact too. */
  compact: boolean;
  formatting: FormattingOptions;
  /** What the file puts between a key and its value, e.g. `: ` or `:`. */
  separator: string;
}

function styleOf(body: string, root: Node | null): Style {
  const eol = body.includes("\r\n") ? "\r\n" : "\n";
  const first = root?.children?.[0];
  const [key, value] = first?.children ?? [];
  if (!root || !key || !value)
    return { compact: false, formatting: { insertSpaces: true, tabSize: 2, eol }, separator: ": " };
  const separator = body.slice(key.offset + key.length, value.offset);
  const gap = body.slice(root.offset + 1, key.offset);
  if (!gap.includes("\n")) return { compact: true, formatting: { eol }, separator };
  const indent = gap.slice(gap.lastIndexOf("\n") + 1);
  const tabs = indent.startsWith("\t");
  return { compact: false, formatting: { insertSpaces: !tabs, tabSize: tabs ? 1 : indent.length, eol }, separator };
}

function isOneLineContainer(body: string, node: Node): boolean {
  const text = body.slice(node.offset, node.offset + node.length);
  return (node.type === "object" || node.type === "array") && !text.includes("\n");
}

/**
 * Removes a member with the separators an insertion at the top would have added, so that a round trip
 * is exact. (jsonc-parser's own removal reformats the neighbouring member.)
 */
function removalEdit(root: Node, member: Node): Edit {
  const members = root.children ?? [];
  const index = members.indexOf(member);
  if (members.length === 1) return { offset: root.offset + 1, length: root.length - 2, content: "" };
  if (index < members.length - 1) {
    return { offset: member.offset, length: members[index + 1].offset - member.offset, content: "" };
  }
  const end = members[index - 1].offset + members[index - 1].length;
  return { offset: end, length: member.offset + member.length - end, content: "" };
}

/** The edits that set statusLine to value, or remove it when value is undefined. */
function statusLineEdits(body: string, root: Node, value: unknown): Edit[] {
  const style = styleOf(body, root);
  const path = [STATUS_LINE_KEY];
  const existing = findNodeAtLocation(root, path);
  if (value === undefined) return existing?.parent ? [removalEdit(root, existing.parent)] : [];
  if (!existing && style.compact) {
    // jsonc-parser inserts `"key": value`; a one-line file keeps its own spacing.
    const member = `${JSON.stringify(STATUS_LINE_KEY)}${style.separator}${JSON.stringify(value)}`;
    return [{ offset: root.offset + 1, length: 0, content: `${member}${root.children?.length ? "," : ""}` }];
  }
  const compact = style.compact || (existing !== undefined && isOneLineContainer(body, existing));
  return modify(body, path, value, {
    formattingOptions: compact ? undefined : style.formatting,
    getInsertionIndex: () => 0,
  });
}

/** The text with statusLine set to value (removed when undefined); every other byte is kept. */
export function withStatusLine(doc: SettingsDocument, value: unknown): string {
  const bom = bomOf(doc.text);
  const body = doc.text.slice(bom.length);
  if (!doc.root) {
    if (value === undefined) return doc.text;
    const style = styleOf(body, null);
    const created = applyEdits("{}", modify("{}", [STATUS_LINE_KEY], value, { formattingOptions: style.formatting }));
    return `${bom}${created}${style.formatting.eol}`;
  }
  return bom + applyEdits(body, statusLineEdits(body, doc.root, value));
}

/** The text with the statusLine value replaced by exactly `valueText` (a restore byte for byte). */
export function withStatusLineText(doc: SettingsDocument, valueText: string): string | null {
  const node = statusLineNode(doc);
  if (!node) return null;
  const offset = bomOf(doc.text).length + node.offset;
  return applyEdits(doc.text, [{ offset, length: node.length, content: valueText }]);
}

/** True when text is valid settings that differ from `before` in statusLine only, and statusLine is `value`. */
export function changesOnlyStatusLine(before: JsonObject, text: string, value: unknown): boolean {
  const parsed = parseSettingsText(text);
  if (!parsed.ok) return false;
  const after = parsed.object;
  const others = (object: JsonObject) => Object.keys(object).filter((key) => key !== STATUS_LINE_KEY);
  const keys = others(before);
  if (!isDeepStrictEqual(keys, others(after))) return false;
  if (!keys.every((key) => isDeepStrictEqual(before[key], after[key]))) return false;
  if (value === undefined) return !Object.prototype.hasOwnProperty.call(after, STATUS_LINE_KEY);
  return isDeepStrictEqual(after[STATUS_LINE_KEY], value);
}

/** The smallest single edit that turns `from` into `to`: kept to undo an install byte for byte. */
export function differenceEdit(from: string, to: string): Edit {
  let start = 0;
  while (start < from.length && start < to.length && from[start] === to[start]) start++;
  let end = 0;
  while (end < from.length - start && end < to.length - start && from.at(-1 - end) === to.at(-1 - end)) end++;
  return { offset: start, length: from.length - start - end, content: to.slice(start, to.length - end) };
}

export function applyEdit(text: string, edit: Edit): string {
  return applyEdits(text, [edit]);
}
