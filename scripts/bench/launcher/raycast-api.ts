/**
 * The smallest `@raycast/api` the menu-bar bundles need to launch outside Raycast: host components for the
 * menu, in-memory LocalStorage and Cache (seeded with what an earlier launch left, and read back after this
 * one), preferences from the launcher. Kept tiny so that it costs the launch nothing next to the bundle
 * under test; the test suite's fuller stand-in is not used here.
 */
import { createElement, type ReactNode } from "react";

type Props = Record<string, unknown> & { children?: ReactNode };

function host(tag: string) {
  return ({ children, ...props }: Props) => createElement(tag, props, children);
}

const named = new Proxy({}, { get: (_target, name) => String(name) });
const noop = async () => undefined;

type Subscriber = (key: string | undefined, value: string | undefined) => void;

/** What Raycast keeps between launches: LocalStorage, and each Cache namespace's entries. */
export interface StoredState {
  localStorage: Record<string, string | number | boolean>;
  cache: Record<string, Record<string, string>>;
}

const stored = new Map<string, string | number | boolean>();
const cacheNamespaces = new Map<string, Map<string, string>>();

function namespaceEntries(namespace = "") {
  let entries = cacheNamespaces.get(namespace);
  if (!entries) cacheNamespaces.set(namespace, (entries = new Map()));
  return entries;
}

/** Raycast's Cache is synchronous and tells subscribers of every change; this one lives in memory. */
class MemoryCache {
  private readonly entries: Map<string, string>;
  private readonly subscribers = new Set<Subscriber>();
  constructor(options?: { namespace?: string }) {
    this.entries = namespaceEntries(options?.namespace);
  }
  get isEmpty() {
    return this.entries.size === 0;
  }
  get = (key: string) => this.entries.get(key);
  has = (key: string) => this.entries.has(key);
  set = (key: string, value: string) => {
    this.entries.set(key, value);
    this.subscribers.forEach((subscriber) => subscriber(key, value));
  };
  remove = (key: string) => {
    const removed = this.entries.delete(key);
    this.subscribers.forEach((subscriber) => subscriber(key, undefined));
    return removed;
  };
  clear = () => {
    this.entries.clear();
    this.subscribers.forEach((subscriber) => subscriber(undefined, undefined));
  };
  subscribe = (subscriber: Subscriber) => {
    this.subscribers.add(subscriber);
    return () => void this.subscribers.delete(subscriber);
  };
}

class Toast {
  static Style = { Success: "SUCCESS", Failure: "FAILURE", Animated: "ANIMATED" };
  constructor(readonly options: object) {}
  show = noop;
  hide = noop;
}

/** Puts back what an earlier launch left in LocalStorage and the Cache. */
export function restoreStoredState(state: StoredState) {
  for (const [key, value] of Object.entries(state.localStorage)) stored.set(key, value);
  for (const [namespace, entries] of Object.entries(state.cache)) {
    for (const [key, value] of Object.entries(entries)) namespaceEntries(namespace).set(key, value);
  }
}

/** What this launch leaves in LocalStorage and the Cache. */
export function storedState(): StoredState {
  const cache = [...cacheNamespaces].map(([namespace, entries]) => [namespace, Object.fromEntries(entries)]);
  return { localStorage: Object.fromEntries(stored), cache: Object.fromEntries(cache) };
}

/** Builds the module, with the preferences Raycast would hand the command (manifest defaults plus the user's). */
export function raycastApiStandIn(preferences: Record<string, unknown>, supportPath: string) {
  return {
    MenuBarExtra: Object.assign(host("menubar-extra"), {
      Item: host("menubar-item"),
      Section: host("menubar-section"),
      Submenu: host("menubar-submenu"),
      Separator: host("menubar-separator"),
    }),
    Icon: named,
    Color: named,
    Image: { Mask: named },
    Keyboard: { Shortcut: { Common: named } },
    LaunchType: { UserInitiated: "userInitiated", Background: "background" },
    environment: {
      commandName: "menu-bar",
      commandMode: "menu-bar",
      extensionName: "agent-limits",
      launchType: "userInitiated",
      isDevelopment: false,
      supportPath,
      assetsPath: supportPath,
      raycastVersion: "1.104.0",
    },
    getPreferenceValues: () => ({ ...preferences }),
    LocalStorage: {
      getItem: async (key: string) => stored.get(key),
      setItem: async (key: string, value: string | number | boolean) => void stored.set(key, value),
      removeItem: async (key: string) => void stored.delete(key),
      allItems: async () => Object.fromEntries(stored),
      clear: async () => stored.clear(),
    },
    Cache: MemoryCache,
    Toast,
    showToast: async (options: object) => new Toast(options),
    showHUD: noop,
    Clipboard: { copy: noop, paste: noop },
    open: noop,
    launchCommand: noop,
    openExtensionPreferences: noop,
    openCommandPreferences: noop,
  };
}
