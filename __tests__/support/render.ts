/**
 * A minimal React host renderer for Raycast trees: it turns what the `@raycast/api` mock
 * renders into plain `{ type, props, children }` nodes, keeping function props callable.
 */
import { act, type ReactElement } from "react";
import Reconciler from "react-reconciler";
import { hostConfig, type HostContainer, type HostNode } from "./react-host";

export type { HostNode };

type Container = HostContainer;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const reconciler = Reconciler(hostConfig<Container>({ underAct: true }) as any);
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  /** The root host nodes. */
  roots(): HostNode[];
  /** The single root (a command renders one `MenuBarExtra` or `List`). */
  root(): HostNode;
  findAll(type: string): HostNode[];
  unmount(): Promise<void>;
  rerender(element: ReactElement): Promise<void>;
}

export function findAll(node: HostNode | HostNode[], type: string): HostNode[] {
  const nodes = Array.isArray(node) ? node : [node];
  return nodes.flatMap((n) => [...(n.type === type ? [n] : []), ...findAll(n.children, type)]);
}

/** Renders and lets effects and pending promises settle. */
export async function render(element: ReactElement): Promise<Rendered> {
  const container: Container = { children: [] };
  const report = (error: unknown) => {
    throw error;
  };
  // The 0.31 signature has ten arguments; the published types still declare eight.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const root = (reconciler.createContainer as any)(container, 1, null, false, null, "", report, report, report, null);
  await act(async () => {
    reconciler.updateContainer(element, root, null, null);
  });
  await settleLoading(container);
  return {
    roots: () => container.children,
    root: () => {
      if (container.children.length !== 1) throw new Error(`expected one root, got ${container.children.length}`);
      return container.children[0];
    },
    findAll: (type) => findAll(container.children, type),
    unmount: async () => {
      await act(async () => {
        reconciler.updateContainer(null, root, null, null);
      });
    },
    rerender: async (next) => {
      await act(async () => {
        reconciler.updateContainer(next, root, null, null);
      });
      await settleLoading(container);
    },
  };
}

/** Settles, then waits (up to 5 s) until no root shows `isLoading`, as Raycast does before unloading. */
async function settleLoading(container: Container) {
  const deadline = Date.now() + 5000;
  await settle();
  while (container.children.some((node) => node.props.isLoading === true) && Date.now() < deadline) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
  await settle();
}

/** Lets promises, timers of zero and React updates run to quiescence. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

/** Calls an `onAction`-style prop inside `act` and lets its promises settle. */
export async function press(node: HostNode, prop = "onAction") {
  const handler = node.props[prop];
  if (typeof handler !== "function") throw new Error(`${node.type} "${String(node.props.title)}" has no ${prop}`);
  await act(async () => {
    await handler({ type: "left-click" });
  });
  await settle();
}

/** One synchronous render and commit, without waiting for effects: for benchmarks. */
export function renderOnce(element: ReactElement): HostNode[] {
  const container: Container = { children: [] };
  const report = (error: unknown) => {
    throw error;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const root = (reconciler.createContainer as any)(container, 0, null, false, null, "", report, report, report, null);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (reconciler as any).updateContainerSync(element, root, null, null);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (reconciler as any).flushSyncWork();
  return container.children;
}

/** Lets React and pending I/O run until `condition` holds (up to 5 s); for work a command starts on its own. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("waitFor: the condition never held");
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
  }
}
