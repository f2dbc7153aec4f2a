/** What a `statusLine` value says: whether it runs the tap, and the command it runs. */
import { isPlainObject } from "./settings-json";

export function isTapValue(value: unknown, command: string): boolean {
  return isPlainObject(value) && value.type === "command" && value.command === command;
}

/** The command a statusLine value runs; null when it is not a command (or an empty one). */
export function commandOf(value: unknown): string | null {
  if (!isPlainObject(value) || value.type !== "command" || typeof value.command !== "string") return null;
  return value.command.trim() === "" ? null : value.command;
}

/** `` `the command` `` for a command, the JSON text for anything else. */
export function describeStatusLine(value: unknown): string {
  const command = commandOf(value);
  return command === null ? JSON.stringify(value) : `\`${command}\``;
}
