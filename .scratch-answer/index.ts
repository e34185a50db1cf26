// Scratch BM25 index over the real corpus (until the VECTORS search index lands). Not product code.
import fs from "node:fs";
import path from "node:path";
import { loadCorpusFile } from "../ingest/load-file.ts";
import { cleanText } from "../ingest/clean-text.ts";
import { splitArticles } from "../ingest/split-articles.ts";
import { chunkArticle } from "../ingest/chunk-article.ts";
import { Bm25Index } from "../vectors/bm25.ts";
import { lexicalTokens } from "../vectors/lexical-tokens.ts";
import { segmenterFor } from "../vectors/segmenter.ts";
import { indexedText, type Chunk, type SearchHit } from "../vectors/types.ts";
import type { PassageIndex } from "../server/answer/types.ts";

export async function scratchIndex(): Promise<PassageIndex> {
  const dir = "corpus";
  const chunks: Chunk[] = [];
  for (const f of fs.readdirSync(dir)) {
    const loaded = await loadCorpusFile(path.join(dir, f));
    const text = cleanText(loaded.text);
    const { articles } = splitArticles(text, f);
    for (const a of articles) chunks.push(...chunkArticle(a));
  }
  const seg = segmenterFor([]);
  const bm = Bm25Index.build(chunks.map((c) => lexicalTokens(seg, indexedText(c))));
  return {
    core: { chunks },
    async search(q, opts) {
      const hits = bm.search(lexicalTokens(seg, q), opts?.k ?? 6);
      return hits.map((h, i): SearchHit => ({ chunk: chunks[h.doc], score: h.score, ranks: { bm25: i + 1 } }));
    },
  };
}
