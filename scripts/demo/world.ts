/**
 * The throwaway demo world: a Codex home and a Claude Code folder in a fresh temporary folder,
 * built from the files shipped under `demo/` with their instants placed relative to now.
 */
import { existsSync } from "node:fs";
import { mkdtemp, mkdir, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as z from "zod/mini";
import { installTap } from "../../src/tap/install";
import { TAP_SCRIPT_NAME } from "../../src/tap/paths";
import { rateLimitsPath } from "../../src/sources/claude/tap-file";
import { renderTemplate } from "./templates";

export const DEMO_ROOT = path.resolve(__dirname, "../../demo");
const ASSETS = path.resolve(__dirname, "../../assets");

export interface DemoWorld {
  root: string;
  codexHome: string;
  claudeDir: string;
  /** HOME and TMPDIR of everything the demo starts, so nothing reaches the user's own. */
  home: string;
  tmp: string;
  /** The fake bearer tokens of the world's logins, to check what the probes sent. */
  bearerTokens: string[];
}

/** Every file under `folder`, as sorted paths relative to it. */
async function filesUnder(folder: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(folder, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(folder, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files.sort();
}

/** The shipped world, with a scenario's files (same relative paths) in place of the base ones. */
async function worldFiles(scenario: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const base = path.join(DEMO_ROOT, "world");
  for (const file of await filesUnder(base)) files.set(file, path.join(base, file));
  const overlay = path.join(DEMO_ROOT, "scenarios", scenario);
  if (!existsSync(overlay)) return files;
  for (const file of await filesUnder(overlay)) files.set(file, path.join(overlay, file));
  return files;
}

const sessionMetaSchema = z.object({
  type: z.literal("session_meta"),
  payload: z.object({ id: z.string().check(z.regex(/^[0-9a-f-]{36}$/)), timestamp: z.iso.datetime() }),
});
const lineTimeSchema = z.object({ timestamp: z.iso.datetime() });

const pad = (value: number) => String(value).padStart(2, "0");

/**
 * Where Codex keeps a session: `sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl`, in local
 * time at the session's start (the first line's `session_meta`).
 */
function rolloutPath(text: string): string {
  const meta = sessionMetaSchema.parse(JSON.parse(text.split("\n")[0]));
  const start = new Date(meta.payload.timestamp);
  const [year, month, day] = [start.getFullYear(), pad(start.getMonth() + 1), pad(start.getDate())];
  const time = `${pad(start.getHours())}-${pad(start.getMinutes())}-${pad(start.getSeconds())}`;
  return path.join(`${year}`, month, day, `rollout-${year}-${month}-${day}T${time}-${meta.payload.id}.jsonl`);
}

/** Codex finds the newest session by modification time: that of its last line. */
function lastLineTime(text: string): Date {
  const lines = text.trim().split("\n");
  return new Date(lineTimeSchema.parse(JSON.parse(lines[lines.length - 1])).timestamp);
}

async function writePrivate(file: string, text: string) {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, text, { mode: 0o600 });
}

async function placeFile(root: string, relative: string, text: string) {
  const sessions = path.join("codex", "sessions");
  if (path.dirname(relative) !== sessions) return writePrivate(path.join(root, relative), text);
  const file = path.join(root, sessions, rolloutPath(text));
  await writePrivate(file, text);
  const modified = lastLineTime(text);
  await utimes(file, modified, modified);
}

const claudeSettingsSchema = z.object({ statusLine: z.object({ command: z.string() }) });

/**
 * Claude Code's side: the product installs its status-line tap, then Claude Code runs the status-line
 * command from settings.json once (through /bin/sh, with the shipped input), and the tap writes
 * `agent-limits/rate-limits.json`.
 */
async function runStatusLine(claudeDir: string, now: number, env: NodeJS.ProcessEnv) {
  const installed = await installTap(claudeDir, path.join(ASSETS, "probes", TAP_SCRIPT_NAME));
  if (!installed.ok) throw new Error(`could not install the status-line tap: ${installed.message}`);
  const settings = claudeSettingsSchema.parse(
    JSON.parse(await readFile(path.join(claudeDir, "settings.json"), "utf8")),
  );
  const input = renderTemplate(await readFile(path.join(DEMO_ROOT, "statusline-input.json"), "utf8"), now);
  // Claude Code runs the status line through /bin/sh with the JSON on stdin; so does the demo.
  const { execa } = await import("execa");
  const run = await execa("/bin/sh", ["-c", settings.statusLine.command], {
    input,
    env,
    extendEnv: false,
    cwd: claudeDir,
    timeout: 10_000,
    reject: false,
  });
  if (run.failed) throw new Error(`the status-line command failed (exit ${run.exitCode})`);
  await readFile(rateLimitsPath(claudeDir)).catch(() => {
    throw new Error("the status-line tap wrote no rate-limits.json");
  });
}

const bearerSchema = z.union([
  z.object({ tokens: z.object({ access_token: z.string() }) }),
  z.object({ claudeAiOauth: z.object({ accessToken: z.string() }) }),
]);

function bearerTokenOf(text: string): string | null {
  const parsed = bearerSchema.safeParse(JSON.parse(text));
  if (!parsed.success) return null;
  return "tokens" in parsed.data ? parsed.data.tokens.access_token : parsed.data.claudeAiOauth.accessToken;
}

/** Makes the folder and everything in it; the caller removes it with `removeWorld`, also on failure. */
export async function createWorldFolder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "agent-limits-demo-"));
}

export async function buildWorld(root: string, scenario: string, now: number): Promise<DemoWorld> {
  const world: DemoWorld = {
    root,
    codexHome: path.join(root, "codex"),
    claudeDir: path.join(root, "claude"),
    home: path.join(root, "home"),
    tmp: path.join(root, "tmp"),
    bearerTokens: [],
  };
  await Promise.all([mkdir(world.home, { mode: 0o700 }), mkdir(world.tmp, { mode: 0o700 })]);
  for (const [relative, source] of await worldFiles(scenario)) {
    const text = renderTemplate(await readFile(source, "utf8"), now);
    await placeFile(root, relative, text);
    const token = relative.endsWith(".json") ? bearerTokenOf(text) : null;
    if (token) world.bearerTokens.push(token);
  }
  await runStatusLine(world.claudeDir, now, { PATH: process.env.PATH, HOME: world.home, TMPDIR: world.tmp });
  return world;
}

/** The world's files, relative to its root, for the demo's opening listing. */
export async function worldListing(world: DemoWorld): Promise<string[]> {
  return filesUnder(world.root);
}

/** Retries while a probe stopped by Ctrl-C may still be writing its temporary files in the world. */
export async function removeWorld(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}
