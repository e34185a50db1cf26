/** GET /api/search?q=&k=&mode=: the passages retrieval finds for a query, verbatim, with their ranks. */
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { searchQuerySchema, type SearchResponse } from "../contract/search.ts";
import type { AppEnv } from "../http/deadline.ts";
import { rejectInvalid } from "../http/validate.ts";
import type { RouteDeps } from "../route-deps.ts";
import { inputLanguage } from "../http/question-language.ts";

export function searchRoutes(deps: RouteDeps) {
  const { limits } = deps.config;
  return new Hono<AppEnv>().get("/search", zValidator("query", searchQuerySchema(limits), rejectInvalid({ limits, langOf: inputLanguage })), async (c) => {
    const { q, k, mode } = c.req.valid("query");
    const hits = await deps.getIndex().search(q, { k, mode });
    const body: SearchResponse = {
      results: hits.map((h) => ({
        id: h.chunk.id,
        articleId: h.chunk.articleId,
        title: h.chunk.title,
        headingPath: h.chunk.headingPath,
        ...(h.chunk.itemNo !== undefined ? { itemNo: h.chunk.itemNo } : {}),
        text: h.chunk.text,
        score: h.score,
        // null, not absent, when a signal did not return the passage: the key is always there to read.
        ranks: { dense: h.ranks.dense ?? null, bm25: h.ranks.bm25 ?? null },
      })),
    };
    return c.json(body);
  });
}
