import { execFileSync } from "child_process";
import { promises as fsPromises } from "fs";
import path from "path";
import { readCodexCaps } from "../../../../src/sources/codex/session-logs";
import {
  capsLine,
  HOUR_MS,
  LOCAL_NOW,
  MINUTE_MS,
  nullCapsLine,
  shown,
  withinTime,
  writeSession,
} from "../../../support/rollouts";
import { spyOnHandleReads } from "../../../support/codex-logs";
import { makeTempDir } from "../../../support/temp";

const MIB = 1024 * 1024;
let home: string;

beforeEach(() => {
  home = makeTempDir("agent-limits-tail-");
});

afterEach(() => jest.restoreAllMocks());

/** A pasted image, as Codex logs it: one JSON line of base64, `bytes` long. */
function imageLine(at: number, bytes: number): string {
  const url = `data:image/png;base64,${"iVBORw0KGgo".repeat(Math.ceil(bytes / 11)).slice(0, bytes)}`;
  const content = [{ type: "input_image", image_url: url }];
  const payload = { type: "message", role: "user", content };
  return JSON.stringify({ timestamp: new Date(at).toISOString(), type: "response_item", payload });
}

const older = () => writeSession(home, LOCAL_NOW - 3 * HOUR_MS, { lines: [capsLine(LOCAL_NOW - 3 * HOUR_MS, 17)] });
const newestStart = LOCAL_NOW - HOUR_MS;

/** A zstd frame of RLE blocks: `blocks` × 128 KiB of `byte`, then `last` stored raw. Tiny on disk. */
function zstFrame(blocks: number, byte: number, last: string): Buffer {
  const blockHeader = (value: number) => Buffer.from([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff]);
  const rle = Buffer.concat([blockHeader((1 << 1) | ((128 * 1024) << 3)), Buffer.from([byte])]);
  const raw = Buffer.from(last);
  const lastBlock = Buffer.concat([blockHeader(1 | (0 << 1) | (raw.length << 3)), raw]);
  // Magic number, then a frame header with no content size and a 128 KiB window.
  const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]);
  return Buffer.concat([header, ...Array.from({ length: blocks }, () => rle), lastBlock]);
}

async function writeZst(bytes: Buffer): Promise<string> {
  const file = await writeSession(home, newestStart, { lines: [] });
  await fsPromises.rm(file);
  await fsPromises.writeFile(`${file}.zst`, bytes);
  return `${file}.zst`;
}

describe("reading back past the first tail", () => {
  test("a pasted image longer than the tail after the newest reading: the newest reading still wins", async () => {
    await older();
    const lines = [capsLine(newestStart + MINUTE_MS, 41), imageLine(newestStart + 2 * MINUTE_MS, 3 * MIB)];
    await writeSession(home, newestStart, { lines });
    const reads = await spyOnHandleReads();
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(41);
    expect(reads.bytes()).toBeGreaterThan(3 * MIB);
    expect(reads.bytes()).toBeLessThanOrEqual(8 * MIB);
  });

  test("a line longer than the whole read-back bound: that file is given up after 8 MiB", async () => {
    await older();
    const lines = [capsLine(newestStart + MINUTE_MS, 41), imageLine(newestStart + 2 * MINUTE_MS, 12 * MIB)];
    await writeSession(home, newestStart, { lines });
    const reads = await spyOnHandleReads();
    // The older session's caps, which carry their own capture time: the menu says how old they are.
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(17);
    expect(reads.bytes()).toBeLessThanOrEqual(8 * MIB + 256 * 1024);
  });

  test("rate_limits: null readings (codex exec) after the newest caps are read past, beyond the first tail", async () => {
    await older();
    const nulls = Array.from({ length: 4000 }, (_, index) => nullCapsLine(newestStart + 2 * MINUTE_MS + index));
    expect(nulls.join("\n").length).toBeGreaterThan(256 * 1024);
    await writeSession(home, newestStart, { lines: [capsLine(newestStart + MINUTE_MS, 41), ...nulls] });
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(41);
  });

  test("a UTF-8 BOM before the first line does not hide it", async () => {
    const line = capsLine(newestStart + MINUTE_MS, 41);
    await writeSession(home, newestStart, { lines: [], bytes: Buffer.from(`\ufeff${line}\n`) });
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(41);
  });

  test("a window that starts inside a multi-byte character waits for the line's start", async () => {
    const line = capsLine(newestStart + MINUTE_MS, 41).replace('"plus"', '"plüs✓"');
    expect(line.endsWith('"plüs✓"}}}')).toBe(true);
    const trailer = '{"type":"response_item","payload":{"n":1}}';
    await writeSession(home, newestStart, { lines: [line, trailer] });
    // The first window ends the caps line with the last byte of "✓" and nothing before it.
    const tailBytes = trailer.length + 1 + '✓"}}}\n'.length;
    const result = await readCodexCaps(home, { now: LOCAL_NOW, tailBytes });
    expect(result.ok && result.caps.planName).toBe("plüs✓");
  });
});

