/**
 * The search index of one index folder: BM25 (jieba words + character bigrams), dense vectors in
 * HNSW (corpus-trained or pretrained embedder), their Reciprocal Rank Fusion, optional rerank.
 * `buildSearchIndex` writes it at ingest; `openSearchIndex` reads it for the server and the evals.
 *
 * Files written next to the index core:
 *   lexicon.txt      corpus terms added to jieba's dictionary
 *   bm25.json        the inverted index
 *   glossary.json    English gloss → corpus words (offline translation of English questions)
 *   word-facts.json  CC-CEDICT facts for answering: proper nouns, paraphrase bridges (word-facts.ts)
 *   model/corpus-embedder/   the trained embedding model (absent when a pretrained model or an endpoint was used)
 *   hnsw/            the HNSW vector store (args.json, docstore.json, hnswlib.index; vector-store.ts)
 *   passages.{json,bin}, sentences.{json,bin}   the vectors of each passage and of each of its sentences (text-vectors.ts)
 *   search.json      what was built and how (embedding info, tokenizer options, stage timings)
 */
import fs from "node:fs";
import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { LIMITS, type EmbeddingSettings } from "../config/settings.ts";
import { IndexDamagedError, readIndexCore, readJson, writeJson, type IndexCore } from "./index-folder.ts";
import {
  indexedText, type Article, type Chunk, type EmbeddingInfo, type Manifest, type Progress, type SearchHit, type SearchMode, type SearchOptions,
  type SentenceSimilarity,
} from "./types.ts";
import { Bm25Index, type Bm25Json } from "./bm25.ts";
import { learnCorpusTerms, readLexicon, segmenterFor, writeLexicon, type Segmenter } from "./segmenter.ts";
import { DEFAULT_LEXICAL, lexicalTokens, type LexicalOptions } from "./lexical-tokens.ts";
import { textLanguage } from "./language.ts";
import { buildGlossary, readGlossary, translateQuery, writeGlossary, GLOSSARY_FILE, type Glossary } from "./query-translation.ts";
import { readCedict } from "./cedict.ts";
import { buildWordFacts, readWordFacts, writeWordFacts, WordFactsLookup, WORD_FACTS_FILE } from "./word-facts.ts";
import { buildEmbedder, indexEmbedder, MODEL_DIR, type TextEmbedder } from "./embedders.ts";
import { EmbeddingEndpointError, EndpointEmbedder } from "./endpoint-embedder.ts";
import { EndpointHealth, type DenseStatus } from "./endpoint-health.ts";
import { missingModelFiles } from "./model-loader.ts";
import { profileOf } from "./model-profiles.ts";
import { ChunkVectorStore, chunkDocument } from "./vector-store.ts";
import { VectorCache, cosine } from "./vector-cache.ts";
import { TextVectors, vectorSetFiles, type VectorSet } from "./text-vectors.ts";
import { parseFusionWeights, reciprocalRankFusion, type FusionWeights } from "./fusion.ts";
import { collapseItems, mergeItemParts } from "./item-groups.ts";
import { CrossEncoder } from "./reranker.ts";
import { SearchIndexRetriever } from "./retriever.ts";

export type { DenseStatus } from "./endpoint-health.ts";

