/**
 * Bearer-token check for the API. Written here rather than with hono/bearer-auth because that one
 * answers a malformed header with 400 and a text body; every failure here is a 401 in the API's
 * error shape. Tokens are compared through their SHA-256 digests with crypto.timingSafeEqual, so
 * neither the content nor the length of the token leaks through timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/** True when `given` equals `expected`, in time independent of where they differ. */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerAuth(token: string, opts: { except?: (path: string) => boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS" || opts.except?.(c.req.path)) return next();
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !tokensMatch(match[1], token)) {
      c.header("WWW-Authenticate", 'Bearer realm="policy-qa"');
      throw new ApiError("unauthorized");
    }
    return next();
  };
}
