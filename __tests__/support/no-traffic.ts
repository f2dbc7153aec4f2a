import childProcess from "node:child_process";
import net from "node:net";

/**
 * Watches for what the menu bar must never do: start a process (a probe, curl, a shell) or open a
 * socket. `expectNone()` fails when anything was started since the watch began.
 */
export function watchProcessesAndSockets(): { expectNone: () => void } {
  const spies = [
    jest.spyOn(childProcess, "spawn"),
    jest.spyOn(childProcess, "execFile"),
    jest.spyOn(childProcess, "exec"),
    jest.spyOn(net, "connect"),
    jest.spyOn(net, "createConnection"),
  ];
  return {
    expectNone: () => {
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    },
  };
}
