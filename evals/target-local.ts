/**
 * The assistant in this process: the same index, pipeline and generator the server uses,
 * without HTTP in between (fast enough for the eval gate in `npm test`).
 */
import { openIndex } from "../ingest/build.ts";
import { answer } from "../server/answer/pipeline.ts";
import { openGenerator, type Generator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import type { SearchMode } from "../vectors/types.ts";
import { compact } from "./cases.ts";
import { readCorpusTexts, type EvalTarget } from "./target.ts";

export interface LocalTargetOptions {
  corpusDir: string;
  indexRoot: string;
  /** An index already open (tests share one); otherwise ensureIndex + openSearchIndex. */
  index?: SearchIndex;
  /** A generator to use; otherwise the one the settings select (as the server does). */
  generator?: Generator;
  log?: (msg: string) => void;
}

export async function createLocalTarget(opts: LocalTargetOptions): Promise<EvalTarget> {
  let index = opts.index;
  const all = readSettings();
  if (!index) {
    const settings = all.embedding;
    // openIndex rebuilds an index the current code cannot open (an older format, another model).
    index = await openIndex({ corpusDir: opts.corpusDir, indexRoot: opts.indexRoot, settings, log: opts.log });
  }
  const owned = opts.generator ? undefined : await openGenerator(all.generator, { log: opts.log });
  const generator = opts.generator ?? owned!;
  const idx = index;
  return {
    name: "in-process",
    info: {
      index: idx.dir,
      articles: idx.core.articles.length,
      chunks: idx.core.chunks.length,
      embedding: idx.embedding,
      generator: generator.info(),
    },
    async search(query, { k, mode }) {
      const hits = await idx.search(query, { k, mode: mode as SearchMode | undefined });
      return hits.map((h) => ({ chunkId: h.chunk.id, title: h.chunk.title, headingPath: h.chunk.headingPath, text: h.chunk.text }));
    },
    async chat(question, history, k) {
      const r = await answer({ question, history, ...(k ? { k } : {}) }, { index: idx, generator, refusalThreshold: all.answer.refusalThreshold });
      return {
        question: r.question,
        answer: r.answer,
        refused: r.refused,
        citations: r.citations.map((c) => ({ n: c.n, chunkId: c.chunkId, title: c.title, headingPath: c.headingPath, text: c.quote })),
        notice: r.notice,
        generator: r.generator,
      };
    },
    // Quotes are checked against the raw files and against the cleaned articles (cleaning may drop page numbers).
    sources: [...readCorpusTexts(opts.corpusDir), ...idx.core.articles.map((a) => compact(a.text))],
    chunkTexts: idx.core.chunks.map((c) => compact(c.text)),
    async close() {
      await owned?.close?.();
    },
  };
}
