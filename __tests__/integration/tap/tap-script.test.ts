/**
 * Runs the real probes/claude_statusline_tap.sh with bash (no shell in between) against recorded
 * Claude Code status-line inputs, alone and in front of a previous status-line command.
 */
import fs from "node:fs";
import path from "node:path";
import { BASE_PATH, input, mode, nowSeconds, TAP, TapSandbox } from "./tap-sandbox";

const FIXTURES = [
  "with-rate-limits.json",
  "without-rate-limits.json",
  "over-100.json",
  "only-five-hour.json",
  "pretty.json",
  "malformed-rate-limits.json",
  "garbage.txt",
  "empty.txt",
];

const EXPECTED_RATE_LIMITS: Record<string, unknown> = {
  "with-rate-limits.json": {
    five_hour: { used_percentage: 37, resets_at: 1791823260 },
    seven_day: { used_percentage: 61, resets_at: 1792141964 },
  },
  "over-100.json": {
    five_hour: { used_percentage: 105, resets_at: 1791823260 },
    seven_day: { used_percentage: 99.5, resets_at: 1792141964 },
  },
  "only-five-hour.json": { five_hour: { used_percentage: 2.25, resets_at: 1791823260 } },
  "pretty.json": {
    five_hour: { used_percentage: 0, resets_at: null },
    seven_day: { used_percentage: 61, resets_at: 1792141964 },
  },
};

const PREVIOUS_COMMANDS: Record<string, string> = {
  countsBytes: `printf 'PREV:%s' "$(wc -c | tr -d ' ')"`,
  echoesAll: "cat",
  picksModel: `sed -n 's/.*"display_name": *"\\([^"]*\\)".*/[\\1]/p'; echo "dir: $(pwd)"`,
  multiLine: `label='a "quoted" label'\nprintf '%s\\n' "$label"\nhead -c 16; echo`,
  failsWithThree: "cat >/dev/null; echo 'status broke'; echo 'oops' >&2; exit 3",
  ignoresStdin: "echo no stdin needed",
  showsEnvironment: `printf '%s|%s|%s' "$PATH" "$(umask)" "\${AGENT_LIMITS_IN_TAP-unset}"`,
};

let sandbox: TapSandbox;
beforeEach(() => {
  sandbox = new TapSandbox();
});
afterEach(() => sandbox.cleanup());

