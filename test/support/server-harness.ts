/**
 * Serving the real app over real HTTP in tests: on 127.0.0.1, port 0, stopped without lingering
 * (closeAllConnections before close). Plus a private copy of the shared real-corpus index for tests
 * that rebuild, damage or swap it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { ensureIndex } from "../../ingest/build.ts";
import { readSettings, type LimitsSettings } from "../../config/settings.ts";
import { answerClientErrors, httpServerOptions } from "../../server/http/node-server.ts";
import { after, before } from "node:test";
import { createApp } from "../../server/app.ts";
import { createGenerator, type Generator } from "../../server/answer/generator.ts";
import { readConfig } from "../../server/config.ts";
import type { SearchIndex } from "../../vectors/search-index.ts";
import { CORPUS_DIR, sharedIndex, sharedIndexRoot } from "./shared-index.ts";

export interface Running {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `app` (anything with Hono's fetch) on 127.0.0.1 at a free port, with the server options main.ts uses for `limits`. */
export async function listen(app: { fetch: Parameters<typeof serve>[0]["fetch"] }, limits: Pick<LimitsSettings, "maxQuestionChars"> = readSettings({}).limits): Promise<Running> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0, serverOptions: httpServerOptions(limits) }, () => resolve(s as Server)) as Server;
    s.once("error", reject);
  });
  answerClientErrors(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh index root holding a copy of the shared real-corpus index (built once per test run). */
export async function privateIndexRoot(): Promise<string> {
  await ensureIndex({ corpusDir: CORPUS_DIR, indexRoot: sharedIndexRoot(), settings: readSettings({}).embedding });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-server-test-"));
  // `current` is a relative symlink, so the copy points at its own build.
  fs.cpSync(sharedIndexRoot(), root, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith(".ingest.lock") });
  return root;
}

/** A GET whose path is sent exactly as written (fetch would resolve `..` and re-encode it). */
export function rawGet(url: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

export interface SseEvent {
  event: string;
  data: string;
}

/** Reads a whole SSE response into its events. */
export async function readSseEvents(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  const events: SseEvent[] = [];
  for (const block of text.replace(/\r\n?/g, "\n").split("\n\n")) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return events;
}

/**
 * Real servers over the shared real-corpus index, one per call, all closed after the file's tests:
 * `serveWith(env)` starts one with those settings (rate limits off unless set) and returns its URL.
 */
export function serversOnSharedIndex(): { serveWith(env: Record<string, string>, generator?: Generator): Promise<string> } {
  let index: SearchIndex;
  const servers: Running[] = [];
  before(async () => {
    index = await sharedIndex();
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  return {
    async serveWith(env, generator = createGenerator(readSettings({}).generator)) {
      const config = readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0", ...env });
      const running = await listen(createApp({ config, getIndex: () => index, generator, log: () => {} }));
      servers.push(running);
      return running.url;
    },
  };
}
