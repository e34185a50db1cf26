/**
 * Types shared by the answer pipeline. What reaches clients is defined once, in the API contract
 * (server/contract/chat.ts): the events and results here are derived from it, with the engine's own
 * Citation (which may carry more than the wire shows) in place of the contract's.
 */
import type { Chunk } from "../../vectors/types.ts";
import type { Glossary } from "../../vectors/query-translation.ts";
import type { SearchIndex } from "../../vectors/search-index.ts";
import type { GeneratorKind } from "../contract/health.ts";
import type { Citation as WireCitation, ChatResponse, DoneEvent, HistoryTurn, RetrievalEvent, TokenEvent } from "../contract/chat.ts";
import type { SentenceSimilarity } from "../../vectors/types.ts";

/**
 * What the pipeline needs of the index (a SearchIndex is one): its LangChain retriever, which is the
 * search path, and the chunks and glossary the refusal and composer read.
 */
export type PassageIndex = Pick<SearchIndex, "retriever" | "glossary"> & { core: { chunks: Chunk[] } } & Partial<Pick<SearchIndex, "segmenter" | "wordFacts">> & {
  /** A pretrained sentence model, when one is configured. */
  semantic?: SentenceSimilarity;
};

export type ChatTurn = HistoryTurn;

/**
 * One passage as the engine numbers and cites it. Extends the contract's Citation: fields added here
 * stay inside the server unless the contract adds them too (routes send `toWire(citations)`).
 */
export interface Citation extends WireCitation {}

/**
 * What the pipeline streams. `token`s preview the answer as it is written; `reset` tells the client to
 * discard the preview shown so far (a model failed or was not supported by the passages, and the
 * extractive answer follows); `done` carries the answer as it stands, which is authoritative.
 */
export type AnswerEvent =
  | ({ type: "retrieval" } & Omit<RetrievalEvent, "passages"> & { passages: Citation[] })
  | ({ type: "token" } & TokenEvent)
  | { type: "reset" }
  | ({ type: "done" } & Omit<DoneEvent, "citations"> & {
      citations: Citation[];
      /** How a model's citations fared in the check (absent for the extractive composer); for benchmarks and logs, not sent. */
      check?: CitationCheck;
    });

/** Counts from checking a model's answer against its passages, sentence by sentence (citation-review.ts). */
export interface CitationCheck {
  /** Claim sentences in the answer (lead lines, headings and short fragments are not claims). */
  sentences: number;
  /** Claims the model gave at least one marker to a passage it was shown. */
  marked: number;
  /** Marked claims that a passage they cite supports. */
  supportedAsCited: number;
  /** Claims without a supporting marker that got the passage most like them. */
  attached: number;
  /** Claims no passage supports (their markers removed; listed as uncited). */
  unsupported: number;
  /** Share of claims that end up supported by what they cite (0 when there are none). */
  supportedShare: number;
  /** The model's answer was replaced by the extractive one because too little of it was supported. */
  fellBack: boolean;
}

export interface AnswerRequest {
  question: string;
  history?: ChatTurn[];
  /** How many passages to retrieve (default 6). */
  k?: number;
  /** A client's own instructions (/v1 system messages): for an LLM generator only, never for retrieval. */
  instructions?: string[];
}

export interface AnswerDeps {
  index: PassageIndex;
  generator: Generator;
  signal?: AbortSignal;
  /** Least P(answerable) to answer (REFUSAL_THRESHOLD); default: the fitted model's threshold. */
  refusalThreshold?: number;
}

/** The whole answer (the JSON reply's fields) plus the passages the generator was given, and the citation check. */
export type AnswerResult = Omit<ChatResponse, "citations"> & { citations: Citation[]; passages: Citation[]; check?: CitationCheck };

import type { Language } from "../../vectors/language.ts";
export type Lang = Language;

export interface GeneratorInfo {
  kind: GeneratorKind;
  /** The model's name at its endpoint, or the GGUF file's name when it runs in-process. */
  model?: string;
  /** The OpenAI-compatible endpoint (internal: never shown by /api/health). */
  baseUrl?: string;
}

export interface GenerateInput {
  /** The standalone question (after follow-up rewriting). */
  question: string;
  /** Passages numbered 1..k; the generator cites them as [n]. */
  passages: Citation[];
  history: ChatTurn[];
  lang: Lang;
  /** The index's chunks, for how telling each question term is (used by the extractive composer). */
  chunks?: Chunk[];
  /** The index's English→Chinese glossary (for English questions). */
  glossary?: Glossary;
  /** The index answered from (its segmenter and word facts: the extractive composer analyses the question with them). */
  index?: PassageIndex;
  /** Similarity of each of the passages' sentences, in order, to the question (pretrained model only). */
  semantic?: number[];
  /** A client's own instructions (tone, length, format); the extractive composer has no use for them. */
  instructions?: string[];
}

/**
 * One piece of a generator's stream. A string is model text: its markers, in whatever form the model
 * wrote them, are read, checked and repaired. The other two are pieces the generator vouches for:
 * `literal` text is shown as written and never read for markers (a document's own "[2]" stays text),
 * `cite` is a marker it placed itself, to passage n as given.
 */
export type GeneratedPiece = string | { literal: string } | { cite: number };

/** Writes answers from numbered passages. The pipeline checks and renumbers the markers it produces. */
export interface Generator {
  info(): GeneratorInfo;
  /** Streams the answer with [n] markers; throws (or rejects mid-stream) on failure, the pipeline falls back. */
  stream(input: GenerateInput, signal?: AbortSignal): AsyncIterable<GeneratedPiece>;
  /** Rewrites a follow-up into a standalone question; absent for generators without a model. */
  rewrite?(question: string, history: ChatTurn[], signal?: AbortSignal): Promise<string>;
  /** Frees what the generator holds (an in-process model); absent when there is nothing to free. */
  close?(): Promise<void>;
}
