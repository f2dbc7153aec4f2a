/**
 * A test double of `@raycast/api`, which has no runtime code outside Raycast.
 * UI components render lowercase host elements that `render.ts` turns into plain trees;
 * storage, cache, toasts and alerts are in memory and inspectable.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createElement, type ReactNode } from "react";

type AnyProps = Record<string, unknown> & { children?: ReactNode };

/**
 * `jest.fn` inside tests; a plain pass-through in `npm run preview`, which renders the
 * real components with this module outside jest.
 */
const fn: typeof jest.fn = (typeof jest !== "undefined" ? jest.fn : (impl?: unknown) => impl) as typeof jest.fn;

function host(tag: string) {
  const Component = ({ children, ...props }: AnyProps) => createElement(tag, props, children);
  Component.displayName = tag;
  return Component;
}

export const MenuBarExtra = Object.assign(host("menubar-extra"), {
  Item: host("menubar-item"),
  Section: host("menubar-section"),
  Submenu: host("menubar-submenu"),
  Separator: host("menubar-separator"),
});

const ListItemDetail = Object.assign(host("list-item-detail"), {
  Metadata: Object.assign(host("detail-metadata"), {
    Label: host("detail-metadata-label"),
    Separator: host("detail-metadata-separator"),
    TagList: Object.assign(host("detail-metadata-taglist"), { Item: host("detail-metadata-tag") }),
    Link: host("detail-metadata-link"),
  }),
});

export const List = Object.assign(host("list"), {
  Item: Object.assign(host("list-item"), { Detail: ListItemDetail }),
  Section: host("list-section"),
  EmptyView: host("list-empty-view"),
});

export const Detail = Object.assign(host("detail"), { Metadata: ListItemDetail.Metadata });

export const ActionPanel = Object.assign(host("action-panel"), {
  Section: host("action-panel-section"),
  Submenu: host("action-panel-submenu"),
});

export const Action = Object.assign(host("action"), {
  OpenInBrowser: host("action-open-in-browser"),
  CopyToClipboard: host("action-copy-to-clipboard"),
  Push: host("action-push"),
  ShowInFinder: host("action-show-in-finder"),
  Open: host("action-open"),
  Paste: host("action-paste"),
  Style: { Regular: "regular", Destructive: "destructive" },
});

const named = new Proxy({}, { get: (_target, name) => String(name) });
export const Icon = named as Record<string, string>;
export const Color = named as Record<string, string>;

export const Image = { Mask: { Circle: "circle", RoundedRectangle: "roundedRectangle" } };
export const Keyboard = { Shortcut: { Common: named } };

export enum LaunchType {
  UserInitiated = "userInitiated",
  Background = "background",
}

export const environment = {
  raycastVersion: "1.104.0",
  ownerOrAuthorName: "agent-limits",
  extensionName: "agent-limits",
  commandName: "menu-bar",
  commandMode: "menu-bar",
  assetsPath: `${process.cwd()}/assets`,
  /** Per process, under the temp folder: what a command writes there never lands in the repository. */
  supportPath: join(tmpdir(), `agent-limits-support-${process.pid}`),
  isDevelopment: true,
  appearance: "dark",
  textSize: "medium",
  launchType: LaunchType.UserInitiated as LaunchType,
  canAccess: () => true,
};

let preferences: Record<string, unknown> = {};
export const getPreferenceValues = fn(() => ({ ...preferences }));

export const openExtensionPreferences = fn(async () => undefined);
export const openCommandPreferences = fn(async () => undefined);
export const launchCommand = fn(async (_options: { name: string; type: LaunchType; context?: unknown }) => undefined);
export const updateCommandMetadata = fn(async (_metadata: { subtitle?: string | null }) => undefined);
export const open = fn(async (_target: string) => undefined);
export const showInFinder = fn(async (_path: string) => undefined);
export const popToRoot = fn(async () => undefined);
export const closeMainWindow = fn(async () => undefined);
export const showHUD = fn(async (_title: string) => undefined);

export const Clipboard = {
  copy: fn(async (_content: unknown) => undefined),
  paste: fn(async (_content: unknown) => undefined),
  readText: fn(async () => undefined),
};

