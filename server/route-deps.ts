/**
 * What the HTTP app is built from (AppDeps) and what every route factory receives (RouteDeps). In a
 * module of its own so that routes and app import it, and no route imports the app.
 */
import type { SearchIndex } from "../vectors/search-index.ts";
import type { Generator } from "./answer/types.ts";
import type { ServerConfig } from "./config.ts";
import type { Reindexer } from "./reindex.ts";
import type { Logger } from "../log/logger.ts";

export interface AppDeps {
  config: Pick<ServerConfig, "host" | "limits" | "security" | "log"> & Partial<Pick<ServerConfig, "answer">>;
  /** The index to answer one request from (read once per request, so a reindex can swap it). */
  getIndex: () => SearchIndex;
  generator: Generator;
  /** Enables /api/admin/reindex. */
  reindex?: Reindexer;
  /** The built web page (web/dist), served at `/`. */
  webDir?: string;
  /** Fires when a stopping server's grace period is over (server/shutdown.ts): running requests end with 503 / an SSE error. */
  shutdown?: AbortSignal;
  /** Where server-side failures are reported (never to the client). Default: the logger's error level, else stderr. */
  log?: (msg: string) => void;
  /** The request log (one line per request, config.log); absent = no request log (tests in process). */
  logger?: Logger;
}

export type RouteDeps = AppDeps & { log: (msg: string) => void };