export interface SearchIndex {
  dir: string;
  core: IndexCore;
  embedding: EmbeddingInfo;
  /** The index's English gloss → corpus words dictionary (glossary.json, read once at open); absent in older builds. */
  readonly glossary?: Glossary;
  /** CC-CEDICT facts about words (word-facts.json): proper nouns and paraphrase bridges. */
  readonly wordFacts?: WordFactsLookup;
  /** The index's own segmenter (stock jieba + the corpus lexicon), with part-of-speech tags. */
  readonly segmenter: Segmenter;
  /**
   * Sentence similarity from the index's pretrained model (endpoint or local): absent with the
   * corpus-trained model, after close(), and while the model's endpoint is known to be down.
   */
  readonly semantic?: SentenceSimilarity;
  /** The hybrid fusion weights in use (the model profile's, or HYBRID_WEIGHTS). */
  readonly fusion: FusionWeights;
  /** Whether dense search (and `semantic`) can run now; /api/health shows it. */
  denseStatus(): DenseStatus;
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
/**
 * Bump when what the search files hold changes (2: the glossary ranks senses and knows phrases;
 * 3: sentence vectors; 4: word-facts.json): older indexes rebuild.
 */
const SEARCH_FORMAT = 4;
export { MODEL_DIR } from "./embedders.ts";
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
 * True when an index built as the manifest says serves these settings: the same model from the same
 * kind of provider (an endpoint's served name; the endpoint's address may change, e.g. a new port), or
 * the trained model when none is configured — or when the configured local one is still unavailable
 * (the build fell back to the trained model; rebuilding would only fall back again).
 */
export function indexMatchesSettings(manifest: Manifest, settings: EmbeddingSettings): boolean {
  const e = manifest.embedding;
  if (!e) return false;
  const fromEndpoint = e.provider === "openai-compatible";
  if (settings.baseUrl) return fromEndpoint && e.model === settings.model;
  if (fromEndpoint) return false;
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
  if (e.kind === "trained") return "the corpus-trained embedding model";
  return e.provider === "openai-compatible" ? `embedding model "${e.model}" from the endpoint at ${e.endpoint}` : `embedding model "${e.model}"`;
}

function wantedBy(settings: EmbeddingSettings): string {
  if (settings.baseUrl) return `embedding model "${settings.model}" from the endpoint ${settings.baseUrl}`;
  return settings.model ? `embedding model "${settings.model}"` : "the corpus-trained embedding model (EMBEDDING_MODEL unset)";
}

/** Builds every search structure for `core` into `dir` and says which embedding model made the vectors. */
export async function buildSearchIndex(
  dir: string,
  core: IndexCore,
  opts: {
    settings: EmbeddingSettings;
    onProgress?: Progress;
    log?: Log;
    /** A previous build whose vectors are reused for unchanged texts when the same pretrained model made them. */
    reuseFrom?: string | null;
  },
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
      // Which stage broke tells a user (and a bug report) where to look; an endpoint's error already names it.
      if (err instanceof EmbeddingEndpointError) throw err;
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
    const cedict = readCedict();
    writeGlossary(dir, buildGlossary(passagesWith, texts, cedict));
    writeWordFacts(dir, buildWordFacts(passagesWith.keys(), cedict));
  });

  const embedder = await timed("embedder", () => buildEmbedder({ settings, dir, texts, seg, log }));

  try {
    const embedSet = (set: VectorSet, stage: string) =>
      timed(stage, async () => {
        const reuse = TextVectors.reusable(opts.reuseFrom, set, embedder.info);
        const rows = TextVectors.rowsFor(set, core.chunks, indexedText);
        const vectors = await TextVectors.build(rows, (t) => embedder.embedDocuments(t, (done, total) => onProgress?.(stage, done, total)), reuse);
        vectors.save(dir, set, embedder.info);
        return vectors;
      });
    const passages = await embedSet("passages", "embed");
    await timed("hnsw", async () => {
      const vectors = passages.rows.map((_, r) => Array.from(passages.row(r)));
      const store = await ChunkVectorStore.build(embedder, vectors, core.chunks.map((c) => chunkDocument(c, c.text)));
      await store.save(path.join(dir, HNSW_DIR));
    });
    await embedSet("sentences", "embed-sentences");
  } finally {
    await embedder.dispose();
  }

  const info = { ...embedder.info };
  const meta: SearchMeta = { format: SEARCH_FORMAT, embedding: info, lexical, stages };
  writeJson(path.join(dir, SEARCH_META_FILE), meta);
  log(`search index: ${core.chunks.length} passages, ${describe(info)} (${info.dimensions} dimensions)`);
  return info;
}

export interface OpenOptions {
  settings: EmbeddingSettings;
  log?: Log;
  /** Fusion weights (default: HYBRID_WEIGHTS over the model profile's). */
  fusion?: FusionWeights;
  /**
   * How an English question reaches the dense signal: embedded as written, or as its dictionary
   * rendering (default: as written for multilingual models, see ModelProfile.multilingual). For measuring both.
   */
  englishDense?: "direct" | "dictionary";
  /** false: offer no `semantic` even with a pretrained model (to measure the answer engine without it). */
  semantic?: boolean;
  /** How long an endpoint that failed is left alone before the next try (default 15 s). */
  endpointRetryMs?: number;
}

