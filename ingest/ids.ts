/** Stable ids: a short sha256 of what identifies the thing, so unchanged text keeps its id across runs. */
import { createHash } from "node:crypto";

export function shortHash(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest("hex").slice(0, 16);
}

export const articleId = (source: string, title: string, occurrence: number): string =>
  `a-${shortHash("article", source, title, String(occurrence)).slice(0, 12)}`;

export const chunkId = (articleId: string, headingPath: string[], text: string): string =>
  `c-${shortHash("chunk", articleId, headingPath.join(" › "), text)}`;
