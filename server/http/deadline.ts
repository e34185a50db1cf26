/**
 * Request timeout. Each API request gets an AbortSignal that fires when the client goes away or the
 * time allowed runs out; handlers pass it to the answer pipeline so abandoned work stops. A handler
 * that has not produced its response by then gets a 504. Streams outlive the handler: they watch the
 * same signal and end with an `error` event instead.
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

export type AppEnv = { Variables: { signal: AbortSignal } };

export function deadline(ms: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const timer = AbortSignal.timeout(ms);
    c.set("signal", AbortSignal.any([c.req.raw.signal, timer]));
    let onTimeout: (() => void) | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      onTimeout = () => reject(new ApiError("timeout"));
      timer.addEventListener("abort", onTimeout, { once: true });
    });
    const handled = next();
    // Should the deadline win, a later failure of the abandoned handler must not go unhandled.
    handled.catch(() => {});
    try {
      await Promise.race([handled, timedOut]);
    } finally {
      timer.removeEventListener("abort", onTimeout!);
    }
  };
}

/** The signal for this request (just the client's own when the middleware is not mounted). */
export function requestSignal(c: Context<AppEnv>): AbortSignal {
  return c.get("signal") ?? c.req.raw.signal;
}

