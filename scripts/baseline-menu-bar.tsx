/**
 * The floor for `npm run bench`: the least a menu-bar command can do to show Codex caps. It opens the newest
 * rollout file (newest year, month, day and name), reads its last 256 KB (decompressing a `.zst` file whole),
 * takes the last `rate_limits` line and renders both windows. No checks, no settings, no storage: not a product.
 */
import { getPreferenceValues, MenuBarExtra } from "@raycast/api";
import { open, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { useEffect, useState } from "react";

interface Window {
  used_percent: number;
  resets_at: number;
}
const TAIL_BYTES = 256 * 1024;
const resetTime = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

async function newestIn(dir: string): Promise<string> {
  return path.join(
    dir,
    (await readdir(dir))
      .filter((name) => !name.startsWith("."))
      .sort()
      .at(-1) ?? "",
  );
}

async function readTail(file: string): Promise<string> {
  if (file.endsWith(".zst"))
    return Buffer.from((await import("fzstd")).decompress(await readFile(file)))
      .subarray(-TAIL_BYTES)
      .toString();
  const handle = await open(file);
  const { size } = await handle.stat();
  const { buffer, bytesRead } = await handle.read(
    Buffer.alloc(Math.min(size, TAIL_BYTES)),
    0,
    Math.min(size, TAIL_BYTES),
    Math.max(0, size - TAIL_BYTES),
  );
  await handle.close();
  return buffer.subarray(0, bytesRead).toString();
}

async function readWindows(): Promise<Window[]> {
  const { codexHome } = getPreferenceValues<{ codexHome?: string }>();
  let dir = path.join(codexHome || process.env.CODEX_HOME || path.join(os.homedir(), ".codex"), "sessions");
  for (let level = 0; level < 4; level++) dir = await newestIn(dir);
  const line = (await readTail(dir)).split("\n").findLast((text) => text.includes('"rate_limits"'));
  const limits = line ? JSON.parse(line).payload.rate_limits : {};
  return [limits.primary, limits.secondary].filter(Boolean);
}

/** The command Raycast (here: the bench's launcher) renders; bundled as an entry point. @public */
export default function BaselineMenuBar() {
  const [windows, setWindows] = useState<Window[]>();
  useEffect(() => void readWindows().then(setWindows, () => setWindows([])), []);
  return (
    <MenuBarExtra title={windows?.[0] ? `${windows[0].used_percent}%` : "–"} isLoading={windows === undefined}>
      {windows?.map((window, index) => (
        <MenuBarExtra.Item
          key={index}
          title={`${["5h", "Weekly"][index]}: ${window.used_percent}% used · resets ${resetTime.format(window.resets_at * 1000)}`}
        />
      ))}
    </MenuBarExtra>
  );
}
