/**
 * How the probes read their login JSON: bash itself first (no program started), then, only when it
 * cannot decide, plutil, jq or python3. Whatever reads it, a value counts only when it has the type
 * asked for, and JSON that only looks right (a decoy in a nested object, a key inside a string, a
 * duplicate key) reads as a JSON parser reads it. plutil is faked on PATH, as macOS 12+ has it (its
 * `-extract KEY raw` prints an object's keys with status 0) and as older macOS has it (no `raw`).
 */
import fs from "node:fs";
import path from "node:path";
import { respond, startMockServer, type MockServer } from "../../support/mock-http-server";
import { baseEnv, expectNoSecrets, fixture, hasCommand, parseEnvelope, runProbe, Sandbox } from "./harness";

const BODY = fixture("codex-usage", "pro-with-credits-and-spark.json");
const JSON_HEADERS = { "Content-Type": "application/json" };
const TOKEN = "eyJhbGciOi.SYNTHETIC-reader-token.c2ln";
const ACCOUNT = "acct-SYNTHETIC-7c1e0d52";

/** A stand-in for macOS `plutil` (12 and later, or older when `old`), written in JavaScript. */
function fakePlutil(old: boolean): string {
  return `#!${process.execPath}
const args = process.argv.slice(2);
const fail = (message) => { process.stderr.write(message + "\\n"); process.exit(1); };
if (${old} || !["-type", "-extract"].includes(args[0])) fail("plutil: unrecognized option");
if (args[0] === "-extract" && args[2] !== "raw") fail("plutil: unknown format");
let value;
try { value = JSON.parse(require("fs").readFileSync(0, "utf8")); } catch { fail("not a property list"); }
for (const key of args[1].split(".")) {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !(key in value)) fail("No value at that key path");
  value = value[key];
}
if (value === null) fail("invalid object in plist");
const type = Array.isArray(value) ? "array" : typeof value === "object" ? "dictionary" : typeof value === "boolean" ? "bool"
  : typeof value === "number" ? (Number.isInteger(value) ? "integer" : "float") : "string";
if (args[0] === "-type") { console.log(type); process.exit(0); }
// As macOS prints them: a dictionary's keys, an array's count, with status 0.
console.log(type === "dictionary" ? Object.keys(value).join("\\n") : type === "array" ? String(value.length) : String(value));
`;
}

let server: MockServer;
let sandbox: Sandbox;

beforeAll(async () => {
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  sandbox = new Sandbox();
  server.requests.length = 0;
  server.reply(respond(200, BODY, JSON_HEADERS));
});
afterEach(() => {
  sandbox.cleanup();
});

interface ReadOptions {
  readers?: string;
  plutil?: "modern" | "old";
}

/** Runs the Codex probe with `authJson` as auth.json; the token the request carried, or the envelope. */
async function readCodexLogin(authJson: string, { readers, plutil }: ReadOptions = {}) {
  sandbox.write("codex/auth.json", authJson);
  let pathVariable = process.env.PATH ?? "/usr/bin:/bin";
  if (plutil) {
    const file = sandbox.write("bin/plutil", fakePlutil(plutil === "old"));
    fs.chmodSync(file, 0o755);
    pathVariable = `${path.dirname(file)}:${pathVariable}`;
  }
  const result = await runProbe(
    "codex_billing_capture.sh",
    baseEnv(sandbox, {
      PATH: pathVariable,
      CODEX_HOME: path.join(sandbox.root, "codex"),
      AGENT_LIMITS_CODEX_USAGE_URL: server.url("/backend-api/wham/usage"),
      ...(readers ? { AGENT_LIMITS_JSON_READERS: readers } : {}),
    }),
  );
  expectNoSecrets(result, [TOKEN]);
  expect(result.stderr).toBe("");
  expect(sandbox.leftovers()).toEqual([]);
  const request = server.requests[0];
  return {
    result,
    authorization: request?.headers.authorization,
    account: request?.headers["chatgpt-account-id"],
    envelope: result.code === 0 ? null : parseEnvelope(result.stdout),
  };
}

const auth = (tokens: string, rest = "") => `{"OPENAI_API_KEY": null, "tokens": ${tokens}${rest}}`;
const plain = auth(`{"access_token": "${TOKEN}", "account_id": "${ACCOUNT}"}`);

