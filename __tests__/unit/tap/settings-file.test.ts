/**
 * The settings.json editor on many generated shapes (seeded, so every run checks the same ones): setting
 * statusLine changes nothing else, the recorded undo edit gives the original bytes back, and so does the
 * structural restore used when the file changed since the install.
 */
import { parseTree } from "jsonc-parser/lib/esm/main.js";
import {
  applyEdit,
  changesOnlyStatusLine,
  differenceEdit,
  statusLineText,
  withStatusLine,
  withStatusLineText,
  type SettingsDocument,
} from "../../../src/tap/settings-file";

/** A small linear congruential generator: the same shapes on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  return { next, pick };
}

type Generator = ReturnType<typeof generator>;

function randomValue(random: Generator, depth: number): unknown {
  const kind = random.next();
  if (depth > 2 || kind < 0.4) return random.pick([1, -0.5, "s", 'q"\\', null, true, "é🚀\u2028", 1e21]);
  const length = Math.floor(random.next() * 3);
  if (kind < 0.7) return Array.from({ length }, () => randomValue(random, depth + 1));
  return Object.fromEntries(Array.from({ length }, (_, index) => [`k${index}`, randomValue(random, depth + 1)]));
}

const STATUS_LINES = [
  { type: "command", command: "x", padding: 1 },
  "echo",
  null,
  [1],
  { type: "command", command: "y" },
];

/** Settings with a few members, statusLine somewhere or nowhere, in one of many spellings. */
function randomSettingsText(random: Generator): { text: string; hasStatusLine: boolean } {
  const object: Record<string, unknown> = {};
  const members = Math.floor(random.next() * 4);
  const statusLineAt = Math.floor(random.next() * (members + 2));
  for (let index = 0; index <= members; index++) {
    if (index === statusLineAt) object.statusLine = random.pick(STATUS_LINES);
    if (index < members) object[`key${index}`] = randomValue(random, 0);
  }
  let text = JSON.stringify(object, null, random.pick<string | number | undefined>([0, 1, 2, 4, "\t", undefined]));
  if (random.next() < 0.3) text = text.replace(/\n/g, "\r\n");
  if (random.next() < 0.3) text += "\n";
  if (random.next() < 0.2) text = text.replace(/": /g, '" : ');
  if (random.next() < 0.1) text = `\uFEFF${text}`;
  return { text, hasStatusLine: "statusLine" in object };
}

function documentOf(text: string): SettingsDocument {
  const body = text.replace(/^\uFEFF/, "");
  return { exists: true, text, object: JSON.parse(body), root: parseTree(body) ?? null };
}

const TAP = { type: "command", command: "/bin/bash '/Users/al/.claude/agent-limits/claude_statusline_tap.sh'" };

test.each([1, 2, 3, 4, 5])("seed %i: 300 shapes round-trip byte for byte", (seed) => {
  const random = generator(seed);
  for (let round = 0; round < 300; round++) {
    const { text, hasStatusLine } = randomSettingsText(random);
    const original = documentOf(text);
    const before = original.object.statusLine;
    const after = { ...(typeof before === "object" && before && !Array.isArray(before) ? before : {}), ...TAP };
    const installed = withStatusLine(original, after);
    expect({ text, ok: changesOnlyStatusLine(original.object, installed, after) }).toEqual({ text, ok: true });
    expect(applyEdit(installed, differenceEdit(installed, text))).toBe(text);
    const restored = hasStatusLine
      ? withStatusLineText(documentOf(installed), statusLineText(original)!)
      : withStatusLine(documentOf(installed), undefined);
    expect({ installed, restored }).toEqual({ installed, restored: text });
  }
});

test("differenceEdit is the smallest single edit, surrogate pairs included", () => {
  expect(differenceEdit('{"a": 1}', '{"a": 2}')).toEqual({ offset: 6, length: 1, content: "2" });
  expect(differenceEdit("a😀b", "a😁b")).toEqual({ offset: 2, length: 1, content: "\ude01" });
  expect(applyEdit("a😀b", differenceEdit("a😀b", "a😁b"))).toBe("a😁b");
  expect(differenceEdit("same", "same")).toEqual({ offset: 4, length: 0, content: "" });
});