describe("capturing rate limits, no previous command", () => {
  test.each(FIXTURES)("%s: prints nothing, exits 0, saves exactly the windows it got", async (name) => {
    const before = nowSeconds();
    const result = await sandbox.tap(input(name));
    const after = nowSeconds();
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr.toString()).toBe("");
    const saved = sandbox.saved();
    if (EXPECTED_RATE_LIMITS[name] === undefined) {
      expect(saved).toBeNull();
      return;
    }
    expect(saved?.rate_limits).toEqual(EXPECTED_RATE_LIMITS[name]);
    expect(saved?.captured_at).toBeGreaterThanOrEqual(before);
    expect(saved?.captured_at).toBeLessThanOrEqual(after);
    expect(sandbox.dataFiles()).toEqual(["rate-limits.json", "rate-limits.seen"]);
  });

  test("writes compact, well-formed JSON it builds itself, one line", async () => {
    await sandbox.tap(input("pretty.json"));
    const text = fs.readFileSync(sandbox.rateLimitsFile(), "utf8");
    expect(text).toMatch(
      /^\{"captured_at":\d+,"rate_limits":\{"five_hour":\{"used_percentage":0,"resets_at":null\},"seven_day":\{"used_percentage":61,"resets_at":1792141964\}\}\}\n$/,
    );
  });

  test("creates the folder 0700 and the file 0600, even under a permissive umask", async () => {
    const result = await sandbox.tap(input("with-rate-limits.json"), { prelude: "umask 000" });
    expect(result.code).toBe(0);
    expect(mode(sandbox.dataDir)).toBe(0o700);
    expect(mode(sandbox.rateLimitsFile())).toBe(0o600);
  });

  test("replaces the file by rename (a new inode) and leaves no temp file", async () => {
    await sandbox.tap(input("with-rate-limits.json"));
    const firstInode = fs.statSync(sandbox.rateLimitsFile()).ino;
    await sandbox.tap(input("over-100.json"));
    expect(fs.statSync(sandbox.rateLimitsFile()).ino).not.toBe(firstInode);
    expect(sandbox.saved()?.rate_limits).toEqual(EXPECTED_RATE_LIMITS["over-100.json"]);
    expect(sandbox.dataFiles()).toEqual(["rate-limits.json", "rate-limits.seen"]);
  });

  test("many taps at once leave one valid file and no temp files", async () => {
    const runs = Array.from({ length: 12 }, (_, index) =>
      sandbox.tap(input(index % 2 ? "with-rate-limits.json" : "over-100.json")),
    );
    const results = await Promise.all(runs);
    for (const result of results) expect(result.code).toBe(0);
    expect(sandbox.saved()?.rate_limits).toBeDefined();
    expect(sandbox.dataFiles()).toEqual(["rate-limits.json", "rate-limits.seen"]);
  });

  test.each(["without-rate-limits.json", "malformed-rate-limits.json", "garbage.txt", "empty.txt"])(
    "%s leaves an earlier file untouched",
    async (name) => {
      await sandbox.tap(input("with-rate-limits.json"));
      const earlier = fs.readFileSync(sandbox.rateLimitsFile());
      await sandbox.tap(input(name));
      expect(fs.readFileSync(sandbox.rateLimitsFile()).equals(earlier)).toBe(true);
    },
  );

  test.each([
    ["a string reset", '{"rate_limits":{"five_hour":{"used_percentage":1,"resets_at":"2026-10-12T16:40:59Z"}}}'],
    ["a leading-zero number", '{"rate_limits":{"five_hour":{"used_percentage":01,"resets_at":1}}}'],
    ["a missing percentage", '{"rate_limits":{"five_hour":{"resets_at":1791823260}}}'],
    ["a bad second window", '{"rate_limits":{"five_hour":{"used_percentage":1},"seven_day":{"used_percentage":NaN}}}'],
    ["no known window", '{"rate_limits":{"seven_day_opus":{"used_percentage":1,"resets_at":1}}}'],
    ["a null rate_limits", '{"rate_limits":null}'],
  ])("skips writing for %s", async (_label, json) => {
    const result = await sandbox.tap(Buffer.from(json));
    expect(result.code).toBe(0);
    expect(result.stdout.length + result.stderr.length).toBe(0);
    expect(sandbox.saved()).toBeNull();
  });

  test("reads numbers in exponent form and windows in any key order", async () => {
    const json =
      '{"rate_limits" : { "seven_day" : {"resets_at":1.7921e9 , "used_percentage" : 6.1E1},\n' +
      '"five_hour":{"used_percentage":-0.5}}}';
    await sandbox.tap(Buffer.from(json));
    expect(sandbox.saved()?.rate_limits).toEqual({
      five_hour: { used_percentage: -0.5, resets_at: null },
      seven_day: { used_percentage: 61, resets_at: 1792100000 },
    });
  });

  test("a huge input still takes well under a second", async () => {
    const filler = "x".repeat(200_000);
    const json = JSON.stringify({ filler, rate_limits: { five_hour: { used_percentage: 5, resets_at: 1 } } });
    const result = await sandbox.tap(Buffer.from(json));
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(1000);
    expect(sandbox.saved()?.rate_limits).toEqual({ five_hour: { used_percentage: 5, resets_at: 1 } });
  });

  test("uses the date command when bash has no EPOCHSECONDS (bash 3.2, macOS)", async () => {
    const script = path.join(sandbox.root, "bash3-tap.sh");
    const source = fs.readFileSync(TAP, "utf8");
    expect(source).toContain('"${BASH_VERSINFO[0]}" -ge 5');
    fs.writeFileSync(script, source.replace('"${BASH_VERSINFO[0]}" -ge 5', '"${BASH_VERSINFO[0]}" -ge 99'));
    const before = nowSeconds();
    await sandbox.tap(input("with-rate-limits.json"), { script });
    expect(sandbox.saved()?.captured_at).toBeGreaterThanOrEqual(before);
  });
});

describe("where the tap keeps its files", () => {
  test("defaults to ~/.claude/agent-limits without CLAUDE_CONFIG_DIR", async () => {
    const env = sandbox.env({ CLAUDE_CONFIG_DIR: undefined });
    await sandbox.tap(input("with-rate-limits.json"), { env });
    expect(sandbox.saved(path.join(sandbox.home, ".claude", "agent-limits"))).not.toBeNull();
  });

  test("takes the Claude folder as its first argument", async () => {
    const other = path.join(sandbox.root, "other-claude");
    fs.mkdirSync(other);
    sandbox.setPrevious("echo from-argument-folder", path.join(other, "agent-limits"));
    const result = await sandbox.tap(input("with-rate-limits.json"), { args: [other] });
    expect(result.stdout.toString()).toBe("from-argument-folder\n");
    expect(sandbox.saved(path.join(other, "agent-limits"))).not.toBeNull();
    expect(sandbox.saved()).toBeNull();
  });

  test("installed in an agent-limits folder, uses that folder whatever CLAUDE_CONFIG_DIR says", async () => {
    const installed = path.join(sandbox.root, "elsewhere", "agent-limits");
    sandbox.setPrevious("echo installed-previous", installed);
    const script = path.join(installed, "claude_statusline_tap.sh");
    fs.copyFileSync(TAP, script);
    const result = await sandbox.tap(input("with-rate-limits.json"), { script });
    expect(result.stdout.toString()).toBe("installed-previous\n");
    expect(sandbox.saved(installed)).not.toBeNull();
    expect(sandbox.saved()).toBeNull();
  });
});

