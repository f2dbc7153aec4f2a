/**
 * The providers' usage endpoints, played on 127.0.0.1: one loopback server per source, at the
 * path of the real endpoint, answering with shipped provider answers. The probes reach them
 * through the SPEC §4 endpoint overrides; nothing leaves the machine.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { respond, startMockServer, type MockServer } from "../../__tests__/support/mock-http-server";
import type { SourceId } from "../../src/model/types";
import { sourceDefinition } from "../../src/sources/registry";
import { renderTemplate } from "./templates";
import { DEMO_ROOT } from "./world";

/** One scripted answer: a file under `demo/answers/`, its HTTP status and extra headers. */
export interface Answer {
  file: string;
  status: number;
  headers?: Record<string, string>;
}

export type Answers = Record<SourceId, Answer>;

export interface ServedRequest {
  source: SourceId;
  host: string;
  method: string;
  path: string;
  status: number;
  /** The request carried the world's own login, as `Authorization: Bearer <token>`. */
  sentWorldLogin: boolean;
}

interface Endpoint {
  source: SourceId;
  server: MockServer;
  url: string;
  variable: string;
  status: number;
  seen: number;
}

export interface LoopbackProvider {
  /** `AGENT_LIMITS_CODEX_USAGE_URL=http://127.0.0.1:…/backend-api/wham/usage`, one per source. */
  overrides(): Record<string, string>;
  endpoints(): { source: SourceId; url: string }[];
  /** Sets what each source's endpoint answers next, its instants placed relative to `now`. */
  script(answers: Answers, now: number): Promise<void>;
  /** The requests served since the last call. */
  takeRequests(bearerTokens: string[]): ServedRequest[];
  close(): Promise<void>;
}

async function answerBody(answer: Answer, now: number): Promise<string> {
  return renderTemplate(await readFile(path.join(DEMO_ROOT, "answers", answer.file), "utf8"), now);
}

export async function startLoopbackProvider(sources: readonly SourceId[]): Promise<LoopbackProvider> {
  const endpoints: Endpoint[] = [];
  try {
    for (const source of sources) {
      const server = await startMockServer();
      const { url, variable } = sourceDefinition(source).usageEndpoint;
      endpoints.push({ source, server, url: server.url(new URL(url).pathname), variable, status: 0, seen: 0 });
    }
  } catch (error) {
    await Promise.all(endpoints.map((endpoint) => endpoint.server.close()));
    throw error;
  }
  return {
    overrides: () => Object.fromEntries(endpoints.map((endpoint) => [endpoint.variable, endpoint.url])),
    endpoints: () => endpoints.map(({ source, url }) => ({ source, url })),
    async script(answers, now) {
      for (const endpoint of endpoints) {
        const answer = answers[endpoint.source];
        const headers = { "content-type": "application/json", ...answer.headers };
        endpoint.server.reply(respond(answer.status, await answerBody(answer, now), headers));
        endpoint.status = answer.status;
      }
    },
    takeRequests(bearerTokens) {
      return endpoints.flatMap((endpoint) => {
        const fresh = endpoint.server.requests.slice(endpoint.seen);
        endpoint.seen = endpoint.server.requests.length;
        return fresh.map((request) => ({
          source: endpoint.source,
          host: `127.0.0.1:${endpoint.server.port}`,
          method: request.method,
          path: request.path,
          status: endpoint.status,
          sentWorldLogin: bearerTokens.some((token) => request.headers.authorization === `Bearer ${token}`),
        }));
      });
    },
    close: async () => {
      await Promise.all(endpoints.map((endpoint) => endpoint.server.close()));
    },
  };
}
