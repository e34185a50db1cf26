/**
 * The real server for the browser tests: createApp over the real corpus index (built once per test
 * run by shared-index.ts), the offline generator, and the web page built into a temp folder, on a
 * free loopback port.
 */
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import { setTimeout as sleep } from "node:timers/promises";
import { createGenerator } from "../../server/answer/generator.ts";
import { readSettings } from "../../config/settings.ts";
import type { Generator } from "../../server/answer/types.ts";
import { createApp } from "../../server/app.ts";
import { readConfig } from "../../server/config.ts";
import { buildWeb } from "../../web/build.ts";
import { sharedIndex } from "./shared-index.ts";

export interface WebServer {
  url: string;
  /** Delay before each streamed piece of an answer, adjustable between tests. */
  paceMs: number;
  /** Server-side failures logged while the tests ran (they should stay empty). */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The offline generator composes its whole answer at once, so its pieces reach the browser in one
 * read; pacing them the way a language model emits tokens lets the tests watch the page stream.
 */
function paced(generator: Generator, pace: () => number): Generator {
  return {
    ...generator,
    async *stream(input, signal) {
      for await (const piece of generator.stream(input, signal)) {
        if (pace() > 0) await sleep(pace(), undefined, { signal });
        yield piece;
      }
    },
  };
}

/** `env` overrides server settings (e.g. MAX_QUESTION_CHARS) the way the environment would. */
export async function startWebServer(opts: { env?: Record<string, string>; paceMs?: number } = {}): Promise<WebServer> {
  const env = opts.env ?? {};
  const index = await sharedIndex();
  const webDir = await buildWeb({ outDir: await mkdtemp(path.join(os.tmpdir(), "policy-qa-web-")) });
  const config = readConfig(env);
  const logs: string[] = [];
  let paceMs = opts.paceMs ?? 0;
  const app = createApp({
    config,
    getIndex: () => index,
    generator: paced(createGenerator(readSettings(env).generator), () => paceMs),
    webDir,
    log: (msg) => logs.push(msg),
  });
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }) as Server;
  if (!server.listening) await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    get paceMs() {
      return paceMs;
    },
    set paceMs(ms: number) {
      paceMs = ms;
    },
    async close() {
      // Without closeAllConnections a keep-alive socket holds close() for seconds.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(webDir, { recursive: true, force: true });
    },
  };
}
