/** How the demo prints what the product showed: headings, the alert, the probes' requests, toasts. */
import type { Toast } from "../../__tests__/support/raycast-api";
import type { ServedRequest } from "./provider";

const WIDTH = 76;

export function heading(text: string): string {
  return `\n━━ ${text} ${"━".repeat(Math.max(3, WIDTH - text.length - 4))}`;
}

/** `text` broken at spaces into lines of at most `width` characters, each prefixed with `indent`. */
export function wrap(text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        lines.push(indent + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(indent + line);
  }
  return lines;
}

interface ShownAlert {
  title: string;
  message?: string;
  primaryAction?: { title: string };
  dismissAction?: { title: string };
  confirmed: boolean;
}

export function alertText(alert: ShownAlert | undefined): string[] {
  if (!alert) return ["Alert   (none was shown)"];
  const primary = alert.primaryAction?.title ?? "OK";
  const dismiss = alert.dismissAction?.title ?? "Cancel";
  return [
    `Alert   ${alert.title}`,
    ...wrap(alert.message ?? "", "        "),
    `        [ ${dismiss} ]  [ ${primary} ]   → the demo answers “${alert.confirmed ? primary : dismiss}”`,
  ];
}

export function requestsText(requests: ServedRequest[], endpoints: { source: string; url: string }[]): string[] {
  const lines = ["Probes  /bin/bash assets/probes/*.sh (curl) → the loopback endpoints:"];
  for (const { source } of endpoints) {
    const served = requests.filter((request) => request.source === source);
    if (served.length === 0) lines.push(`        ${source.padEnd(7)} no request sent`);
    for (const request of served) {
      const login = request.sentWorldLogin ? "with the demo login's token" : "WITHOUT the demo login's token";
      lines.push(
        `        ${source.padEnd(7)} ${request.method} ${request.host}${request.path} → ${request.status}, ${login}`,
      );
    }
  }
  return lines;
}

const TOAST_GLYPHS: Record<string, string> = { SUCCESS: "✓", FAILURE: "✗", ANIMATED: "…" };

export function toastText(toasts: Toast[]): string[] {
  if (toasts.length === 0) return ["Toast   (none was shown)"];
  return toasts.flatMap((toast) => [
    `Toast   ${TOAST_GLYPHS[String(toast.style)] ?? "•"} ${toast.title}`,
    ...(toast.message ? wrap(toast.message, "          ") : []),
  ]);
}
