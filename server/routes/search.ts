/** GET /api/search?q=&k=&mode=: the passages retrieval finds for a query, verbatim, with their ranks. */
import { Hono } from "hono";
import type { SearchMode } from "../../vectors/types.ts";
import type { RouteDeps } from "./route-deps.ts";
import { textLanguage } from "../../vectors/language.ts";
import { ApiError } from "../http/errors.ts";

const MODES: readonly SearchMode[] = ["dense", "bm25", "hybrid", "rerank"];

export function searchRoutes(deps: RouteDeps): Hono {
  const { maxK, maxQuestionChars } = deps.config.limits;
  return new Hono().get("/search", async (c) => {
    const q = (c.req.query("q") ?? "").trim();
    const lang = textLanguage(q);
    if (q === "") throw new ApiError("invalid_query", {}, lang);
    if ([...q].length > maxQuestionChars) throw new ApiError("question_too_long", { max: maxQuestionChars }, lang);
    const kRaw = c.req.query("k");
    const k = kRaw === undefined || kRaw === "" ? 5 : /^\d+$/.test(kRaw) ? Number(kRaw) : NaN;
    if (!(k >= 1 && k <= maxK)) throw new ApiError("invalid_k", { max: maxK }, lang);
    const modeRaw = c.req.query("mode");
    if (modeRaw !== undefined && modeRaw !== "" && !MODES.includes(modeRaw as SearchMode)) throw new ApiError("invalid_mode", {}, lang);
    const mode = (modeRaw || undefined) as SearchMode | undefined;

    const hits = await deps.getIndex().search(q, { k, mode });
    return c.json({
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
    });
  });
}
