/**
 * GET /api/articles and /api/articles/:id: the cleaned articles, for reading a cited passage in place.
 * Ids are looked up in the loaded index, never used as paths, so no id can reach a file.
 */
import { Hono } from "hono";
import type { ArticleDetail, ArticleList } from "../contract/articles.ts";
import type { AppEnv } from "../http/deadline.ts";
import { ApiError } from "../http/errors.ts";
import type { RouteDeps } from "../route-deps.ts";

export function articleRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .get("/articles", (c) => {
      const { core } = deps.getIndex();
      const counts = new Map<string, number>();
      for (const chunk of core.chunks) counts.set(chunk.articleId, (counts.get(chunk.articleId) ?? 0) + 1);
      const body: ArticleList = {
        articles: core.articles.map((a) => ({
          id: a.id,
          title: a.title,
          ...(a.date !== undefined ? { date: a.date } : {}),
          source: a.source,
          chunks: counts.get(a.id) ?? 0,
        })),
      };
      return c.json(body);
    })
    .get("/articles/:id", (c) => {
      const index = deps.getIndex();
      const article = index.article(c.req.param("id"));
      if (!article) throw new ApiError("article_not_found");
      const chunks = index.core.chunks
        .filter((ch) => ch.articleId === article.id)
        .sort((a, b) => a.start - b.start)
        .map((ch) => ({
          id: ch.id,
          headingPath: ch.headingPath,
          ...(ch.itemNo !== undefined ? { itemNo: ch.itemNo } : {}),
          start: ch.start,
          end: ch.end,
        }));
      const body: ArticleDetail = {
        id: article.id,
        title: article.title,
        ...(article.date !== undefined ? { date: article.date } : {}),
        source: article.source,
        text: article.text,
        chunks,
      };
      return c.json(body);
    });
}
