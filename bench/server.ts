/**
 * The real server for the load bench: the project's index (prepared as `npm start` does), the configured
 * generator and the real app, served in this process on 127.0.0.1 at a free port. Rate limits are off
 * (the bench is one client making thousands of requests); every other guard stays on.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "../server/app.ts";
import { openGenerator } from "../server/answer/generator.ts";
import { readConfig } from "../server/config.ts";
import { prepareIndex } from "../server/prepare-index.ts";

export interface BenchServer {
  url: string;
  info: { articles: number; chunks: number; embedding: unknown; generator: unknown; indexDir: string };
  /** One request per route before the load, so a broken route fails loudly instead of as a column of non-2xx. */
  preflight(requests: { method: string; path: string; headers?: Record<string, string>; body?: string }[]): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const config = readConfig({
    ...process.env,
    HOST: "127.0.0.1",
    PORT: "0",
    RATE_LIMIT_PER_MINUTE: "0",
    SEARCH_RATE_LIMIT_PER_MINUTE: "0",
    API_TOKEN: "",
  });
  const log = (msg: string) => console.log(`  ${msg}`);
  const index = await prepareIndex({ corpusDir: config.corpusDir, indexRoot: config.indexDir, settings: config.embedding, log });
  const generator = await openGenerator(config.generator, { log });
  // Server-side failures during the load are counted, not printed one by one.
  let failures = 0;
  let firstFailure: string | undefined;
  const app = createApp({
    config,
    getIndex: () => index,
    generator,
    log: (msg) => {
      failures++;
      firstFailure ??= msg;
    },
  });
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    info: {
      articles: index.core.articles.length,
      chunks: index.core.chunks.length,
      embedding: index.embedding,
      generator: generator.info(),
      indexDir: index.dir,
    },
    async preflight(requests) {
      for (const r of requests) {
        const res = await fetch(url + r.path, { method: r.method, headers: r.headers, body: r.body });
        const text = await res.text();
        if (!res.ok) throw new Error(`${r.method} ${r.path} answered ${res.status}: ${text.slice(0, 300)}`);
      }
    },
    async close() {
      if (failures) console.log(`  the server logged ${failures} failure(s) during the bench; first: ${firstFailure}`);
      (server as unknown as { closeAllConnections(): void }).closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await generator.close?.();
    },
  };
}
