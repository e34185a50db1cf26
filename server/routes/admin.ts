/**
 * POST /api/admin/reindex starts a re-ingest in the background (202; 409 if one is running) and
 * GET /api/admin/reindex reports its state. With API_TOKEN set the token guards it like the rest of
 * the API; without one, only this machine may call it.
 *
 * The loopback check alone would let any web page open in a browser on this machine start a reindex
 * with a cross-site form POST. So a POST with a body or a Content-Type must be `application/json` (which
 * a form cannot send and which makes a browser ask a CORS preflight first) and, when the browser names
 * an Origin, it must be this server's own. A POST with neither body nor Content-Type (`curl -X POST`)
 * is accepted: a form always sends a Content-Type, and a script's cross-site fetch always an Origin.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { reindexRequestSchema, type ReindexStatus } from "../contract/health.ts";
import { isLoopback } from "../config.ts";
import { clientAddress } from "../http/client-address.ts";
import type { AppEnv } from "../http/deadline.ts";
import { ApiError } from "../http/errors.ts";
import { isJsonContentType, readJsonBody } from "../http/read-json.ts";
import { parseOrThrow } from "../http/validate.ts";
import type { Reindexer } from "../reindex.ts";
import type { RouteDeps } from "../route-deps.ts";

export function adminRoutes(deps: RouteDeps) {
  const reindexer = (): Reindexer => {
    if (!deps.reindex) throw new ApiError("not_found");
    return deps.reindex;
  };
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    reindexer();
    if (!deps.config.security.apiToken && !isLoopback(clientAddress(c)) && clientAddress(c) !== "local") {
      throw new ApiError("forbidden");
    }
    return next();
  };
  return new Hono<AppEnv>()
    .use("/admin/*", guard)
    .get("/admin/reindex", (c) => c.json(reindexer().status() satisfies ReindexStatus))
    .post("/admin/reindex", async (c) => {
      const origin = c.req.header("origin");
      if (origin !== undefined && !sameHost(origin, new URL(c.req.url).host)) throw new ApiError("cross_origin");
      const type = c.req.header("content-type");
      if (type !== undefined && !isJsonContentType(type)) throw new ApiError("unsupported_content_type");
      const { force } = parseOrThrow(reindexRequestSchema, (await readJsonBody(c, { optional: true })) ?? {});
      const reindex = reindexer();
      if (!reindex.start({ force: force === true })) throw new ApiError("reindex_running");
      return c.json(reindex.status() satisfies ReindexStatus, 202);
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
