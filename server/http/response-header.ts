/** Sets a header on the response a middleware finds after `next()`, copying a response whose headers are immutable. */
import type { Context } from "hono";

export function setResponseHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    const headers = new Headers(c.res.headers);
    headers.set(name, value);
    c.res = new Response(c.res.body, { status: c.res.status, statusText: c.res.statusText, headers });
  }
}