describe("the probe's own JSON reader (bash builtins only)", () => {
  test("reads the token and account id with no JSON program at all", async () => {
    const read = await readCodexLogin(plain, { readers: "builtin" });
    expect(read.authorization).toBe(`Bearer ${TOKEN}`);
    expect(read.account).toBe(ACCOUNT);
    expect(read.result.stdout).toBe(BODY);
  });

  test.each([
    [
      "a decoy `tokens` deeper in the file",
      `{"other": {"tokens": {"access_token": "decoy"}}, "tokens": {"access_token": "${TOKEN}"}}`,
    ],
    [
      "braces and key-like text inside strings",
      `{"note": "}{ \\"tokens\\": {\\"access_token\\": \\"decoy\\"", "tokens": {"access_token": "${TOKEN}"}}`,
    ],
    [
      "a duplicate key (the last one counts, as in JSON parsers)",
      `{"tokens": {"access_token": "decoy", "access_token": "${TOKEN}"}}`,
    ],
    [
      "a key with a dot that looks like the path",
      `{"tokens.access_token": "decoy", "tokens": {"access_token": "${TOKEN}"}}`,
    ],
    [
      "an id_token and a refresh_token first",
      `{"tokens": {"id_token": "a.b.c", "refresh_token": "r", "access_token": "${TOKEN}"}}`,
    ],
    ["CRLF line ends and tabs", `{\r\n\t"tokens": {\r\n\t\t"access_token": "${TOKEN}"\r\n\t}\r\n}\r\n`],
    [
      "escaped quotes and backslashes in other strings",
      `{"note": "say \\"hi\\" \\\\", "dir": "C:\\\\", "tokens": {"access_token": "${TOKEN}", "n": -1.5e3, "ok": true}}`,
    ],
  ])("%s", async (_name, json) => {
    const read = await readCodexLogin(json, { readers: "builtin" });
    expect(read.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test.each([
    ["a number", auth('{"access_token": 12345}')],
    ["an object", auth('{"access_token": {"value": "x"}}')],
    ["an array", auth('{"access_token": ["x"]}')],
    ["null", auth('{"access_token": null}')],
    ["inside an array", '{"tokens": [{"access_token": "x"}]}'],
    ["cut short (not JSON)", `{"tokens": {"access_token": "${TOKEN}"`],
    ["two documents", `${plain}\n${plain}`],
    ["next to a broken literal", auth(`{"access_token": "${TOKEN}", "ok": tr ue}`)],
    [
      "next to a raw control character in a string",
      auth(`{"access_token": "${TOKEN}", "x": "a\u0001b"}`).replace("\\u0001", "\u0001"),
    ],
  ])("a token that is %s counts as no token: no request", async (_name, json) => {
    const read = await readCodexLogin(json, { readers: "builtin" });
    expect(read.authorization).toBeUndefined();
    expect(read.envelope).toMatchObject({ error: "credentials_not_found" });
  });

  test("a value with JSON escapes is left to a full JSON parser", async () => {
    const escaped = auth(`{"access_token": "${TOKEN.replace(".", "\\u002e")}"}`);
    const alone = await readCodexLogin(escaped, { readers: "builtin" });
    expect(alone.authorization).toBeUndefined();
    server.requests.length = 0;
    const withPython = await readCodexLogin(escaped, { readers: "builtin python3" });
    expect(withPython.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("an escaped key is left to a full JSON parser too", async () => {
    const read = await readCodexLogin(auth(`{"access\\u005ftoken": "${TOKEN}"}`), { readers: "builtin python3" });
    expect(read.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe("plutil as a JSON reader", () => {
  test("macOS 12+: reads strings, and an object is not taken for a token (its keys print with status 0)", async () => {
    const read = await readCodexLogin(plain, { readers: "plutil", plutil: "modern" });
    expect(read.authorization).toBe(`Bearer ${TOKEN}`);
    server.requests.length = 0;
    const object = await readCodexLogin(auth('{"access_token": {"eyJfake": 1}}'), {
      readers: "plutil",
      plutil: "modern",
    });
    expect(object.authorization).toBeUndefined();
    expect(object.envelope).toMatchObject({ error: "credentials_not_found" });
  });

  test("macOS before 12 (no `raw`): hands over to the next reader", async () => {
    const read = await readCodexLogin(plain, { readers: "plutil python3", plutil: "old" });
    expect(read.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("an old plutil and nothing after it: no token, said plainly", async () => {
    const read = await readCodexLogin(plain, { readers: "plutil", plutil: "old" });
    expect(read.authorization).toBeUndefined();
    expect(read.envelope).toMatchObject({ error: "credentials_not_found" });
  });
});

const withJq = hasCommand("jq") ? test : test.skip;

describe("jq and python3 check the type as well", () => {
  withJq("jq: a number where the token belongs is no token", async () => {
    const read = await readCodexLogin(auth('{"access_token": 12345}'), { readers: "jq" });
    expect(read.envelope).toMatchObject({ error: "credentials_not_found" });
    server.requests.length = 0;
    expect((await readCodexLogin(plain, { readers: "jq" })).authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("python3: an object where the token belongs is no token", async () => {
    const read = await readCodexLogin(auth('{"access_token": {"a": "b"}}'), { readers: "python3" });
    expect(read.envelope).toMatchObject({ error: "credentials_not_found" });
  });
});
