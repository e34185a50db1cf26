/**
 * The search index of one index folder: BM25 (jieba words + character bigrams), dense vectors in
 * HNSW (corpus-trained or pretrained embedder), their Reciprocal Rank Fusion, optional rerank.
 * `buildSearchIndex` writes it at ingest; `openSearchIndex` reads it for the server and the evals.
 *
 * Files written next to the index core:
 *   lexicon.txt      corpus terms added to jieba's dictionary
 *   bm25.json        the inverted index
 *   glossary.json    English gloss → corpus words (offline translation of English questions)
 *   model/corpus-embedder/   the trained embedding model (absent when a pretrained model was used)
 *   hnsw/            the HNSW vector store (args.json, docstore.json, hnswlib.index; vector-store.ts)
 *   search.json      what was built and how (embedding info, tokenizer options, stage timings)
 */
import fs from "node:fs";
import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { LIMITS, type EmbeddingSettings } from "../config/settings.ts";
import { IndexDamagedError, readIndexCore, readJson, writeJson, type IndexCore } from "./index-folder.ts";
import { indexedText, type Article, type Chunk, type EmbeddingInfo, type Manifest, type Progress, type SearchHit, type SearchMode, type SearchOptions } from "./types.ts";
import { Bm25Index, type Bm25Json } from "./bm25.ts";
import { learnCorpusTerms, readLexicon, segmenterFor, writeLexicon, type Segmenter } from "./segmenter.ts";
import { DEFAULT_LEXICAL, lexicalTokens, type LexicalOptions } from "./lexical-tokens.ts";
import { textLanguage } from "./language.ts";
import { buildGlossary, readGlossary, translateQuery, writeGlossary, GLOSSARY_FILE, type Glossary } from "./query-translation.ts";
import { Embedder } from "./embedder.ts";
import { missingModelFiles, ModelUnavailableError } from "./model-loader.ts";
import { TRAINED_MODEL_ID, trainCorpusEmbeddings, writeModelFolder } from "./corpus-model/train.ts";
import { ChunkVectorStore, chunkDocument } from "./vector-store.ts";
import { DEFAULT_FUSION, parseFusionWeights, reciprocalRankFusion, type FusionWeights } from "./fusion.ts";
import { collapseItems, mergeItemParts } from "./item-groups.ts";
import { CrossEncoder } from "./reranker.ts";
import { SearchIndexRetriever } from "./retriever.ts";

export interface SearchIndex {
  dir: string;
  core: IndexCore;
  embedding: EmbeddingInfo;
  /** The index's English gloss → corpus words dictionary (glossary.json, read once at open); absent in older builds. */
  readonly glossary?: Glossary;
  search(query: string, opts?: SearchOptions): Promise<SearchHit[]>;
  /** The LangChain retriever over this index (what the answer pipeline retrieves through). */
  retriever(opts?: SearchOptions): SearchIndexRetriever;
  chunk(id: string): Chunk | undefined;
  article(id: string): Article | undefined;
  /**
   * Releases the ONNX sessions (embedder, reranker) once the searches in progress have finished.
   * Searches made after close still answer, by keywords only (BM25); the HNSW and BM25 memory goes
   * with the last reference to the object. Idempotent.
   */
  close(): Promise<void>;
}

/** The index was built with another embedding model than the settings ask for: rebuild or refuse, never mix vectors. */
export class EmbeddingMismatchError extends Error {
  override name = "EmbeddingMismatchError";
}

export const SEARCH_META_FILE = "search.json";
/** Bump when what the search files hold changes (2: the glossary ranks senses and knows phrases): older indexes rebuild. */
const SEARCH_FORMAT = 2;
export const MODEL_DIR = "model";
export const HNSW_DIR = "hnsw";
export const MAX_K = LIMITS.maxK;

interface SearchMeta {
  format: number;
  embedding: EmbeddingInfo;
  lexical: LexicalOptions;
  /** seconds per build stage */
  stages: Record<string, number>;
}

