/**
 * Runs after every test of every suite: nothing the extension wrote or printed during the
 * test (LocalStorage, toasts, alerts, HUDs, root-search subtitles, console) may hold a
 * credential from the fixtures or a long piece of one.
 */
import { confirmAlert, showHUD, updateCommandMetadata } from "@raycast/api";
import { mockControl, shownToasts } from "./raycast-api";
import { allSecrets, findSecrets } from "./secrets";

const SECRETS = allSecrets();
const CONSOLE_METHODS = ["log", "warn", "error", "info", "debug"] as const;
const printed: string[] = [];

for (const method of CONSOLE_METHODS) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    printed.push(args.map(String).join(" "));
    original(...args);
  };
}

function written(): string[] {
  return [
    JSON.stringify([...mockControl.storage.entries()]),
    JSON.stringify(shownToasts),
    JSON.stringify(jest.mocked(confirmAlert).mock.calls),
    JSON.stringify(jest.mocked(showHUD).mock.calls),
    JSON.stringify(jest.mocked(updateCommandMetadata).mock.calls),
    ...printed,
  ];
}

afterEach(() => {
  const leaks = findSecrets(written(), SECRETS);
  printed.length = 0;
  if (leaks.length > 0) throw new Error(`a credential leaked into what the extension wrote: ${leaks.join("; ")}`);
});
