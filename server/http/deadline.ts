/**
 * Request timeout. Each API request gets an AbortSignal that fires when the client goes away or the
 * time allowed runs out; handlers pass it to the answer pipeline so abandoned work stops. A handler
 * that has not produced its response by then gets a 504. Streams outlive the handler: they watch the
 * same signal and end with an `error` event instead.
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

export type AppEnv = {
  Variables: {
    signal: AbortSignal;
    /** Set by the request log (server/http/request-log.ts). */
    requestId?: string;
    /** A JSON body as parsed, once, by `validJson` (server/http/validate.ts). */
    body?: unknown;
  };
};

/**
 * `shutdown` fires when a stopping server's grace period is over, with an ApiError("unavailable") as
 * its reason: requests still running end as 503 and streams with an `error` event saying so, rather
 * than being cut mid-answer.
 */
export function deadline(ms: number, shutdown?: AbortSignal): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const timer = AbortSignal.timeout(ms);
    const ends = shutdown ? [timer, shutdown] : [timer];
    c.set("signal", AbortSignal.any([c.req.raw.signal, ...ends]));
    let onEnd: ((e: Event) => void) | undefined;
    const ended = new Promise<never>((_, reject) => {
      onEnd = (e) => {
        const reason = (e.target as AbortSignal).reason;
        reject(reason instanceof ApiError ? reason : new ApiError("timeout"));
      };
      for (const s of ends) s.addEventListener("abort", onEnd, { once: true });
    });
    if (shutdown?.aborted) onEnd!({ target: shutdown } as unknown as Event);
    const handled = next();
    // Should the deadline win, a later failure of the abandoned handler must not go unhandled.
    handled.catch(() => {});
    ended.catch(() => {});
    try {
      await Promise.race([handled, ended]);
    } finally {
      for (const s of ends) s.removeEventListener("abort", onEnd!);
    }
  };
}

/** The signal for this request (just the client's own when the middleware is not mounted). */
export function requestSignal(c: Context<AppEnv>): AbortSignal {
  return c.get("signal") ?? c.req.raw.signal;
}

