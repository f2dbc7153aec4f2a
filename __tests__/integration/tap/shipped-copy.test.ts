/**
 * The built extension ships assets/ only, so assets/probes/ must hold a byte-identical copy of the
 * status-line tap, whose source of truth is probes/claude_statusline_tap.sh.
 */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../support/paths";

const TAP = "claude_statusline_tap.sh";

test("assets/probes/claude_statusline_tap.sh equals probes/claude_statusline_tap.sh byte for byte", () => {
  const source = fs.readFileSync(path.join(REPO_ROOT, "probes", TAP));
  const shipped = fs.readFileSync(path.join(REPO_ROOT, "assets", "probes", TAP));
  expect(shipped.length).toBe(source.length);
  expect(shipped.equals(source)).toBe(true);
});
