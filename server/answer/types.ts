/**
 * Types shared by the answer pipeline: what the server streams to clients and what a generator sees.
 * The contract with the server helper lives here (AnswerEvent, Citation, AnswerRequest).
 */
import type { Chunk, SearchHit, SearchMode } from "../../vectors/types.ts";
import type { Glossary } from "../../vectors/query-translation.ts";

/**
 * The part of the VECTORS helper's SearchIndex the pipeline uses (a SearchIndex satisfies it);
 * kept narrow so tests can hand in a small fake.
 */
export interface PassageIndex {
  search(query: string, opts?: { k?: number; mode?: SearchMode; mergeParts?: boolean }): Promise<SearchHit[]>;
  /** The index folder. */
  dir?: string;
  /** The index's English→Chinese glossary (lets English questions be matched against Chinese passages). */
  glossary?: Glossary;
  /** All chunks, for term rarity (how telling a question word is in this corpus). */
  core: { chunks: Chunk[] };
}

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

/** One passage as shown to the user (and, in `retrieval`, as numbered for the generator). */
export interface Citation {
  n: number;
  chunkId: string;
  articleId: string;
  title: string;
  headingPath: string[];
  itemNo?: string;
  /** The chunk text verbatim. */
  quote: string;
  start: number;
  end: number;
  /** The chunk's sentence offsets in `quote` (see Chunk.sentences; text/passages.ts reads them). */
  sentences?: [number, number][];
  /** The span of the heading `quote` opens with (see Chunk.heading). */
  heading?: [number, number];
}

export type AnswerEvent =
  | { type: "retrieval"; question: string; passages: Citation[] }
  | { type: "token"; text: string }
  | {
      type: "done";
      answer: string;
      citations: Citation[];
      refused: boolean;
      generator: string;
      notice?: string;
      uncited?: string[];
    };

export interface AnswerRequest {
  question: string;
  history?: ChatTurn[];
  /** How many passages to retrieve (default 6). */
  k?: number;
}

export interface AnswerDeps {
  index: PassageIndex;
  generator: Generator;
  signal?: AbortSignal;
}

export interface AnswerResult {
  question: string;
  answer: string;
  citations: Citation[];
  refused: boolean;
  passages: Citation[];
  generator: string;
  notice?: string;
  uncited?: string[];
}

import type { Language } from "../../vectors/language.ts";
export type Lang = Language;

export interface GeneratorInfo {
  kind: "extractive" | "llm";
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
}

/** Writes answers from numbered passages. The pipeline checks and renumbers the markers it produces. */
export interface Generator {
  info(): GeneratorInfo;
  /** Streams the answer text with [n] markers; throws (or rejects mid-stream) on failure, the pipeline falls back. */
  stream(input: GenerateInput, signal?: AbortSignal): AsyncIterable<string>;
  /** Rewrites a follow-up into a standalone question; absent for generators without a model. */
  rewrite?(question: string, history: ChatTurn[], signal?: AbortSignal): Promise<string>;
}
