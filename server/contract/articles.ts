/** GET /api/articles and /api/articles/:id: the cleaned articles, for reading a cited passage in place. */
import { z } from "zod";

export const articleSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  date: z.string().optional(),
  /** The corpus file it came from. */
  source: z.string(),
  /** How many passages it was cut into. */
  chunks: z.number().int(),
});
export type ArticleSummary = z.infer<typeof articleSummarySchema>;

export const articleListSchema = z.object({ articles: z.array(articleSummarySchema) });
export type ArticleList = z.infer<typeof articleListSchema>;

/** Where one passage sits in the article text: text.slice(start, end). */
export const articleChunkRefSchema = z.object({
  id: z.string(),
  headingPath: z.array(z.string()),
  itemNo: z.string().optional(),
  start: z.number().int(),
  end: z.number().int(),
});
export type ArticleChunkRef = z.infer<typeof articleChunkRefSchema>;

export const articleDetailSchema = articleSummarySchema.omit({ chunks: true }).extend({
  text: z.string(),
  chunks: z.array(articleChunkRefSchema),
});
export type ArticleDetail = z.infer<typeof articleDetailSchema>;
