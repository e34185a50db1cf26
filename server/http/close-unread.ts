/**
 * Early refusals (413 before the body is read, 401 and 429 in front of the route) leave the request
 * body unread on the socket. @hono/node-server then drains it for ~500 ms and gives up by closing the
 * socket, while the response has told the client `Connection: keep-alive`: the client's next request
 * on that connection fails ("other side closed"). A response whose request body was not read to the
 * end says `Connection: close` instead, so the client opens a fresh connection for the next one.
 */
import type { MiddlewareHandler } from "hono";
import type { IncomingMessage } from "node:http";
import { setResponseHeader } from "./response-header.ts";

function hasBody(incoming: IncomingMessage): boolean {
  const length = Number(incoming.headers["content-length"] ?? 0);
  return length > 0 || incoming.headers["transfer-encoding"] !== undefined;
}

export const closeWhenBodyUnread: MiddlewareHandler = async (c, next) => {
  await next();
  // Only over node's HTTP server; app.request() in process has no socket to keep.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming?.headers || incoming.readableEnded || !hasBody(incoming)) return;
  setResponseHeader(c, "Connection", "close");
};
