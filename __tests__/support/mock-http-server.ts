/**
 * A tiny scripted HTTP server on 127.0.0.1 (port 0) for the billing-probe tests. It records every
 * request (method, path, headers) and answers with the reply set by the test: a status, headers and
 * body (optionally after a delay), never answering, or closing the socket without an answer.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  /** Header names in lower case, as Node reports them. */
  headers: http.IncomingHttpHeaders;
}

export type MockReply =
  | { kind: "respond"; status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Keep the connection open and never answer. */
  | { kind: "hang" }
  /** Close the socket without sending anything. */
  | { kind: "close" };

/** Runs when a request has arrived and before it is answered, i.e. while the client is waiting. */
export type RequestHook = (request: RecordedRequest) => void | Promise<void>;

export interface MockServer {
  readonly port: number;
  readonly requests: RecordedRequest[];
  url(path?: string): string;
  reply(reply: MockReply): void;
  onRequest(hook: RequestHook | undefined): void;
  close(): Promise<void>;
}

export function respond(
  status: number,
  body = "",
  headers: Record<string, string> = {},
  delayMs?: number,
): Extract<MockReply, { kind: "respond" }> {
  return { kind: "respond", status, body, headers, delayMs };
}

export async function startMockServer(): Promise<MockServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let current: MockReply = respond(500, "no reply scripted");
  let hook: RequestHook | undefined;

  const server = http.createServer((req, res) => {
    const recorded: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers };
    requests.push(recorded);
    const reply = current;
    void (async () => {
      try {
        if (hook) await hook(recorded);
      } catch {
        // A failing hook records its own result; the reply still goes out.
      }
      if (reply.kind === "hang") return;
      if (reply.kind === "close") {
        req.socket.destroy();
        return;
      }
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? "");
    })();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    requests,
    url: (path = "/") => `http://127.0.0.1:${port}${path}`,
    reply: (reply) => {
      current = reply;
    },
    onRequest: (next) => {
      hook = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A 127.0.0.1 URL whose port was just opened and closed again, so connecting to it is refused. */
export async function refusedUrl(path = "/"): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
