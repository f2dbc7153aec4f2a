/**
 * Secret hygiene for tests: every credential the fixtures hold (plus a synthetic
 * CLAUDE_CODE_OAUTH_TOKEN value), and a check that none of them, nor any long piece of one,
 * shows up in what the extension wrote or printed.
 */
import fs from "node:fs";
import path from "node:path";

const FIXTURES = path.resolve(__dirname, "../../fixtures");
const CREDENTIAL_FOLDERS = [
  "codex-auth",
  "claude-credentials",
  "real/claude-credentials",
  "synthetic/claude-credentials",
];
/** Keys whose string values are credentials (account ids are identifiers, not secrets). */
const SECRET_KEY = /token|key|secret|password/i;
/** A leak of this many consecutive characters of a secret counts as a leak. */
export const SECRET_SLICE = 20;

/** A value the tests put in CLAUDE_CODE_OAUTH_TOKEN; it is in no fixture file. */
export const ENV_OAUTH_TOKEN = "sk-ant-oat01-SYNTHETIC-env-token-7e3b1d9c5a8f0246";

function collect(value: unknown, key: string, into: Set<string>) {
  if (typeof value === "string") {
    if (SECRET_KEY.test(key) && value.length >= 8) into.add(value);
    return;
  }
  if (Array.isArray(value)) value.forEach((item) => collect(item, key, into));
  else if (value && typeof value === "object") {
    for (const [child, item] of Object.entries(value)) collect(item, child, into);
  }
}

/** Every token and key in fixtures/codex-auth/*.json and fixtures/{,real/}claude-credentials/*.json. */
export function fixtureSecrets(): string[] {
  const found = new Set<string>();
  for (const folder of CREDENTIAL_FOLDERS) {
    for (const file of fs.readdirSync(path.join(FIXTURES, folder)).filter((name) => name.endsWith(".json"))) {
      collect(JSON.parse(fs.readFileSync(path.join(FIXTURES, folder, file), "utf8")), "", found);
    }
  }
  return [...found];
}

export function allSecrets(): string[] {
  return [...fixtureSecrets(), ENV_OAUTH_TOKEN];
}

/**
 * Pieces of a secret that must never appear: the whole value and every SECRET_SLICE-long slice,
 * except slices the other secrets share (a format prefix such as a JWT header is not secret).
 */
function piecesOf(secret: string, others: readonly string[]): string[] {
  if (secret.length <= SECRET_SLICE) return [secret];
  const slices = Array.from({ length: secret.length - SECRET_SLICE + 1 }, (_, index) =>
    secret.slice(index, index + SECRET_SLICE),
  );
  return [secret, ...slices.filter((slice) => !others.some((other) => other !== secret && other.includes(slice)))];
}

/** Each leak as `text #i holds a piece of <secret, masked>`; empty when clean. */
export function findSecrets(texts: readonly string[], secrets: readonly string[] = allSecrets()): string[] {
  const leaks: string[] = [];
  const pieces = new Map(secrets.map((secret) => [secret, piecesOf(secret, secrets)]));
  texts.forEach((text, index) => {
    for (const secret of secrets) {
      const piece = pieces.get(secret)!.find((candidate) => text.includes(candidate));
      if (piece) leaks.push(`text #${index} holds a piece of ${secret.slice(0, 6)}… (“…${piece.slice(-6)}”)`);
    }
  });
  return leaks;
}

export function expectNoSecrets(texts: readonly string[], secrets: readonly string[] = allSecrets()): void {
  expect(secrets.length).toBeGreaterThan(0);
  expect(findSecrets(texts, secrets)).toEqual([]);
}

export type ConsoleMethod = "log" | "warn" | "error" | "info" | "debug";
const CONSOLE_METHODS: ConsoleMethod[] = ["log", "warn", "error", "info", "debug"];

/** Spies on every console method and keeps what was printed (the spies are restored by restoreAllMocks). */
export function captureConsole(): { lines: string[] } {
  const lines: string[] = [];
  for (const method of CONSOLE_METHODS) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === "string" ? arg : safeStringify(arg))).join(" "));
    });
  }
  return { lines };
}

function safeStringify(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ""}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
