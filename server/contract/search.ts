/** GET /api/search?q=&k=&mode=: the query string and the reply. */
import { z } from "zod";
import type { SearchMode } from "../../vectors/types.ts";
import type { RequestLimits } from "./chat.ts";
import { code } from "./errors.ts";
import { charCount } from "./text.ts";

/** Every search mode (checked against vectors' SearchMode both ways at compile time). */
export const SEARCH_MODES = ["hybrid", "bm25", "dense", "rerank"] as const satisfies readonly SearchMode[];
const allModes: Exclude<SearchMode, (typeof SEARCH_MODES)[number]> extends never ? true : false = true;
void allModes;

export const DEFAULT_SEARCH_K = 5;

/** A repeated query parameter counts by its first value, as `c.req.query(name)` reads it. */
const param = () => z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v[0] : v));

export function searchQuerySchema(limits: Pick<RequestLimits, "maxQuestionChars" | "maxK">) {
  return z.object({
    q: param()
      .optional()
      .transform((q) => (q ?? "").trim())
      .pipe(
        z
          .string()
          .min(1, code("invalid_query"))
          .refine((q) => charCount(q) <= limits.maxQuestionChars, code("question_too_long")),
      ),
    k: param()
      .optional()
      .transform((k) => (k === undefined || k === "" ? DEFAULT_SEARCH_K : /^\d+$/.test(k) ? Number(k) : NaN))
      .refine((k) => k >= 1 && k <= limits.maxK, code("invalid_k")),
    mode: param()
      .optional()
      .transform((m) => (m === "" ? undefined : m))
      .pipe(z.enum(SEARCH_MODES, code("invalid_mode")).optional()),
  });
}
export type SearchQuery = z.input<ReturnType<typeof searchQuerySchema>>;

export const searchResultSchema = z.object({
  /** The chunk id (what citations call chunkId). */
  id: z.string(),
  articleId: z.string(),
  title: z.string(),
  headingPath: z.array(z.string()),
  itemNo: z.string().optional(),
  /** The passage verbatim. */
  text: z.string(),
  score: z.number(),
  /** 1-based rank in each signal; null when that signal did not return the passage. */
  ranks: z.object({ dense: z.number().nullable(), bm25: z.number().nullable() }),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const searchResponseSchema = z.object({ results: z.array(searchResultSchema) });
export type SearchResponse = z.infer<typeof searchResponseSchema>;
