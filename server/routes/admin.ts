/**
 * POST /api/admin/reindex starts a re-ingest in the background (202; 409 if one is running) and
 * GET /api/admin/reindex reports its state. With API_TOKEN set the token guards it like the rest of
 * the API; without one, only this machine may call it.
 *
 * The loopback check alone would let any web page open in a browser on this machine start a reindex
 * with a cross-site form POST. So the POST must be `Content-Type: application/json` (which a form
 * cannot send and which makes a browser ask a CORS preflight first) and, when the browser names an
 * Origin, it must be this server's own.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { RouteDeps } from "./route-deps.ts";
import { clientAddress } from "../http/client-address.ts";
import { isLoopback } from "../config.ts";
import { ApiError } from "../http/errors.ts";
import { isPlainObject, readJsonBody } from "../http/read-json.ts";

export function adminRoutes(deps: RouteDeps): Hono {
  const localOnly: MiddlewareHandler = async (c, next) => {
    if (!deps.config.security.apiToken && !isLoopback(clientAddress(c)) && clientAddress(c) !== "local") {
      throw new ApiError("forbidden");
    }
    return next();
  };
  const app = new Hono();
  const reindex = deps.reindex;
  if (!reindex) return app;
  return app
    .use("/admin/*", localOnly)
    .get("/admin/reindex", (c) => c.json(reindex.status()))
    .post("/admin/reindex", async (c) => {
      const origin = c.req.header("origin");
      if (origin !== undefined && !sameHost(origin, new URL(c.req.url).host)) throw new ApiError("cross_origin");
      if (!/^application\/json\s*(;|$)/i.test(c.req.header("content-type") ?? "")) throw new ApiError("unsupported_content_type");
      const body = (await readJsonBody(c, { optional: true })) ?? {};
      if (!isPlainObject(body) || (body.force !== undefined && typeof body.force !== "boolean")) throw new ApiError("invalid_body");
      const force = body.force === true;
      if (!reindex.start({ force })) throw new ApiError("reindex_running");
      return c.json(reindex.status(), 202);
    });
}

/**
 * Whether a browser's Origin names the host this request was sent to. Hosts, not whole origins: behind
 * a proxy that terminates TLS the page is https while the request reaching us is http. "null" (sandboxed
 * frames, file: pages) and anything unparsable count as foreign.
 */
function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
