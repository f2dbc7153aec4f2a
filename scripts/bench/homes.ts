/**
 * The Codex homes the cold-launch benchmark reads, built once and kept in the temp folder between runs, from
 * `buildCodexHome` (scripts/bench-data.ts). Every home's newest rollout ends with sample A.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { NEWEST_SNAPSHOT_LINE, buildCodexHome } from "../bench-data";

export const HOME_KINDS = ["small", "large", "one-day", "empty-folders", "zst"] as const;
export type HomeKind = (typeof HOME_KINDS)[number];

export const HOME_LABELS: Record<HomeKind, string> = {
  small: "10 files",
  large: "10,000 files / 2 GB, 3 years",
  "one-day": "10,000 sessions in one day",
  "empty-folders": "100,000 empty folders",
  zst: "all files .zst, newest 16 MB",
};

const MB = 1024 * 1024;
const SMALL = { files: 10, bytes: 2 * MB };
const ONE_DAY_SESSIONS = 10_000;
const ONE_DAY_SESSION_BYTES = 8 * 1024;
const EMPTY_FOLDERS = 100_000;
const ZST_SESSION_BYTES = 16 * MB;
/** Bump a kind's version when its builder changes, so that its cached home is rebuilt. */
const BUILDER_VERSIONS: Record<HomeKind, number> = { small: 1, large: 1, "one-day": 2, "empty-folders": 1, zst: 2 };
/** An older session's last snapshot: a reader that shows it read the wrong file. */
const OLDER_SNAPSHOT_LINE = NEWEST_SNAPSHOT_LINE.replace('"used_percent":37.0', '"used_percent":20.0').replace(
  '"used_percent":61.0',
  '"used_percent":50.0',
);

/** The folder holding the newest rollout of a home built by `buildCodexHome`. */
function newestDayDir(codexHome: string): string {
  let dir = path.join(codexHome, "sessions");
  for (let level = 0; level < 3; level++) dir = path.join(dir, readdirSync(dir).sort().at(-1) ?? "");
  return dir;
}

function newestRollout(dayDir: string): string {
  const files = readdirSync(dayDir).filter((name) => name.startsWith("rollout-"));
  const newest = files.map((name) => path.join(dayDir, name)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return newest[0];
}

/** 9,999 short sessions earlier the same day, next to the newest one: a day of scripted `codex exec` runs. */
async function buildOneDay(codexHome: string) {
  await buildCodexHome(codexHome, 1, SMALL.bytes / SMALL.files);
  const dayDir = newestDayDir(codexHome);
  const newest = newestRollout(dayDir);
  const newestMtime = statSync(newest).mtimeMs;
  const body = (OLDER_SNAPSHOT_LINE + "\n").repeat(Math.ceil(ONE_DAY_SESSION_BYTES / OLDER_SNAPSHOT_LINE.length));
  for (let index = 1; index < ONE_DAY_SESSIONS; index++) {
    const seconds = 13 * 3600 + 20 * 60 - index;
    const time = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
    const stamp = time.map((part) => String(part).padStart(2, "0")).join("-");
    const file = path.join(
      dayDir,
      `rollout-2026-10-12T${stamp}-019a0001-0000-7000-8000-${String(index).padStart(12, "0")}.jsonl`,
    );
    writeFileSync(file, body);
    const mtime = (newestMtime - index * 1000) / 1000;
    utimesSync(file, mtime, mtime);
  }
}

/** The small home with 100,000 empty folders next to the newest rollouts: listing them cannot be avoided. */
async function buildEmptyFolders(codexHome: string) {
  await buildCodexHome(codexHome, SMALL.files, SMALL.bytes);
  const dayDir = newestDayDir(codexHome);
  for (let index = 0; index < EMPTY_FOLDERS; index++)
    mkdirSync(path.join(dayDir, `empty-${String(index).padStart(6, "0")}`));
}

function zstd(plain: string) {
  const { mtime } = statSync(plain);
  const compressed = `${plain}.zst`;
  const result = spawnSync("zstd", ["-q", "-f", "--rm", plain, "-o", compressed], { stdio: "inherit" });
  if (result.error || result.status !== 0)
    throw new Error("building the .zst home needs the zstd tool (brew install zstd)");
  utimesSync(compressed, mtime, mtime);
}

/**
 * The small home with every rollout compressed by the `zstd` tool and no plain file left, the newest a
 * 16 MB session: what a reader pays to decompress.
 */
async function buildZst(codexHome: string) {
  await buildCodexHome(codexHome, SMALL.files, SMALL.bytes);
  const dayDir = newestDayDir(codexHome);
  const replaced = newestRollout(dayDir);
  const { mtime } = statSync(replaced);
  const scratch = `${codexHome}-scratch`;
  await buildCodexHome(scratch, 1, ZST_SESSION_BYTES);
  renameSync(newestRollout(newestDayDir(scratch)), replaced);
  rmSync(scratch, { recursive: true, force: true });
  utimesSync(replaced, mtime, mtime);
  const sessions = path.join(codexHome, "sessions");
  for (const file of readdirSync(sessions, { recursive: true, encoding: "utf8" })) {
    if (file.endsWith(".jsonl")) zstd(path.join(sessions, file));
  }
}

async function buildHome(kind: HomeKind, codexHome: string) {
  if (kind === "small") return buildCodexHome(codexHome, SMALL.files, SMALL.bytes);
  if (kind === "large") return buildCodexHome(codexHome, 10_000, 2 * 1024 * MB);
  if (kind === "one-day") return buildOneDay(codexHome);
  if (kind === "empty-folders") return buildEmptyFolders(codexHome);
  return buildZst(codexHome);
}

export interface BenchHome {
  kind: HomeKind;
  codexHome: string;
  /** An empty Claude folder: a user with Claude Code and no status-line tap. */
  claudeConfigDir: string;
}

/** The home of `kind`, built once into the temp folder and found there by later runs. */
export async function ensureHome(kind: HomeKind): Promise<BenchHome> {
  const root = path.join(os.tmpdir(), `agent-limits-bench-home-${kind}-own-v${BUILDER_VERSIONS[kind]}`);
  const home: BenchHome = { kind, codexHome: path.join(root, "codex"), claudeConfigDir: path.join(root, "claude") };
  const marker = path.join(root, ".complete");
  if (existsSync(marker)) return home;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(home.claudeConfigDir, { recursive: true });
  const started = performance.now();
  try {
    await buildHome(kind, home.codexHome);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(marker, "");
  console.log(`built the ${kind} home in ${((performance.now() - started) / 1000).toFixed(1)} s: ${root}`);
  return home;
}
