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

/**
 * What the pipeline needs of the index (a SearchIndex is one): its LangChain retriever, which is the
 * search path, and the chunks and glossary the refusal and composer read.
 */
export type PassageIndex = Pick<SearchIndex, "retriever" | "glossary"> & { core: { chunks: Chunk[] } };

export type ChatTurn = HistoryTurn;

/**
 * One passage as the engine numbers and cites it. Extends the contract's Citation: fields added here
 * stay inside the server unless the contract adds them too (routes send `toWire(citations)`).
 */
export interface Citation extends WireCitation {}

export type AnswerEvent =
  | ({ type: "retrieval" } & Omit<RetrievalEvent, "passages"> & { passages: Citation[] })
  | ({ type: "token" } & TokenEvent)
  | ({ type: "done" } & Omit<DoneEvent, "citations"> & { citations: Citation[] });

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
}

/** The whole answer (the JSON reply's fields) plus the passages the generator was given. */
export type AnswerResult = Omit<ChatResponse, "citations"> & { citations: Citation[]; passages: Citation[] };

import type { Language } from "../../vectors/language.ts";
export type Lang = Language;

export interface GeneratorInfo {
  kind: GeneratorKind;
  model?: string;
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
  /** A client's own instructions (tone, length, format); the extractive composer has no use for them. */
  instructions?: string[];
}

/** Writes answers from numbered passages. The pipeline checks and renumbers the markers it produces. */
export interface Generator {
  info(): GeneratorInfo;
  /** Streams the answer text with [n] markers; throws (or rejects mid-stream) on failure, the pipeline falls back. */
  stream(input: GenerateInput, signal?: AbortSignal): AsyncIterable<string>;
  /** Rewrites a follow-up into a standalone question; absent for generators without a model. */
  rewrite?(question: string, history: ChatTurn[], signal?: AbortSignal): Promise<string>;
}
