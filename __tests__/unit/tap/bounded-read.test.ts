/** The menu's guarded reads: regular files only, never past the cap, never past the time budget. */
import fs from "node:fs";
import path from "node:path";
import { describeReadFailure, readRegularFile, withDeadline } from "../../../src/tap/bounded-read";
import { makeTempDir } from "../../support/temp";

test("withDeadline answers with the late value when the work never finishes", async () => {
  const started = Date.now();
  const answer = await withDeadline(new Promise<string>(() => {}), 50, () => "late");
  expect(answer).toBe("late");
  expect(Date.now() - started).toBeLessThan(2000);
});

test("withDeadline answers with the work's value when it is in time", async () => {
  expect(await withDeadline(Promise.resolve("done"), 1000, () => "late")).toBe("done");
});

test("a file of exactly the cap is read whole; one byte more is too large", async () => {
  const folder = makeTempDir("agent-limits-bounded-");
  const file = path.join(folder, "f");
  fs.writeFileSync(file, "x".repeat(100));
  expect(await readRegularFile(file, 100)).toEqual({ ok: true, bytes: Buffer.from("x".repeat(100)) });
  expect(await readRegularFile(file, 99)).toEqual({ ok: false, reason: "too-large" });
});

test("a missing file, or a path through a file, is missing", async () => {
  const folder = makeTempDir("agent-limits-bounded-");
  fs.writeFileSync(path.join(folder, "file"), "");
  expect(await readRegularFile(path.join(folder, "nope"), 10)).toEqual({ ok: false, reason: "missing" });
  expect(await readRegularFile(path.join(folder, "file", "below"), 10)).toEqual({ ok: false, reason: "missing" });
});

test("each failure reads as one line naming the file", () => {
  expect(describeReadFailure("settings.json", { ok: false, reason: "too-large" }, 1024 * 1024)).toBe(
    "settings.json is too large (over 1 MiB)",
  );
  expect(describeReadFailure("x", { ok: false, reason: "timeout" }, 1)).toBe("x could not be read in time");
  expect(describeReadFailure("x", { ok: false, reason: "error", code: "EIO" }, 1)).toBe("Can't read x (EIO)");
});