describe("in front of a previous status-line command", () => {
  const cases = FIXTURES.flatMap((name) => Object.keys(PREVIOUS_COMMANDS).map((command) => [name, command]));

  test.each(cases)("%s → %s: same stdout, stderr and exit code as the command alone", async (name, command) => {
    const previous = PREVIOUS_COMMANDS[command];
    sandbox.setPrevious(previous);
    const stdin = input(name);
    const alone = await sandbox.alone(previous, stdin);
    const tapped = await sandbox.tap(stdin);
    if (command === "showsEnvironment") {
      // Only the marker that stops a tap from running itself again differs.
      expect(tapped.stdout.toString()).toBe(alone.stdout.toString().replace(/\|unset$/, "|1"));
    } else {
      expect(tapped.stdout.equals(alone.stdout)).toBe(true);
    }
    expect(tapped.stderr.toString()).toBe(alone.stderr.toString());
    expect(tapped.code).toBe(alone.code);
    expect(sandbox.saved() !== null).toBe(EXPECTED_RATE_LIMITS[name] !== undefined);
  });

  test("the previous command sees the caller's PATH and umask, not the tap's", async () => {
    sandbox.setPrevious(PREVIOUS_COMMANDS.showsEnvironment);
    const result = await sandbox.tap(input("with-rate-limits.json"));
    const [pathSeen, umaskSeen] = result.stdout.toString().split("|");
    expect(pathSeen).toBe(BASE_PATH);
    expect(umaskSeen).toBe(`0${(process.umask() & 0o777).toString(8).padStart(3, "0")}`);
  });

  test("a failing previous command: its output, its exit code 3, and the rate limits still saved", async () => {
    sandbox.setPrevious(PREVIOUS_COMMANDS.failsWithThree);
    const result = await sandbox.tap(input("with-rate-limits.json"));
    expect(result.code).toBe(3);
    expect(result.stdout.toString()).toBe("status broke\n");
    expect(result.stderr.toString()).toBe("oops\n");
    expect(sandbox.saved()).not.toBeNull();
  });

  test("passes stdin through byte for byte, trailing newlines included", async () => {
    sandbox.setPrevious("cat");
    const stdin = Buffer.concat([input("with-rate-limits.json"), Buffer.from("\n\n")]);
    const result = await sandbox.tap(stdin);
    expect(result.stdout.equals(stdin)).toBe(true);
  });

  test("still runs the previous command when its own write fails, silently and without leftovers", async () => {
    sandbox.setPrevious(PREVIOUS_COMMANDS.countsBytes);
    const stdin = input("with-rate-limits.json");
    // A zero file-size limit fails every file write, even for root (a read-only folder would not).
    const result = await sandbox.tap(stdin, { prelude: "ulimit -f 0" });
    expect(result.stdout.toString()).toBe(`PREV:${stdin.length}`);
    expect(result.stderr.toString()).toBe("");
    expect(result.code).toBe(0);
    expect(sandbox.dataFiles()).toEqual(["previous-command"]);
  });

  test("an unusable Claude folder costs nothing but the capture", async () => {
    const result = await sandbox.tap(input("with-rate-limits.json"), { args: ["/dev/null"] });
    expect(result.code).toBe(0);
    expect(result.stdout.length + result.stderr.length).toBe(0);
  });

  test("a previous command that is the tap itself does not loop", async () => {
    sandbox.setPrevious(`/bin/bash '${TAP}'`);
    const result = await sandbox.tap(input("with-rate-limits.json"));
    expect(result.code).toBe(0);
    expect(result.stdout.length + result.stderr.length).toBe(0);
  });

  test("an empty previous-command file counts as none", async () => {
    sandbox.setPrevious("");
    const result = await sandbox.tap(input("with-rate-limits.json"));
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(0);
  });
});

describe("speed", () => {
  // The timing itself is measured by `npm run bench`; here, what would make the tap slow.
  test("the tap starts no interpreter and never waits", () => {
    const code = fs
      .readFileSync(TAP, "utf8")
      .split("\n")
      .filter((line) => !line.trim().startsWith("#"))
      .join("\n");
    for (const slow of ["python", "node ", "jq ", "perl", "ruby", "osascript", "plutil", "sleep", "curl"]) {
      expect(code).not.toContain(slow);
    }
  });
});