type Log = (msg: string) => void;

/**
 * True when an index built as the manifest says serves these settings: same pretrained model, or
 * the trained model when none is configured — or when the configured one is still unavailable
 * (the build fell back to the trained model; rebuilding would only fall back again).
 */
export function indexMatchesSettings(manifest: Manifest, settings: EmbeddingSettings): boolean {
  const e = manifest.embedding;
  if (!e) return false;
  if (!settings.model) return e.kind === "trained";
  if (e.kind === "pretrained") return e.model === settings.model;
  return (
    e.fallbackFrom === settings.model &&
    !settings.allowRemote &&
    missingModelFiles({ id: settings.model, root: settings.modelsDir }).length > 0
  );
}

function describe(e: EmbeddingInfo | undefined): string {
  if (!e) return "no recorded embedding model";
  return e.kind === "trained" ? "the corpus-trained embedding model" : `embedding model "${e.model}"`;
}

/** Builds every search structure for `core` into `dir` and says which embedding model made the vectors. */
export async function buildSearchIndex(
  dir: string,
  core: IndexCore,
  opts: { settings: EmbeddingSettings; onProgress?: Progress; log?: Log },
): Promise<EmbeddingInfo> {
  const { settings, onProgress } = opts;
  const log = opts.log ?? (() => {});
  const stages: Record<string, number> = {};
  const timed = async <T>(stage: string, run: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    onProgress?.(stage, 0, 1);
    let result: T;
    try {
      result = await run();
    } catch (err) {
      // Which stage broke tells a user (and a bug report) where to look.
      throw new Error(`the ${stage} stage of the search index failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    stages[stage] = (performance.now() - t0) / 1000;
    onProgress?.(stage, 1, 1);
    return result;
  };
  const texts = core.chunks.map(indexedText);
  const lexical = DEFAULT_LEXICAL;

  const seg = await timed("lexicon", () => {
    const terms = learnCorpusTerms(core.articles.map((a) => a.text), core.chunks.flatMap((c) => c.headingPath));
    writeLexicon(dir, terms);
    return segmenterFor(terms);
  });

  const docTokens = await timed("bm25", () => {
    const tokens = texts.map((t) => lexicalTokens(seg, t, lexical));
    writeJson(path.join(dir, "bm25.json"), Bm25Index.build(tokens).toJSON());
    return tokens;
  });

  await timed("glossary", () => {
    const passagesWith = new Map<string, number>();
    for (const tokens of docTokens) for (const t of new Set(tokens)) passagesWith.set(t, (passagesWith.get(t) ?? 0) + 1);
    writeGlossary(dir, buildGlossary(passagesWith, texts));
  });

  const embedder = await timed("embedder", async () => {
    if (settings.model) {
      try {
        return await Embedder.load({ id: settings.model, root: settings.modelsDir, allowRemote: settings.allowRemote }, "pretrained");
      } catch (err) {
        if (!(err instanceof ModelUnavailableError)) throw err;
        log(`${err.message} Falling back to an embedding model trained on the corpus.`);
      }
    }
    const model = trainCorpusEmbeddings(texts, seg);
    const root = path.join(dir, MODEL_DIR);
    writeModelFolder(root, model);
    const trained = await Embedder.load({ id: TRAINED_MODEL_ID, root, allowRemote: false }, "trained");
    if (settings.model) trained.info.fallbackFrom = settings.model;
    return trained;
  });

  try {
    const vectors = await timed("embed", () =>
      embedder.embedDocuments(texts, (done, total) => onProgress?.("embed", done, total)),
    );
    await timed("hnsw", async () => {
      const store = await ChunkVectorStore.build(embedder, vectors, core.chunks.map((c) => chunkDocument(c, c.text)));
      await store.save(path.join(dir, HNSW_DIR));
    });
  } finally {
    await embedder.dispose();
  }

  const info = { ...embedder.info };
  const meta: SearchMeta = { format: SEARCH_FORMAT, embedding: info, lexical, stages };
  writeJson(path.join(dir, SEARCH_META_FILE), meta);
  log(`search index: ${core.chunks.length} passages, ${describe(info)} (${info.dimensions} dimensions)`);
  return info;
}

/** Opens the search index in `dir` (an index folder with its core and search files). */
export async function openSearchIndex(dir: string, opts: { settings: EmbeddingSettings; log?: Log; fusion?: FusionWeights }): Promise<SearchIndex> {
  const { settings } = opts;
  const log = opts.log ?? ((msg: string) => console.warn(msg));
  const core = readIndexCore(dir);
  const meta = readJson<SearchMeta>(path.join(dir, SEARCH_META_FILE));
  if (meta.format !== SEARCH_FORMAT || !meta.embedding) throw new IndexDamagedError(`${SEARCH_META_FILE} in ${dir} is from another version`);
  const embedding = core.manifest.embedding ?? meta.embedding;
  if (!indexMatchesSettings({ ...core.manifest, embedding }, settings)) {
    const wanted = settings.model ? `embedding model "${settings.model}"` : "the corpus-trained embedding model (EMBEDDING_MODEL unset)";
    throw new EmbeddingMismatchError(
      `the index in ${dir} was built with ${describe(embedding)}, but the settings ask for ${wanted}; rebuild it (npm run ingest) so that vectors of two models are never mixed`,
    );
  }

  let seg: Segmenter;
  let bm25: Bm25Index;
  try {
    seg = segmenterFor(readLexicon(dir));
    bm25 = Bm25Index.fromJSON(readJson<Bm25Json>(path.join(dir, "bm25.json")));
  } catch (err) {
    if (err instanceof IndexDamagedError) throw err;
    throw new IndexDamagedError(`the keyword index in ${dir} is missing or damaged: ${(err as Error).message}`, { cause: err });
  }
  if (bm25.size !== core.chunks.length) throw new IndexDamagedError(`bm25.json in ${dir} does not match chunks.json`);
  let glossary: Glossary;
  try {
    // Every build of this search format writes it: missing or unreadable means damaged, rebuild.
    glossary = readGlossary(dir);
  } catch (err) {
    throw new IndexDamagedError(`${GLOSSARY_FILE} in ${dir} is missing or damaged: ${(err as Error).message}`, { cause: err });
  }

  let embedder: Embedder | undefined;
  if (embedding.kind === "trained") {
    try {
      embedder = await Embedder.load({ id: TRAINED_MODEL_ID, root: path.join(dir, MODEL_DIR), allowRemote: false }, "trained", embedding);
    } catch (err) {
      throw new IndexDamagedError(`the trained embedding model in ${dir}/${MODEL_DIR} cannot be loaded: ${(err as Error).message}`, { cause: err });
    }
  } else {
    try {
      embedder = await Embedder.load({ id: embedding.model, root: settings.modelsDir, allowRemote: settings.allowRemote }, "pretrained", embedding);
    } catch (err) {
      // The index is fine; the model went missing. Keyword search still works: say so, don't crash.
      log(`${(err as Error).message} Dense search is off until the model is back; searching by keywords only.`);
    }
  }
  if (embedder && embedder.info.dimensions !== embedding.dimensions) {
    throw new EmbeddingMismatchError(`embedding model "${embedding.model}" now gives ${embedder.info.dimensions} dimensions, the index holds ${embedding.dimensions}; rebuild the index`);
  }

  let store: ChunkVectorStore;
  try {
    store = await ChunkVectorStore.load(path.join(dir, HNSW_DIR), embedder ?? new NullEmbeddings());
  } catch (err) {
    throw new IndexDamagedError(`the vector store in ${dir}/${HNSW_DIR} is missing or damaged: ${(err as Error).message}`, { cause: err });
  }
  if (store.size !== core.chunks.length) throw new IndexDamagedError(`the vector store in ${dir} does not match chunks.json`);
  if (store.dimensions !== embedding.dimensions) {
    throw new IndexDamagedError(`the vector store in ${dir}/${HNSW_DIR} holds ${store.dimensions}-dimension vectors, the index records ${embedding.dimensions} (args.json damaged)`);
  }
  try {
    // One probe search: a store that opens but cannot be searched must be found now, not by every request.
    await store.search(Array.from({ length: embedding.dimensions }, (_, i) => (i === 0 ? 1 : 0)), 1);
  } catch (err) {
    throw new IndexDamagedError(`the vector store in ${dir}/${HNSW_DIR} cannot be searched: ${(err as Error).message}`, { cause: err });
  }

  let reranker: CrossEncoder | undefined;
  if (settings.reranker) {
    try {
      reranker = await CrossEncoder.load({ id: settings.reranker, root: settings.modelsDir, allowRemote: settings.allowRemote });
    } catch (err) {
      log(`${(err as Error).message} Reranking is off; "rerank" searches return the hybrid order.`);
    }
  }

  // Weights were tuned for the corpus-trained model; a pretrained model starts from plain RRF.
  const fusion = opts.fusion ?? parseFusionWeights(settings.hybridWeights, embedding.kind === "trained" ? TUNED_FUSION : DEFAULT_FUSION);
  return new LocalSearchIndex(dir, core, embedding, { seg, bm25, glossary, store, fusion, lexical: meta.lexical }, { embedder, reranker });
}

/**
 * Fusion weights chosen on evals/qa.jsonl (bench/retrieval.ts prints the comparison). BM25 is the
 * stronger signal on this corpus; the trained dense signal at weight 0.1–0.2 (k0 2–10, a flat
 * plateau) lifts hit@5 without costing MRR, while 0.4 and above let it overturn BM25's confident
 * first places. Pretrained models start from plain RRF (1, 1, k0 60); HYBRID_WEIGHTS overrides both.
 */
export const TUNED_FUSION: FusionWeights = { dense: 0.15, bm25: 1, k0: 5 };

/** Stands in for an unavailable embedder so the stored vectors can still be opened. */
class NullEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  async embedQuery(): Promise<number[]> {
    throw new Error("no embedding model loaded");
  }
  async embedDocuments(): Promise<number[][]> {
    throw new Error("no embedding model loaded");
  }
}

interface Parts {
  seg: Segmenter;
  bm25: Bm25Index;
  glossary?: Glossary;
  store: ChunkVectorStore;
  fusion: FusionWeights;
  lexical: LexicalOptions;
}

/** The parts holding native (ONNX) sessions: released by close(). */
interface Models {
  embedder?: Embedder;
  reranker?: CrossEncoder;
}

/** Ranked chunk ids of each signal for one query, with their own scores. */
export interface SignalLists {
  dense: { id: string; score: number }[];
  bm25: { id: string; score: number }[];
}

class LocalSearchIndex implements SearchIndex {
  private readonly chunksById: Map<string, Chunk>;
  private readonly articlesById: Map<string, Article>;
  /** Searches in progress: close() waits for them before releasing the models they may be running. */
  private active = 0;
  private drained?: () => void;
  private closing?: Promise<void>;

  constructor(
    readonly dir: string,
    readonly core: IndexCore,
    readonly embedding: EmbeddingInfo,
    private readonly parts: Parts,
    private models: Models,
  ) {
    this.chunksById = new Map(core.chunks.map((c) => [c.id, c]));
    this.articlesById = new Map(core.articles.map((a) => [a.id, a]));
  }

  get glossary(): Glossary | undefined {
    return this.parts.glossary;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const { embedder, reranker } = this.models;
      // Searches starting from now on see no models (keywords only); those running keep the ones they took.
      this.models = {};
      while (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      await Promise.all([embedder?.dispose(), reranker?.dispose()]);
    })();
    return this.closing;
  }

  chunk(id: string): Chunk | undefined {
    return this.chunksById.get(id);
  }

  article(id: string): Article | undefined {
    return this.articlesById.get(id);
  }

  retriever(opts: SearchOptions = {}): SearchIndexRetriever {
    return new SearchIndexRetriever((query, o) => this.search(query, o), opts);
  }

  /** Chinese dictionary candidates for an English question (empty for other questions). */
  translation(query: string): string[] {
    return this.parts.glossary && textLanguage(query) === "en" ? translateQuery(query, this.parts.glossary) : [];
  }

  async signals(query: string, pool: number, embedder = this.models.embedder): Promise<SignalLists> {
    const chunks = this.core.chunks;
    const translated = this.translation(query);
    const tokens = [query, ...translated].flatMap((t) => lexicalTokens(this.parts.seg, t, this.parts.lexical));
    const bm25 = this.parts.bm25.search(tokens, pool).map((h) => ({ id: chunks[h.doc].id, score: h.score }));
    let dense: SignalLists["dense"] = [];
    if (embedder) {
      let vector = await embedder.embedQuery(query);
      // A query of only unknown words or stopwords has no direction (zero or NaN after normalizing);
      // an English question the model cannot read is embedded through its dictionary translation.
      if (!isLive(vector) && translated.length) vector = await embedder.embedQuery(translated.join(" "));
      if (isLive(vector)) dense = (await this.parts.store.search(vector, pool)).map((h) => ({ id: h.chunkId, score: h.similarity }));
    }
    return { dense, bm25 };
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    this.active++;
    try {
      return await this.searchWith(this.models, query, opts);
    } finally {
      if (--this.active === 0) this.drained?.();
    }
  }

  private async searchWith(models: Models, query: string, opts: SearchOptions): Promise<SearchHit[]> {
    const q = query.trim();
    if (!q) return [];
    const k = Math.max(1, Math.min(MAX_K, Math.floor(opts.k ?? 5)));
    const mode = opts.mode ?? "hybrid";
    const pool = Math.min(this.core.chunks.length, Math.max(50, 4 * k));
    const lists = await this.signals(q, pool, models.embedder);
    const rank = (list: { id: string }[]) => new Map(list.map((h, i) => [h.id, i + 1]));
    const denseRank = rank(lists.dense);
    const bm25Rank = rank(lists.bm25);
    const hit = (id: string, score: number): SearchHit => ({
      chunk: this.chunksById.get(id)!,
      score,
      ranks: { dense: denseRank.get(id), bm25: bm25Rank.get(id) },
    });

    let hits: SearchHit[];
    if (mode === "dense") hits = lists.dense.map((h) => hit(h.id, h.score));
    else if (mode === "bm25") hits = lists.bm25.map((h) => hit(h.id, h.score));
    else {
      const fused = reciprocalRankFusion({ dense: lists.dense.map((h) => h.id), bm25: lists.bm25.map((h) => h.id) }, this.parts.fusion);
      hits = fused.map((f) => hit(f.id, f.score));
    }
    hits = collapseItems(hits, (h) => h.chunk);

    if (mode === "rerank" && models.reranker && hits.length) {
      const candidates = hits.slice(0, Math.max(20, k));
      const scores = await models.reranker.score(q, candidates.map((h) => indexedText(h.chunk)));
      hits = candidates.map((h, i) => ({ ...h, score: scores[i] })).sort((a, b) => b.score - a.score);
    }

    hits = hits.slice(0, k);
    if (opts.mergeParts) {
      hits = hits.map((h) => ({ ...h, chunk: mergeItemParts(h.chunk, this.core.chunks, this.articlesById.get(h.chunk.articleId)?.text) }));
    }
    return hits;
  }
}

function isLive(vector: number[]): boolean {
  return vector.every(Number.isFinite) && vector.some((x) => x !== 0);
}

/** True when `dir` holds the files a search index needs (a cheap check before opening). */
export function hasSearchIndex(dir: string): boolean {
  return ["bm25.json", SEARCH_META_FILE, path.join(HNSW_DIR, "hnswlib.index")].every((f) => fs.existsSync(path.join(dir, f)));
}
