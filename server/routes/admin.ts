/**
 * POST /api/admin/reindex starts a re-ingest in the background (202; 409 if one is running) and
 * GET /api/admin/reindex reports its state. With API_TOKEN set the token guards it like the rest of
 * the API; without one, only this machine may call it.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { RouteDeps } from "../app.ts";
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
      const body = (await readJsonBody(c, { optional: true })) ?? {};
      if (!isPlainObject(body) || (body.force !== undefined && typeof body.force !== "boolean")) throw new ApiError("invalid_body");
      const force = body.force === true;
      if (!reindex.start({ force })) throw new ApiError("reindex_running");
      return c.json(reindex.status(), 202);
    });
}
