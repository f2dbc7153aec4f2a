/**
 * Static checks of the probe scripts: valid bash, nothing beyond bash 3.2 (macOS's /bin/bash), and
 * none of the patterns that would leak a token or slip the deadline.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PROBES, REPO_ROOT } from "./harness";

function source(probe: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, "probes", probe), "utf8");
}

/** The script without comment lines, so the header may mention what the code must not do. */
function code(probe: string): string {
  return source(probe)
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n");
}

describe.each(PROBES)("%s", (probe) => {
  test("parses with bash -n", () => {
    expect(() => execFileSync("/bin/bash", ["-n", path.join(REPO_ROOT, "probes", probe)])).not.toThrow();
  });

  test("starts with a header documenting inputs, outputs and exit codes", () => {
    const text = source(probe);
    expect(text.startsWith("#!/bin/bash\n")).toBe(true);
    for (const word of ["Inputs", "Output", "exit", "AGENT_LIMITS_PROBE_TIMEOUT", "10", "17"]) {
      expect(text.slice(0, 4000)).toContain(word);
    }
    expect(code(probe)).toContain("set -u");
    expect(code(probe)).toContain("set -o pipefail");
    expect(code(probe)).toContain('PATH="/usr/bin:/bin:/usr/sbin:/sbin');
  });

  test("uses nothing newer than bash 3.2", () => {
    const body = code(probe);
    const bash4 = [
      /\b(declare|typeset|local)\s+-[a-zA-Z]*[An]/, // associative arrays, namerefs
      /\$\{[A-Za-z_][A-Za-z0-9_]*(,,?|\^\^?)\}/, // case modification
      /\b(mapfile|readarray|coproc)\b/,
      /&>>|\|&/,
      /\$\{[A-Za-z_][A-Za-z0-9_]*@[QEPAa]\}/, // ${var@Q}
      /\bwait\s+-n\b/,
    ];
    for (const pattern of bash4) expect(body).not.toMatch(pattern);
  });

  test("never traces, never puts a token in curl's arguments, never follows redirects", () => {
    const body = code(probe);
    expect(body).not.toMatch(/set\s+-[a-z]*x/);
    expect(body).not.toMatch(/-H\s+"Authorization/i);
    expect(body).not.toMatch(/\s(-L|--location)\b/);
    expect(body).toContain("-K -");
    expect(body).toContain("--max-time");
    expect(body).toContain("--connect-timeout");
  });

  test("hands the token only to builtins and shell functions", () => {
    // Each use of $TOKEN must be one of these; anything else could put it in an argv.
    const allowed = [
      /^\s*(if|elif) !? ?\[ -[nz] "\$TOKEN" \]; then$/,
      /^\s*case "\$hint" in \*"\$TOKEN"\*\) /,
      /^\s*local i=0 n=\$\{#TOKEN\}$/,
      /^\s*case "\$1" in \*"\$(TOKEN|\{TOKEN:\$i:12\})"\*\) return 0 ;; esac$/,
      /^\s*TOKEN=\$\(trim "\$TOKEN"\)$/,
      /^\s*(if ! )?is_header_safe "\$TOKEN"( \|\| fail .*|; then)$/,
      /^\s*printf 'header = "Authorization: Bearer %s"\\n' "\$TOKEN"$/,
    ];
    const uses = code(probe)
      .split("\n")
      .filter((line) => /\$\{?TOKEN\b/.test(line));
    expect(uses.length).toBeGreaterThanOrEqual(4);
    for (const line of uses)
      expect({ line, allowed: allowed.some((re) => re.test(line)) }).toEqual({ line, allowed: true });
  });
});
