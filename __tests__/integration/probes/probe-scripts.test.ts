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

/** The leading comment block: what the probe documents about itself. */
function header(probe: string): string {
  const lines = source(probe).split("\n");
  const end = lines.findIndex((line) => !line.startsWith("#"));
  return lines.slice(0, end).join("\n");
}

/** The curl command line, with its continuation lines. */
function curlCommand(probe: string): string {
  const body = code(probe);
  const start = body.indexOf("exec curl ");
  expect(start).toBeGreaterThan(0);
  const end = body.indexOf("\n", body.indexOf('>"$TMP_DIR/meta"', start));
  return body.slice(start, end);
}

/** The script without comment lines, so the header may mention what the code must not do. */
function code(probe: string): string {
  return source(probe)
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n");
}

describe.each(PROBES)("%s", (probe) => {
  test("parses with bash -n (and with PROBE_TEST_BASH, e.g. a bash 3.2 build, when set)", () => {
    for (const bash of ["/bin/bash", ...(process.env.PROBE_TEST_BASH ? [process.env.PROBE_TEST_BASH] : [])]) {
      expect(() => execFileSync(bash, ["-n", path.join(REPO_ROOT, "probes", probe)])).not.toThrow();
    }
  });

  test("starts with a header documenting inputs, outputs and exit codes", () => {
    const text = source(probe);
    expect(text.startsWith("#!/bin/bash\n")).toBe(true);
    for (const word of [
      "Inputs",
      "Output",
      "exit",
      "AGENT_LIMITS_PROBE_TIMEOUT",
      "AGENT_LIMITS_WORK_DIR",
      "10",
      "15",
      "17",
    ]) {
      expect(header(probe)).toContain(word);
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

  test("never traces, never puts a token in curl's arguments, never follows redirects, caps the body", () => {
    const body = code(probe);
    expect(body).not.toMatch(/set\s+-[a-z]*x/);
    expect(body).not.toMatch(/-H\s+"Authorization/i);
    expect(body).toContain("exec 2>/dev/null");
    const curl = curlCommand(probe);
    expect(curl).toMatch(/^exec curl -q /); // -q first: ~/.curlrc is not read
    expect(curl).not.toMatch(/\s(-L|--location)\b/);
    for (const flag of ["-K -", "--max-time", "--connect-timeout", '--proto "$CURL_PROTOCOLS"', "--max-filesize"]) {
      expect(curl).toContain(flag);
    }
  });

  test("hands the token only to builtins and shell functions", () => {
    // Each use of $TOKEN must be one of these; anything else could put it in an argv.
    const allowed = [
      /^\s*(if|elif) !? ?\[ -[nz] "\$TOKEN" \]; then$/,
      /^\s*case "\$hint" in \*"\$TOKEN"\*\) /,
      /^\s*local i=0 n=\$\{#TOKEN\}$/,
      /^\s*case "\$1" in \*"\$(TOKEN|\{TOKEN:\$i:12\})"\*\) return 0 ;; esac$/,
      /^\s*trim "\$TOKEN"$/,
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

  test("hands the login JSON (which holds the token) only to builtins, or to a JSON reader through a pipe", () => {
    const allowed = [
      /^\s*(ptype|v)=\$\(printf '%s' "\$JSON_TEXT" \| (plutil|jq|python3) /,
      /^\s*local text="\$JSON_TEXT" /,
      /^\s*case "\$JSON_TEXT" in /,
      /^\s*if \[ -n "\$JSON_TEXT" \] && read_credentials; then /,
    ];
    const uses = code(probe)
      .split("\n")
      .filter((line) => /\$\{?JSON_TEXT\b/.test(line));
    expect(uses.length).toBeGreaterThanOrEqual(4);
    for (const line of uses)
      expect({ line, allowed: allowed.some((re) => re.test(line)) }).toEqual({ line, allowed: true });
  });
});