/** Opens the search index in `dir` (an index folder with its core and search files). */
export async function openSearchIndex(dir: string, opts: OpenOptions): Promise<SearchIndex> {
  const { settings } = opts;
  const log = opts.log ?? ((msg: string) => console.warn(msg));
  const core = readIndexCore(dir);
  const meta = readJson<SearchMeta>(path.join(dir, SEARCH_META_FILE));
  if (meta.format !== SEARCH_FORMAT || !meta.embedding) throw new IndexDamagedError(`${SEARCH_META_FILE} in ${dir} is from another version`);
  const embedding = core.manifest.embedding ?? meta.embedding;
  if (!indexMatchesSettings({ ...core.manifest, embedding }, settings)) {
    throw new EmbeddingMismatchError(
      `the index in ${dir} was built with ${describe(embedding)}, but the settings ask for ${wantedBy(settings)}; rebuild it (npm run ingest) so that vectors of two models are never mixed`,
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
  let wordFacts: WordFactsLookup;
  try {
    // Written by every build of this format, like the glossary: missing or unreadable means damaged.
    wordFacts = new WordFactsLookup(readWordFacts(dir));
  } catch (err) {
    throw new IndexDamagedError(`${WORD_FACTS_FILE} in ${dir} is missing or damaged: ${(err as Error).message}`, { cause: err });
  }

  let embedder: TextEmbedder | undefined;
  let missingModel: string | undefined;
  const health = new EndpointHealth(log, opts.endpointRetryMs);
  if (embedding.kind === "trained") {
    try {
      embedder = await indexEmbedder(dir, embedding, settings);
    } catch (err) {
      throw new IndexDamagedError(`the trained embedding model in ${dir}/${MODEL_DIR} cannot be loaded: ${(err as Error).message}`, { cause: err });
    }
  } else if (embedding.provider === "openai-compatible") {
    const endpoint = (embedder = await indexEmbedder(dir, embedding, settings)) as EndpointEmbedder;
    let dimensions: number | undefined;
    try {
      dimensions = await endpoint.probe();
    } catch (err) {
      // The index is fine; its endpoint is down. Keyword search still works: say so, don't crash, retry later.
      if (!(err instanceof EmbeddingEndpointError)) throw err;
      health.failed(err);
    }
    if (dimensions !== undefined && dimensions !== embedding.dimensions) {
      throw new EmbeddingMismatchError(
        `embedding model "${embedding.model}" at ${endpoint.baseUrl} now gives ${dimensions} dimensions, the index holds ${embedding.dimensions}; rebuild the index`,
      );
    }
  } else {
    try {
      embedder = await indexEmbedder(dir, embedding, settings);
    } catch (err) {
      // The index is fine; the model went missing. Keyword search still works: say so, don't crash.
      missingModel = `${(err as Error).message} Dense search is off until the model is back; searching by keywords only.`;
      log(missingModel);
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
  const sentences = TextVectors.load(dir, "sentences", { dimensions: embedding.dimensions, chunks: core.chunks.length });

  let reranker: CrossEncoder | undefined;
  if (settings.reranker) {
    try {
      reranker = await CrossEncoder.load({ id: settings.reranker, root: settings.modelsDir, allowRemote: settings.allowRemote });
    } catch (err) {
      log(`${(err as Error).message} Reranking is off; "rerank" searches return the hybrid order.`);
    }
  }

  // Each model family has its own tuned weights (vectors/model-profiles.ts); HYBRID_WEIGHTS overrides them.
  const profile = profileOf(embedding);
  const fusion = opts.fusion ?? parseFusionWeights(settings.hybridWeights, profile.fusion);
  const englishDense = opts.englishDense ?? (profile.multilingual ? "direct" : "dictionary");
  const semantic = opts.semantic !== false && embedding.kind === "pretrained";
  return new LocalSearchIndex(
    dir, core, embedding,
    { seg, bm25, glossary, wordFacts, store, sentences, fusion, lexical: meta.lexical, englishDense, semantic, health, missingModel },
    { embedder, reranker },
  );
}

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
  wordFacts?: WordFactsLookup;
  store: ChunkVectorStore;
  sentences: TextVectors;
  fusion: FusionWeights;
  lexical: LexicalOptions;
  englishDense: "direct" | "dictionary";
  /** Offer sentence similarity (a pretrained model, not switched off). */
  semantic: boolean;
  /** Whether the embedding endpoint answers (always "ok" for a model in this process). */
  health: EndpointHealth;
  /** Set when the local pretrained model could not be loaded (keywords only). */
  missingModel?: string;
}

/** The parts holding native (ONNX) sessions: released by close(). */
interface Models {
  embedder?: TextEmbedder;
  reranker?: CrossEncoder;
}

/** Recent questions' vectors: the answer engine's sentence similarity asks for the question the search just embedded. */
const QUERY_CACHE = 256;
/** Sentence vectors for `semantic` (Float32, 1.5 KB each at 384 dimensions): the seed corpus has about 600 sentences. */
const SENTENCE_CACHE = 8192;

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
  private readonly queryVectors = new VectorCache(QUERY_CACHE);
  private readonly sentenceVectors = new VectorCache<Float32Array>(SENTENCE_CACHE);
  private similarity?: SentenceSimilarity;

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

  get wordFacts(): WordFactsLookup | undefined {
    return this.parts.wordFacts;
  }

  get segmenter(): Segmenter {
    return this.parts.seg;
  }

  get fusion(): FusionWeights {
    return { ...this.parts.fusion };
  }

  get semantic(): SentenceSimilarity | undefined {
    if (!this.parts.semantic || !this.models.embedder || !this.parts.health.usable) return undefined;
    return (this.similarity ??= { model: this.embedding.model, similarities: (q, texts, signal) => this.similarities(q, texts, signal) });
  }

  denseStatus(): DenseStatus {
    if (this.parts.missingModel) return { state: "unavailable", reason: this.parts.missingModel };
    return this.parts.health.status();
  }

  /** One question's vector (cached), through the endpoint's health check. */
  private async queryVector(embedder: TextEmbedder, text: string, signal?: AbortSignal): Promise<number[]> {
    const cached = this.queryVectors.get(text);
    if (cached) return cached;
    const vector = await this.parts.health.run(() => embedder.embedQuery(text, signal));
    this.queryVectors.set(text, vector);
    return vector;
  }

  private async similarities(query: string, texts: string[], signal?: AbortSignal): Promise<number[]> {
    const embedder = this.models.embedder;
    if (!embedder) throw new Error("the index was closed: no embedding model to compare sentences with");
    if (!query.trim()) return texts.map(() => 0);
    this.active++;
    try {
      const q = await this.queryVector(embedder, query, signal);
      const fresh = new Map<string, Float32Array>();
      const known = (t: string) => this.parts.sentences.vectorOf(t) ?? this.sentenceVectors.get(t);
      const missing = [...new Set(texts.filter((t) => t.trim() && !known(t)))];
      if (missing.length) {
        const vectors = await this.parts.health.run(() => embedder.embedDocuments(missing, undefined, signal));
        missing.forEach((t, i) => {
          const v = Float32Array.from(vectors[i]);
          fresh.set(t, v);
          this.sentenceVectors.set(t, v);
        });
      }
      return texts.map((t) => {
        const v = t.trim() ? (fresh.get(t) ?? known(t)) : undefined;
        return v ? cosine(q, v) : 0;
      });
    } finally {
      if (--this.active === 0) this.drained?.();
    }
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

  /** Both ranked lists for a query; `embedder` undefined = keywords only. */
  async signals(query: string, pool: number, embedder: TextEmbedder | undefined, signal?: AbortSignal): Promise<SignalLists> {
    const chunks = this.core.chunks;
    const translated = this.translation(query);
    const tokens = [query, ...translated].flatMap((t) => lexicalTokens(this.parts.seg, t, this.parts.lexical));
    const bm25 = this.parts.bm25.search(tokens, pool).map((h) => ({ id: chunks[h.doc].id, score: h.score }));
    let dense: SignalLists["dense"] = [];
    if (embedder) {
      // An English question: as written for a multilingual model, else its dictionary rendering; the
      // other one when the first has no direction (only unknown words or stopwords: zero or NaN).
      const rendering = translated.join(" ");
      const tries = !rendering ? [query] : this.parts.englishDense === "direct" ? [query, rendering] : [rendering, query];
      try {
        let vector: number[] | undefined;
        for (const text of tries) {
          vector = await this.queryVector(embedder, text, signal);
          if (isLive(vector)) break;
        }
        if (vector && isLive(vector)) dense = await this.denseList(vector, pool);
      } catch (err) {
        // The endpoint is down (recorded by its health check): this search goes on by keywords.
        if (!(err instanceof EmbeddingEndpointError)) throw err;
      }
    }
    return { dense, bm25 };
  }

  /**
   * Passages by dense score: the passage's own similarity plus its best sentence's (sentence-vectors.ts).
   * Passages outside the HNSW pool count the pool's lowest passage similarity.
   */
  private async denseList(vector: number[], pool: number): Promise<SignalLists["dense"]> {
    const passages = await this.parts.store.search(vector, pool);
    const best = this.parts.sentences.bestPerChunk(vector);
    if (!best.size) return passages.map((h) => ({ id: h.chunkId, score: h.similarity }));
    const own = new Map(passages.map((h) => [h.chunkId, h.similarity]));
    const passageFloor = Math.min(...passages.map((h) => h.similarity));
    let sentenceFloor = Infinity;
    for (const s of best.values()) sentenceFloor = Math.min(sentenceFloor, s);
    const scores = new Map<string, number>();
    for (const [i, s] of best) scores.set(this.core.chunks[i].id, (own.get(this.core.chunks[i].id) ?? passageFloor) + s);
    for (const h of passages) if (!scores.has(h.chunkId)) scores.set(h.chunkId, h.similarity + sentenceFloor);
    return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score).slice(0, pool);
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
    // Keyword search alone asks the embedding model nothing (an endpoint round trip saved).
    const lists = await this.signals(q, pool, mode === "bm25" ? undefined : models.embedder, opts.signal);
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
      const fused = reciprocalRankFusion({ dense: lists.dense.map((h) => h.id), bm25: lists.bm25.map((h) => h.id) }, opts.fusion ?? this.parts.fusion);
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
  return ["bm25.json", SEARCH_META_FILE, path.join(HNSW_DIR, "hnswlib.index"), ...vectorSetFiles("passages"), ...vectorSetFiles("sentences")].every((f) =>
    fs.existsSync(path.join(dir, f)),
  );
}
