/**
 * POST /api/chat: the request body, the JSON reply and the SSE events (`retrieval`, `token`… — with a
 * `reset` among them when the text so far is withdrawn — `done`, or `error` with an ErrorBody). Citation is the passage as the client sees it; the answer engine may
 * keep more about a passage internally, but only these fields go on the wire.
 */
import { z } from "zod";
import type { LimitsSettings } from "../../config/settings.ts";
import { code } from "./errors.ts";
import { charCount } from "./text.ts";

export type RequestLimits = Pick<LimitsSettings, "maxQuestionChars" | "maxHistoryTurns" | "maxHistoryChars" | "maxK">;

/** Offsets [start, end) in a text. */
const span = z.tuple([z.number().int().min(0), z.number().int().min(0)]);

/** A passage an answer rests on: article › section › item, with its offsets in the article text. */
export const citationSchema = z.object({
  /** The number the answer cites it by: `[n]`. */
  n: z.number().int().min(1),
  chunkId: z.string(),
  articleId: z.string(),
  title: z.string(),
  /** Title › section › item. */
  headingPath: z.array(z.string()),
  /** Item number as written ("12", "三", "第五条"), when the passage is a numbered item. */
  itemNo: z.string().optional(),
  /** The passage verbatim from the corpus. */
  quote: z.string(),
  /** Offsets of the quote in the article's text (GET /api/articles/:id). */
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** [start, end) of each sentence of `quote`, by the shared sentence rule (text/sentences.ts). */
  sentences: z.array(span).optional(),
  /** [start, end) in `quote` of the item heading it opens with (12.建设清洁能源强省。), when it opens with one. */
  heading: span.optional(),
});
export type Citation = z.infer<typeof citationSchema>;

const citationList = z.array(citationSchema);

/** Citations as the contract has them: fields the answer engine keeps for itself are left out. */
export function toWire(citations: readonly Citation[]): Citation[] {
  return citationList.parse(citations);
}

const historyError = code("invalid_history");

/** One earlier turn sent along with a follow-up question. */
export const historyTurnSchema = z.object(
  { role: z.enum(["user", "assistant"], historyError), content: z.string(historyError) },
  historyError,
);
export type HistoryTurn = z.infer<typeof historyTurnSchema>;

/** The question: trimmed, not empty, at most MAX_QUESTION_CHARS characters. */
export function questionSchema(limits: Pick<RequestLimits, "maxQuestionChars">) {
  return z
    .string(code("invalid_question"))
    .trim()
    .min(1, code("empty_question"))
    .refine((q) => charCount(q) <= limits.maxQuestionChars, code("question_too_long"));
}

/** Earlier turns: at most MAX_HISTORY_TURNS, each at most MAX_HISTORY_CHARS characters. */
export function historySchema(limits: Pick<RequestLimits, "maxHistoryTurns" | "maxHistoryChars">) {
  return z
    .array(historyTurnSchema, historyError)
    .refine(
      (h) => h.length <= limits.maxHistoryTurns && h.every((m) => charCount(m.content) <= limits.maxHistoryChars),
      code("history_too_long"),
    );
}

/** How many passages to retrieve: a whole number from 1 to MAX_K. */
export function kSchema(limits: Pick<RequestLimits, "maxK">) {
  const invalid = code("invalid_k");
  return z.number(invalid).int(invalid).min(1, invalid).max(limits.maxK, invalid);
}

/** `{ question, history?, stream?, k? }`; `stream` (or `Accept: text/event-stream`) asks for SSE. */
export function chatRequestSchema(limits: RequestLimits) {
  return z.object(
    {
      question: questionSchema(limits),
      history: historySchema(limits).nullish(),
      stream: z.boolean(code("invalid_stream")).nullish(),
      k: kSchema(limits).optional(),
    },
    code("invalid_body"),
  );
}
export type ChatRequest = z.input<ReturnType<typeof chatRequestSchema>>;

/** `retrieval` event: the standalone question (after follow-up rewriting) and the passages the generator got, numbered as it saw them. */
export const retrievalEventSchema = z.object({ question: z.string(), passages: z.array(citationSchema) });
export type RetrievalEvent = z.infer<typeof retrievalEventSchema>;

/**
 * `token` event: the next piece of the answer text. Markers in it are already numbered by first use, as
 * in `done`; `cites` carries the passages first cited in this piece, so a client can resolve `[n]` while
 * the answer streams.
 */
export const tokenEventSchema = z.object({ text: z.string(), cites: z.array(citationSchema).optional() });
export type TokenEvent = z.infer<typeof tokenEventSchema>;

/**
 * `reset` event (no fields): discard the answer text streamed so far; the tokens that follow replace it.
 * Sent when a model failed mid-answer or too little of what it wrote was supported by the passages, and
 * the extractive answer takes its place. `done.answer` is always the answer as it stands.
 */
export const resetEventSchema = z.object({}).strict();
export type ResetEvent = z.infer<typeof resetEventSchema>;

/** `done` event: the whole answer; citations are the cited passages only, renumbered 1.. in order of first use. */
export const doneEventSchema = z.object({
  answer: z.string(),
  citations: z.array(citationSchema),
  /** The documents do not hold the answer: the text says so and offers the closest passages. */
  refused: z.boolean(),
  /** What wrote the answer: "extractive" or "llm:<model>". */
  generator: z.string(),
  /** Why the answer is not what was configured (e.g. the LLM failed and the extractive composer answered). */
  notice: z.string().optional(),
  /** Sentences of an LLM answer that cite nothing. */
  uncited: z.array(z.string()).optional(),
});
export type DoneEvent = z.infer<typeof doneEventSchema>;

/** The JSON reply (no stream): the `done` fields plus the standalone question. */
export const chatResponseSchema = doneEventSchema.extend({ question: z.string() });
export type ChatResponse = z.infer<typeof chatResponseSchema>;
