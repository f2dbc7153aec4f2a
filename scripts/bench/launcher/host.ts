/**
 * The bench's React host for Raycast trees (the tests' host config, `__tests__/support/react-host.ts`) without
 * `act`: it renders the command and calls back after every commit, so the launcher sees `isLoading` turn false.
 */
import type { ReactElement } from "react";
import Reconciler from "react-reconciler";
import { hostConfig, type HostContainer, type HostNode } from "../../../__tests__/support/react-host";

export type { HostNode };

interface Container extends HostContainer {
  onCommit: () => void;
}

const CONCURRENT_ROOT = 1;

const config = hostConfig<Container>({ underAct: false, afterCommit: (container) => container.onCommit() });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const reconciler = Reconciler(config as any);

/** Renders `element`; `onCommit` gets the root host nodes after every commit. */
export function mount(element: ReactElement, onCommit: (roots: HostNode[]) => void, onError: (error: unknown) => void) {
  const container: Container = { children: [], onCommit: () => onCommit(container.children) };
  // The 0.31 signature has ten arguments; the published types still declare eight.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const root = (reconciler.createContainer as any)(
    container,
    CONCURRENT_ROOT,
    null,
    false,
    null,
    "",
    onError,
    onError,
    onError,
    null,
  );
  reconciler.updateContainer(element, root, null, null);
}