enum ToastStyle {
  Success = "SUCCESS",
  Failure = "FAILURE",
  Animated = "ANIMATED",
}
interface ToastOptions {
  title: string;
  message?: string;
  style?: ToastStyle;
  primaryAction?: unknown;
  secondaryAction?: unknown;
}
export class Toast {
  static Style = ToastStyle;
  title: string;
  message?: string;
  style?: ToastStyle;
  constructor(options: ToastOptions) {
    this.title = options.title;
    this.message = options.message;
    this.style = options.style;
  }
  async show() {}
  async hide() {}
}
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace Toast {
  type Style = ToastStyle;
  type Options = ToastOptions;
}

/** Every toast shown, in order, as its final state (toasts are mutable). */
export const shownToasts: Toast[] = [];
export const showToast = fn(async (optionsOrStyle: ToastOptions | ToastStyle, title?: string, message?: string) => {
  const options =
    typeof optionsOrStyle === "string" ? { style: optionsOrStyle, title: title ?? "", message } : optionsOrStyle;
  const toast = new Toast(options);
  shownToasts.push(toast);
  return toast;
});

enum AlertActionStyle {
  Default = "DEFAULT",
  Cancel = "CANCEL",
  Destructive = "DESTRUCTIVE",
}
interface AlertOptions {
  title: string;
  message?: string;
  icon?: unknown;
  primaryAction?: { title: string; style?: AlertActionStyle; onAction?: () => void };
  dismissAction?: { title: string; style?: AlertActionStyle; onAction?: () => void };
  rememberUserChoice?: boolean;
}
export class Alert {
  static ActionStyle = AlertActionStyle;
}
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace Alert {
  type Options = AlertOptions;
}
let alertAnswer = true;
/** Every alert shown, in order, with the answer it got (read by `npm run demo`, which runs outside jest). */
export const shownAlerts: (AlertOptions & { confirmed: boolean })[] = [];
export const confirmAlert = fn(async (options: AlertOptions) => {
  shownAlerts.push({ ...options, confirmed: alertAnswer });
  return alertAnswer;
});

const storage = new Map<string, string | number | boolean>();
export const LocalStorage = {
  getItem: fn(async <T extends string | number | boolean>(key: string) => storage.get(key) as T | undefined),
  setItem: fn(async (key: string, value: string | number | boolean) => {
    storage.set(key, value);
  }),
  removeItem: fn(async (key: string) => {
    storage.delete(key);
  }),
  allItems: fn(async () => Object.fromEntries(storage)),
  clear: fn(async () => {
    storage.clear();
  }),
};

const cacheStores = new Map<string, Map<string, string>>();
/** Every Cache write of the test, as `namespace/key` (Raycast keeps its Cache on disk). */
const cacheWrites: string[] = [];
export class Cache {
  private store: Map<string, string>;
  private namespace: string;
  private subscribers = new Set<(key: string | undefined, data: string | undefined) => void>();
  constructor(options?: { namespace?: string; capacity?: number }) {
    const namespace = options?.namespace ?? "";
    this.namespace = namespace;
    if (!cacheStores.has(namespace)) cacheStores.set(namespace, new Map());
    this.store = cacheStores.get(namespace)!;
  }
  get storageDirectory() {
    return environment.supportPath;
  }
  get isEmpty() {
    return this.store.size === 0;
  }
  get = (key: string) => {
    return this.store.get(key);
  };
  has = (key: string) => {
    return this.store.has(key);
  };
  set = (key: string, data: string) => {
    cacheWrites.push(`${this.namespace}/${key}`);
    this.store.set(key, data);
    this.subscribers.forEach((subscriber) => subscriber(key, data));
  };
  remove = (key: string) => {
    const existed = this.store.delete(key);
    this.subscribers.forEach((subscriber) => subscriber(key, undefined));
    return existed;
  };
  clear = () => {
    this.store.clear();
    this.subscribers.forEach((subscriber) => subscriber(undefined, undefined));
  };
  subscribe = (subscriber: (key: string | undefined, data: string | undefined) => void) => {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  };
}

export const AI = { ask: fn() };

/** Test controls: not part of the real API. */
export const mockControl = {
  setPreferences(values: Record<string, unknown>) {
    preferences = { ...values };
  },
  answerAlerts(answer: boolean) {
    alertAnswer = answer;
  },
  setLaunchType(type: LaunchType) {
    environment.launchType = type;
  },
  storage,
  cacheWrites,
  reset() {
    preferences = {};
    alertAnswer = true;
    environment.launchType = LaunchType.UserInitiated;
    storage.clear();
    cacheStores.forEach((store) => store.clear());
    cacheWrites.length = 0;
    shownToasts.length = 0;
    shownAlerts.length = 0;
  },
};
