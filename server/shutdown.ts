/**
 * Graceful stop on SIGTERM/SIGINT: stop accepting connections, let in-flight requests (streams
 * included) finish for up to `graceMs`, then close what is left and exit 0.
 */
import type { Server } from "node:http";
import { ApiError } from "./http/errors.ts";

export interface DrainOptions {
  graceMs: number;
  /**
   * Aborted (reason: ApiError "unavailable") when the grace period is over; the app's requests watch
   * it, so a stream still running ends with an SSE `error` event and a JSON request with a 503,
   * sent within `settleMs`, before the remaining connections are closed.
   */
  stopping?: AbortController;
  /** How long requests get to send that last word (default 1000 ms). */
  settleMs?: number;
  log: (msg: string) => void;
  /** Work to wait for too, within the same grace period (e.g. a running reindex). */
  pending?: () => Promise<unknown>;
  exit?: (code: number) => void;
}

/** Closes `server` gracefully; resolves once it is closed (forcibly, after the grace period). */
export function drain(server: Server, opts: DrainOptions): Promise<void> {
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      clearTimeout(settle);
      clearInterval(idle);
      resolve();
    };
    let settle: ReturnType<typeof setTimeout> | undefined;
    const closeAll = () => {
      server.closeAllConnections();
      finish();
    };
    const deadline = setTimeout(() => {
      opts.log(`Grace period of ${opts.graceMs} ms over: ending the requests still running, then closing their connections.`);
      if (!opts.stopping) return closeAll();
      opts.stopping.abort(new ApiError("unavailable"));
      settle = setTimeout(closeAll, opts.settleMs ?? 1000);
    }, opts.graceMs);
    // Keep-alive connections become idle as their last response ends: close them as they do.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(idle);
      void (opts.pending?.() ?? Promise.resolve()).catch(() => {}).finally(finish);
    });
    server.closeIdleConnections();
  });
}

export function drainOnSignals(server: Server, opts: DrainOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      opts.log(`${signal} again: exiting without waiting.`);
      (opts.exit ?? process.exit)(1);
      return;
    }
    stopping = true;
    opts.log(`${signal} received: not accepting new connections, finishing requests in flight…`);
    void drain(server, opts).then(() => {
      opts.log("Stopped.");
      (opts.exit ?? process.exit)(0);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
