/** Who is calling: the socket's remote address (proxies' X-Forwarded-For is not trusted). */
import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";

/** The client's address, or "local" when the app is called in-process (app.request in tests). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "local";
  }
}
