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
}

/**
 * What the pipeline streams. `token`s preview the answer as it is written; `reset` tells the client to
 * discard the preview shown so far (a model failed or was not supported by the passages, and the
 * extractive answer follows); `done` carries the answer as it stands, which is authoritative.
 */
export type AnswerEvent =
  | { type: "retrieval"; question: string; passages: Citation[] }
  | { type: "token"; text: string }
  | { type: "reset" }
  | {
      type: "done";
      answer: string;
      citations: Citation[];
      refused: boolean;
      generator: string;
      notice?: string;
      uncited?: string[];
      /** How a model's citations fared in the check (absent for the extractive composer); for benchmarks and logs. */
      check?: CitationCheck;
    };

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
  check?: CitationCheck;
}

import type { Language } from "../../vectors/language.ts";
export type Lang = Language;

export interface GeneratorInfo {
  kind: "extractive" | "llm";
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
