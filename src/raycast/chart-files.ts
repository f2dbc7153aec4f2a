/**
 * The look back's charts as SVG files in the extension's support folder, where the billing view's
 * Markdown can show them. One file per chart content (a changed chart gets a new name, so no stale
 * image is ever shown); older versions of a chart are removed once no view can still be showing them.
 */
import { createHash, randomUUID } from "node:crypto";
import { lstat, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { environment } from "@raycast/api";
import { lookBackMarkdown, type LookBackChart } from "../view/look-back";

const CHART_FOLDER = "charts";
/** A version of a chart this old is no longer on screen in any view. */
const KEEP_OLDER_MS = 60_000;

async function isRegularFile(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => null))?.isFile() ?? false;
}

async function removeOlderVersions(folder: string, key: string, current: string, now: number) {
  const version = new RegExp(`^${key}-[0-9a-f]{16}\\.svg$`);
  for (const name of await readdir(folder)) {
    if (name === current || !version.test(name)) continue;
    const file = path.join(folder, name);
    try {
      if (now - (await lstat(file)).mtimeMs > KEEP_OLDER_MS) await rm(file, { force: true });
    } catch {
      // Removed by another view meanwhile.
    }
  }
}

/** Writes the chart once per content and returns its file URL; null when the folder cannot be written. */
async function chartUrl(chart: LookBackChart, folder: string): Promise<string | null> {
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    if (!(await lstat(folder)).isDirectory()) return null; // a link planted in our folder is not followed
    const name = `${chart.key}-${createHash("sha256").update(chart.svg).digest("hex").slice(0, 16)}.svg`;
    const file = path.join(folder, name);
    if (!(await isRegularFile(file))) {
      // A fresh temporary name opened exclusively: never writes into (or waits on) whatever is already there.
      const temp = path.join(folder, `.${randomUUID()}.tmp`);
      try {
        await writeFile(temp, chart.svg, { flag: "wx", mode: 0o600 });
        await rename(temp, file);
      } finally {
        await rm(temp, { force: true });
      }
    }
    await removeOlderVersions(folder, chart.key, name, Date.now());
    return pathToFileURL(file).href.replace(/\(/g, "%28").replace(/\)/g, "%29");
  } catch {
    return null;
  }
}

/**
 * Writes the look back's charts and gives its Markdown with them as images, or as block characters
 * where they could not be written. File work, so it runs outside render (`useChartMarkdowns`).
 */
export async function chartMarkdown(charts: LookBackChart[]): Promise<string> {
  const folder = path.join(environment.supportPath, CHART_FOLDER);
  const urls = new Map<LookBackChart, string | null>();
  for (const chart of charts) urls.set(chart, await chartUrl(chart, folder));
  return lookBackMarkdown(charts, (chart) => urls.get(chart) ?? null);
}
