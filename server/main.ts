/**
 * `npm start`: read the settings, make sure the index is there and current (building it with progress
 * shown), build the web page, then serve the page and the API until SIGTERM/SIGINT.
 */
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { openSearchIndex } from "../vectors/search-index.ts";
import { buildWeb } from "../web/build.ts";
import { openGenerator } from "./answer/generator.ts";
import { createApp } from "./app.ts";
import { ConfigError, isLoopback, readConfig, type ServerConfig } from "./config.ts";
import { redactedSettings } from "../config/settings.ts";
import { watchIndex } from "./index-watch.ts";
import { prepareIndex } from "./prepare-index.ts";
import { rebuildInChild } from "./rebuild-in-child.ts";
import { progressView } from "../ingest/progress-view.ts";
import { createLogger, lineLogger } from "../log/logger.ts";
import { createReindexer } from "./reindex.ts";
import { ServedIndex } from "./served-index.ts";
import { drainOnSignals } from "./shutdown.ts";
import { answerClientErrors, httpServerOptions } from "./http/node-server.ts";

function loadConfig(): ServerConfig {
  try {
    return readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // No settings, so no logger yet: the problems go to stderr as they are.
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

function urlOf(host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}/`;
}

const config = loadConfig();
const logger = createLogger(config.log);
const log = lineLogger(logger, "info");
const warn = lineLogger(logger, "warn");

async function main(): Promise<void> {
  if (process.argv.includes("--check-config")) {
    // What this command read, exactly as `npm run ingest -- --check-config` reports it.
    console.log(JSON.stringify(redactedSettings(config), null, 2));
    return;
  }
  const { embedding: settings } = config;

  // The index, then the generator: a GGUF model is loaded here, once, with its progress shown.
  const progress = progressView({ stream: process.stderr, linesToLog: true, logger });
  const { index, generator } = await (async () => {
    const index = await prepareIndex({
      corpusDir: config.corpusDir,
      indexRoot: config.indexDir,
      settings,
      onProgress: progress.onProgress,
      log: progress.log,
      warn: progress.warn,
    });
    return { index, generator: await openGenerator(config.generator, { onProgress: progress.onProgress, log: progress.log }) };
  })().finally(() => progress.stop());
  const info = generator.info();
  log(`Answers by the ${info.kind} generator${info.model ? ` (${info.model})` : ""}.`);

  let webDir: string | undefined;
  try {
    webDir = await buildWeb();
  } catch (err) {
    warn(`The web page could not be built (${(err as Error).message}); serving the API only.`);
  }

  // A replaced index stays open as long as a request that took it may run (REQUEST_TIMEOUT_MS grows with an LLM).
  const served = new ServedIndex(index, (dir) => openSearchIndex(dir, { settings, log: warn }), log, { closeAfterMs: config.limits.requestTimeoutMs });
  const reindex = createReindexer({
    served,
    // In a child process: the build's CPU-heavy stages must not stall the answers being served.
    rebuild: ({ force, onProgress }) =>
      rebuildInChild({ corpusDir: config.corpusDir, indexRoot: config.indexDir, settings, force, onProgress, log }),
    log,
  });
  const watcher = watchIndex(config.indexDir, served, config.indexWatchMs, () => reindex.status().state === "running");

  const stopping = new AbortController();
  const app = createApp({ config, getIndex: () => served.get(), generator, reindex, webDir, logger, shutdown: stopping.signal });

  if (!isLoopback(config.host) && !config.security.apiToken) {
    warn(`listening on ${config.host} without API_TOKEN: anyone who can reach this port can use the API.`);
  }
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port, serverOptions: httpServerOptions(config.limits) }, (addr) => {
    // On stdout, for the person (or script) that started it; the log says it too, with a time.
    const url = urlOf(config.host, addr.port);
    console.log(`Policy Q&A is ready at ${url}`);
    logger.info({ url }, "ready");
  }) as Server;
  answerClientErrors(server);
  server.on("error", (err: NodeJS.ErrnoException) => {
    logger.fatal(
      err.code === "EADDRINUSE"
        ? `Port ${config.port} on ${config.host} is already in use: stop the other server or set PORT.`
        : `The server could not start: ${err.message}`,
    );
    process.exit(1);
  });

  drainOnSignals(server, {
    graceMs: config.shutdownGraceMs,
    stopping,
    log,
    pending: () => {
      watcher.stop();
      // An in-process model is freed once no answer can still be using it.
      return reindex.settled().finally(() => generator.close?.());
    },
  });
}

main().catch((err) => {
  logger.fatal(`Could not start: ${(err as Error)?.message ?? String(err)}`);
  process.exit(1);
});
