/**
 * Graceful stop on SIGTERM/SIGINT: stop accepting connections, let in-flight requests (streams
 * included) finish for up to `graceMs`, then close what is left and exit 0.
 */
import type { Server } from "node:http";

export interface DrainOptions {
  graceMs: number;
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
      clearInterval(idle);
      resolve();
    };
    const deadline = setTimeout(() => {
      opts.log(`Grace period of ${opts.graceMs} ms over: closing the remaining connections.`);
      server.closeAllConnections();
      finish();
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
