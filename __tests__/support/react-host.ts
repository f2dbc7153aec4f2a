/**
 * A React host config for Raycast trees, shared by the tests' renderer (`render.ts`) and the cold-launch
 * bench's launcher (`scripts/bench/launcher/host.ts`): what the `@raycast/api` stand-in renders becomes plain
 * `{ type, props, children }` nodes, keeping function props callable.
 */
export interface HostNode {
  type: string;
  props: Record<string, unknown>;
  children: HostNode[];
}

export interface HostContainer {
  children: HostNode[];
}

const NO_CONTEXT = {};
const DEFAULT_EVENT_PRIORITY = 0b10000;

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

export interface HostOptions<C extends HostContainer> {
  /** Under jest's `act`, a secondary renderer that warns about updates outside `act`; in the bench, primary. */
  underAct: boolean;
  /** Called after every commit (the bench watches `isLoading`). */
  afterCommit?: (container: C) => void;
}

export function hostConfig<C extends HostContainer>({ underAct, afterCommit }: HostOptions<C>) {
  let updatePriority = DEFAULT_EVENT_PRIORITY;
  return {
    supportsMutation: true,
    supportsPersistence: false,
    supportsHydration: false,
    isPrimaryRenderer: !underAct,
    supportsMicrotasks: true,
    scheduleMicrotask: queueMicrotask,
    scheduleTimeout: setTimeout,
    cancelTimeout: clearTimeout,
    noTimeout: -1,
    warnsIfNotActing: underAct,
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
    appendChildToContainer: (container: C, child: HostNode) => append(container.children, child),
    insertBefore: (parent: HostNode, child: HostNode, before: HostNode) => insert(parent.children, child, before),
    insertInContainerBefore: (container: C, child: HostNode, before: HostNode) =>
      insert(container.children, child, before),
    removeChild: (parent: HostNode, child: HostNode) => detach(parent.children, child),
    removeChildFromContainer: (container: C, child: HostNode) => detach(container.children, child),
    clearContainer: (container: C) => void (container.children = []),
    commitUpdate: (instance: HostNode, _type: string, _old: unknown, props: Record<string, unknown>) => {
      instance.props = withoutChildren(props);
    },
    commitTextUpdate: (instance: HostNode, _old: string, text: string) => void (instance.props = { text }),
    resetAfterCommit: (container: C) => afterCommit?.(container),
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
}