describe("never wait on what is not a regular file", () => {
  /** Makes `stat` of the newest rollout see a regular file that a FIFO replaces right after. */
  async function swapInFifoAfterStat(file: string) {
    const realStat = fsPromises.stat;
    jest.spyOn(fsPromises, "stat").mockImplementation(async (target, options) => {
      const stats = await realStat(target, options);
      if (String(target) === file) {
        await fsPromises.rm(file);
        execFileSync("mkfifo", [file]);
      }
      return stats;
    });
  }

  test("a FIFO swapped in between stat and read is skipped without blocking", async () => {
    await older();
    const newest = await writeSession(home, newestStart, { lines: [capsLine(newestStart + MINUTE_MS, 41)] });
    await swapInFifoAfterStat(newest);
    const { value } = await withinTime(2000, readCodexCaps(home, { now: LOCAL_NOW }));
    expect(shown(value)).toBe(17);
  });

  test("the same for a .zst log", async () => {
    const zst = await writeZst(zstFrame(1, 0x0a, `${capsLine(newestStart + MINUTE_MS, 41)}\n`));
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(41);
    await swapInFifoAfterStat(zst);
    const { value } = await withinTime(2000, readCodexCaps(home, { now: LOCAL_NOW }));
    expect(value).toMatchObject({ ok: false, reason: "no-rate-limits" });
  });
});

describe("compressed logs", () => {
  test("only the tail of a large decoded stream is kept, and its reading found", async () => {
    // 64 MiB of blank lines, then the reading: decoded as a stream, not held whole.
    const file = await writeZst(zstFrame(512, 0x0a, `${capsLine(newestStart + MINUTE_MS, 41)}\n`));
    expect((await fsPromises.stat(file)).size).toBeLessThan(4096);
    expect(shown(await readCodexCaps(home, { now: LOCAL_NOW }))).toBe(41);
  });

  test("a decompression bomb stops at the output bound", async () => {
    await writeZst(zstFrame(4096, 0x0a, `${capsLine(newestStart + MINUTE_MS, 41)}\n`));
    const { value, elapsedMs } = await withinTime(10_000, readCodexCaps(home, { now: LOCAL_NOW }));
    // 512 MiB would decode to a reading; past 128 MiB of output the file is given up.
    expect(value).toMatchObject({ ok: false, reason: "no-rate-limits" });
    expect(elapsedMs).toBeLessThan(5000);
  });

  test("the zstd decoder is loaded only when a compressed log is read", async () => {
    let loaded = 0;
    jest.doMock("fzstd", () => {
      loaded++;
      return jest.requireActual("fzstd");
    });
    try {
      let fresh: typeof import("../../../../src/sources/codex/session-logs") | undefined;
      await jest.isolateModulesAsync(async () => {
        fresh = await import("../../../../src/sources/codex/session-logs");
      });
      await writeSession(home, newestStart, { lines: [capsLine(newestStart + MINUTE_MS, 41)] });
      expect(shown(await fresh!.readCodexCaps(home, { now: LOCAL_NOW }))).toBe(41);
      expect(loaded).toBe(0);
      await fsPromises.rm(path.join(home, "sessions"), { recursive: true });
      await writeZst(zstFrame(1, 0x0a, `${capsLine(newestStart + MINUTE_MS, 42)}\n`));
      expect(shown(await fresh!.readCodexCaps(home, { now: LOCAL_NOW }))).toBe(42);
      expect(loaded).toBe(1);
    } finally {
      jest.dontMock("fzstd");
    }
  });
});
