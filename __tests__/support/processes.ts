import type { ChildProcess } from "node:child_process";

/**
 * Kills a helper process started with `detached: true`, with its whole group (a shell loop's `cp` or
 * `mkfifo` too), and waits until it is gone, so that nothing more is written into a folder a test removes.
 */
export function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
  return exited;
}
