/**
 * DNS-rebinding guard. Without API_TOKEN the API trusts whoever can reach the port, which by default
 * is this machine only. A web page on evil.example whose name is re-pointed at 127.0.0.1 can still
 * reach it, from the victim's browser, as same-origin: it could read every answer and start a forced
 * reindex. Such requests carry the attacker's name in `Host`, so without a token only these are
 * served: loopback names (localhost, 127.0.0.1, [::1]), the configured HOST, ALLOWED_HOSTS, and IP
 * literals (an address cannot be re-pointed, so it cannot be rebound); any port. With a token the
 * token is the guard and every Host is served (e.g. behind a proxy).
 */
import type { MiddlewareHandler } from "hono";
import { isIP } from "node:net";
import { ApiError } from "./errors.ts";

/** "Name:port", "[v6]:port" or "name" → the name, lower case, without a trailing dot or the brackets. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  const name = h.startsWith("[") ? h.slice(1, h.indexOf("]") === -1 ? undefined : h.indexOf("]")) : h.replace(/:\d*$/, "");
  return name.replace(/\.$/, "");
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];

/** Whether `host` (a Host header) is served without a token, given HOST and ALLOWED_HOSTS. */
export function hostAllowed(host: string, opts: { listenHost: string; allowedHosts: readonly string[] }): boolean {
  const name = hostName(host);
  if (LOOPBACK_NAMES.includes(name) || name.endsWith(".localhost") || isIP(name) !== 0) return true;
  if (name === hostName(opts.listenHost)) return true;
  const whole = host.trim().toLowerCase();
  return opts.allowedHosts.some((a) => hostName(a) === name && (!/:\d+$/.test(a) || a === whole));
}

export function hostCheck(opts: { listenHost: string; allowedHosts: readonly string[] }): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host");
    // No Host at all (HTTP/1.0 tools) is no browser and so no rebinding.
    if (host !== undefined && !hostAllowed(host, opts)) throw new ApiError("host_not_allowed", { host: hostName(host).slice(0, 100) });
    return next();
  };
}
