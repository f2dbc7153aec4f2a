/**
 * The built extension ships assets/ only, so assets/probes/ must hold byte-identical copies of the
 * probes' source of truth in probes/ (SPEC §4).
 */
import fs from "node:fs";
import path from "node:path";
import { PROBES, REPO_ROOT } from "./harness";

const SHARED_START = "# ---- shared helpers: keep this block identical in both probes";
const SHARED_END = "# ---- end of shared helpers ----";

function read(...parts: string[]): Buffer {
  return fs.readFileSync(path.join(REPO_ROOT, ...parts));
}

function sharedBlock(probe: string): string {
  const text = read("probes", probe).toString("utf8");
  const start = text.indexOf(SHARED_START);
  const end = text.indexOf(SHARED_END);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return text.slice(start, end);
}

describe("shipped probe copies", () => {
  test.each(PROBES)("assets/probes/%s equals its source in probes/ byte for byte", (probe) => {
    const source = read("probes", probe);
    const shipped = read("assets", "probes", probe);
    expect(shipped.length).toBe(source.length);
    expect(shipped.equals(source)).toBe(true);
  });

  test("every probe in probes/ is shipped", () => {
    const sources = fs.readdirSync(path.join(REPO_ROOT, "probes")).filter((name) => name.endsWith(".sh"));
    expect(sources).toEqual(expect.arrayContaining([...PROBES]));
    const shipped = fs.readdirSync(path.join(REPO_ROOT, "assets", "probes"));
    for (const probe of sources) expect(shipped).toContain(probe);
  });

  test("both probes carry the same shared helper block", () => {
    const [codex, claude] = PROBES.map(sharedBlock);
    expect(codex.length).toBeGreaterThan(1000);
    expect(claude).toBe(codex);
  });
});
