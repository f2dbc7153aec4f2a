/**
 * The look back's charts as SVG files in the extension's support folder, where the billing view's
 * Markdown can show them. One file per chart content (a changed chart gets a new name, so no stale
 * image is ever shown); older versions of a chart are removed once no view can still be showing them.
 */
import { createHash, randomUUID } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { environment } from "@raycast/api";
import { lookBackMarkdown, type LookBackChart } from "../view/look-back";

const CHART_FOLDER = "charts";
/** A version of a chart this old is no longer on screen in any view. */
const KEEP_OLDER_MS = 60_000;

function isRegularFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function removeOlderVersions(folder: string, key: string, current: string, now: number) {
  const version = new RegExp(`^${key}-[0-9a-f]{16}\\.svg$`);
  for (const name of readdirSync(folder)) {
    if (name === current || !version.test(name)) continue;
    const file = path.join(folder, name);
    try {
      if (now - lstatSync(file).mtimeMs > KEEP_OLDER_MS) rmSync(file, { force: true });
    } catch {
      // Removed by another view meanwhile.
    }
  }
}

/** Writes the chart once per content and returns its file URL; null when the folder cannot be written. */
function chartUrl(chart: LookBackChart, folder: string): string | null {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!lstatSync(folder).isDirectory()) return null; // a link planted in our folder is not followed
    const name = `${chart.key}-${createHash("sha256").update(chart.svg).digest("hex").slice(0, 16)}.svg`;
    const file = path.join(folder, name);
    if (!isRegularFile(file)) {
      // A fresh temporary name opened exclusively: never writes into (or waits on) whatever is already there.
      const temp = path.join(folder, `.${randomUUID()}.tmp`);
      try {
        writeFileSync(temp, chart.svg, { flag: "wx", mode: 0o600 });
        renameSync(temp, file);
      } finally {
        rmSync(temp, { force: true });
      }
    }
    removeOlderVersions(folder, chart.key, name, Date.now());
    return pathToFileURL(file).href.replace(/\(/g, "%28").replace(/\)/g, "%29");
  } catch {
    return null;
  }
}

/** The look back's Markdown with its charts as images, or as block characters when they cannot be written. */
export function chartMarkdown(charts: LookBackChart[]): string {
  const folder = path.join(environment.supportPath, CHART_FOLDER);
  return lookBackMarkdown(charts, (chart) => chartUrl(chart, folder));
}
