/**
 * Parts of one numbered item (a long item split into several chunks) count as one passage:
 * a result list never shows the same item twice, and the parts can be merged back for context.
 */
import { sentenceBounds } from "../text/sentences.ts";
import type { Chunk } from "./types.ts";

/** Same key for every part of one item; a chunk that is not a split part is its own group. */
export function itemKey(chunk: Chunk): string {
  return chunk.part ? `${chunk.articleId}\u0000${chunk.headingPath.join("\u0000")}\u0000${chunk.itemNo ?? ""}` : chunk.id;
}

/** Keeps the first (best) chunk of each item, in order. */
export function collapseItems<T>(hits: readonly T[], chunkOf: (hit: T) => Chunk): T[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = itemKey(chunkOf(h));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The whole item a split part belongs to, as one chunk spanning all its parts (text sliced from
 * the article, so still verbatim; its sentences and heading are the merged text's). Unsplit chunks
 * come back unchanged.
 */
export function mergeItemParts(chunk: Chunk, all: readonly Chunk[], articleText: string | undefined): Chunk {
  if (!chunk.part || articleText === undefined) return chunk;
  const key = itemKey(chunk);
  const parts = all.filter((c) => itemKey(c) === key).sort((a, b) => a.start - b.start);
  if (parts.length < 2) return chunk;
  const start = parts[0].start;
  const end = parts[parts.length - 1].end;
  const { part: _part, heading: _heading, ...rest } = chunk;
  const text = articleText.slice(start, end);
  return { ...rest, start, end, text, sentences: sentenceBounds(text), ...(parts[0].heading ? { heading: parts[0].heading } : {}) };
}
