/**
 * A minimal React host for Raycast trees, like `__tests__/support/render.ts` but without `act`: it renders the
 * command and calls back after every commit, so the launcher can see when `isLoading` turns false.
 */
import type { ReactElement } from "react";
import Reconciler from "react-reconciler";

export interface HostNode {
  type: string;
  props: Record<string, unknown>;
  children: HostNode[];
}

interface Container {
  children: HostNode[];
  onCommit: () => void;
}

const NO_CONTEXT = {};
const DEFAULT_EVENT_PRIORITY = 0b10000;
const CONCURRENT_ROOT = 1;
let updatePriority = DEFAULT_EVENT_PRIORITY;

function withoutChildren(props: Record<string, unknown>) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { children, ...rest } = props;
  return rest;
}

function detach(list: HostNode[], child: HostNode) {
  const index = list.indexOf(child);
  if (index >= 0) list.splice(index, 1);
}

function append(list: HostNode[], child: HostNode) {
  detach(list, child);
  list.push(child);
}

function insert(list: HostNode[], child: HostNode, before: HostNode) {
  detach(list, child);
  list.splice(list.indexOf(before), 0, child);
}

const none = () => undefined;

const hostConfig = {
  supportsMutation: true,
  supportsPersistence: false,
  supportsHydration: false,
  isPrimaryRenderer: true,
  supportsMicrotasks: true,
  scheduleMicrotask: queueMicrotask,
  scheduleTimeout: setTimeout,
  cancelTimeout: clearTimeout,
  noTimeout: -1,
  warnsIfNotActing: false,
  NotPendingTransition: null,
  HostTransitionContext: { $$typeof: Symbol.for("react.context"), _currentValue: null, _currentValue2: null },
  createInstance: (type: string, props: Record<string, unknown>): HostNode => ({
    type,
    props: withoutChildren(props),
    children: [],
  }),
  createTextInstance: (text: string): HostNode => ({ type: "#text", props: { text }, children: [] }),
  appendInitialChild: (parent: HostNode, child: HostNode) => void parent.children.push(child),
  appendChild: (parent: HostNode, child: HostNode) => append(parent.children, child),
  appendChildToContainer: (container: Container, child: HostNode) => append(container.children, child),
  insertBefore: (parent: HostNode, child: HostNode, before: HostNode) => insert(parent.children, child, before),
  insertInContainerBefore: (container: Container, child: HostNode, before: HostNode) =>
    insert(container.children, child, before),
  removeChild: (parent: HostNode, child: HostNode) => detach(parent.children, child),
  removeChildFromContainer: (container: Container, child: HostNode) => detach(container.children, child),
  clearContainer: (container: Container) => void (container.children = []),
  commitUpdate: (instance: HostNode, _type: string, _old: unknown, props: Record<string, unknown>) => {
    instance.props = withoutChildren(props);
  },
  commitTextUpdate: (instance: HostNode, _old: string, text: string) => void (instance.props = { text }),
  resetAfterCommit: (container: Container) => container.onCommit(),
  finalizeInitialChildren: () => false,
  shouldSetTextContent: () => false,
  getRootHostContext: () => NO_CONTEXT,
  getChildHostContext: () => NO_CONTEXT,
  getPublicInstance: (instance: HostNode) => instance,
  prepareForCommit: () => null,
  preparePortalMount: none,
  detachDeletedInstance: none,
  getInstanceFromNode: () => null,
  beforeActiveInstanceBlur: none,
  afterActiveInstanceBlur: none,
  prepareScopeUpdate: none,
  getInstanceFromScope: () => null,
  setCurrentUpdatePriority: (priority: number) => void (updatePriority = priority),
  getCurrentUpdatePriority: () => updatePriority,
  resolveUpdatePriority: () => updatePriority || DEFAULT_EVENT_PRIORITY,
  resolveEventType: () => null,
  resolveEventTimeStamp: () => -1.1,
  shouldAttemptEagerTransition: () => false,
  maySuspendCommit: () => false,
  preloadInstance: () => true,
  startSuspendingCommit: none,
  suspendInstance: none,
  waitForCommitToBeReady: () => null,
  requestPostPaintCallback: none,
  resetFormInstance: none,
  trackSchedulerEvent: none,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const reconciler = Reconciler(hostConfig as any);

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
