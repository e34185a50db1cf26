/**
 * Per-client rate limit: a token bucket per client address, refilled continuously, so a client may
 * burst up to the per-minute budget and then gets one request per (60 s / budget). Over budget the
 * answer is 429 with Retry-After in whole seconds. Buckets of idle clients are forgotten.
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

interface Bucket {
  tokens: number;
  updated: number;
}

export interface RateLimiter {
  /** Takes one request from `key`'s budget: 0 when allowed, else the seconds to wait. */
  take(key: string, now?: number): number;
}

export function createRateLimiter(perMinute: number): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  let lastSweep = 0;
  return {
    take(key, now = Date.now()) {
      if (now - lastSweep > 60_000) {
        // A full bucket carries no information: drop those so the map stays as small as the active clients.
        for (const [k, b] of buckets) if (b.tokens + (now - b.updated) * perMs >= perMinute) buckets.delete(k);
        lastSweep = now;
      }
      const b = buckets.get(key) ?? { tokens: perMinute, updated: now };
      b.tokens = Math.min(perMinute, b.tokens + (now - b.updated) * perMs);
      b.updated = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    },
  };
}

/** Middleware applying `limiter` to each client, identified by `clientKey`. */
export function rateLimit(limiter: RateLimiter, clientKey: (c: Context) => string): MiddlewareHandler {
  return async (c, next) => {
    const wait = limiter.take(clientKey(c));
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      throw new ApiError("rate_limited", { seconds: wait });
    }
    return next();
  };
}
