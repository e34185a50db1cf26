/** GET /api/health: is the server up, and what is it serving (index size, embedding model and whether it answers, generator). */
import path from "node:path";
import { Hono } from "hono";
import type { HealthResponse } from "../contract/health.ts";
import type { AppEnv } from "../http/deadline.ts";
import type { RouteDeps } from "../route-deps.ts";

/** Kind and model only: the LLM's address is internal (it may carry credentials or private hosts). */
function publicGeneratorInfo(deps: RouteDeps): HealthResponse["generator"] {
  const { kind, model } = deps.generator.info();
  return model === undefined ? { kind } : { kind, model };
}

export function healthRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().get("/health", (c) => {
    const index = deps.getIndex();
    const body: HealthResponse = {
      status: "ok",
      articles: index.core.articles.length,
      chunks: index.core.chunks.length,
      embedding: index.embedding,
      // "unavailable" (with the reason) while the embedding endpoint or model cannot be used: answers then come from keyword search.
      dense: index.denseStatus(),
      generator: publicGeneratorInfo(deps),
      index: { build: path.basename(index.dir), createdAt: index.core.manifest.createdAt },
      ...(deps.reindex ? { reindex: deps.reindex.status().state } : {}),
    };
    return c.json(body);
  });
}
