/**
 * One question through the answer path:
 *   rewrite if it is a follow-up → retrieve afresh → decide answer or refuse → generate with [n]
 *   → check and renumber markers while streaming, then a model's sentences against their passages
 *   → done (citations in order of first use).
 * Generator failures never reach the caller: the extractive composer takes over and says so.
 */
import { hitOf } from "../../vectors/retriever.ts";
import type { SearchHit } from "../../vectors/types.ts";
import type { AnswerDeps, AnswerEvent, AnswerRequest, AnswerResult, ChatTurn, Citation, CitationCheck, GenerateInput } from "./types.ts";
import { MarkerFilter, tokenEvent, uncitedSentences } from "./citations.ts";
import { generateChecked } from "./checked-generation.ts";
import { standaloneQuestion } from "./follow-up.ts";
import { generatorName } from "./generator.ts";
import { questionLanguage } from "../../vectors/language.ts";
import { assessEvidence, isRefusalText, leadList, refusalText } from "./refusal.ts";
import { pieces } from "./stream-text.ts";

export type { AnswerEvent, AnswerRequest, AnswerResult, Citation, ChatTurn } from "./types.ts";

export const DEFAULT_K = 6;
/** How many of the closest passages a refusal offers as leads. */
const LEADS = 3;

export async function* answerStream(req: AnswerRequest, deps: AnswerDeps): AsyncGenerator<AnswerEvent> {
  const { signal } = deps;
  const history = cleanHistory(req.history);
  const lang = questionLanguage(req.question);
  const { question, modelError } = await standaloneQuestion(req.question, history, deps.generator, signal);
  if (signal?.aborted) return;

  // Retrieval is fresh every turn: passages from earlier turns are never carried over.
  // Through the LangChain retriever the index exports, which stops waiting once the request is aborted.
  const retriever = deps.index.retriever({ k: req.k ?? DEFAULT_K });
  const docs = await retriever.invoke(question, { signal }).catch((err: unknown) => (signal?.aborted ? undefined : Promise.reject(err)));
  if (!docs) return;
  const passages = toCitations(docs.map(hitOf));
  yield { type: "retrieval", question, passages };

  const chunks = deps.index.core?.chunks;
  const glossary = deps.index.glossary;
  const evidence = assessEvidence(question, passages, chunks, { glossary });
  let filter = new MarkerFilter(passages.length);
  let answer = "";
  const emit = (text: string): AnswerEvent[] => {
    if (!text) return [];
    answer += text;
    return [tokenEvent(text, filter.newlyCited(passages))];
  };

  if (!evidence.answerable) {
    for (const p of pieces(refusalText(question, evidence, passages.slice(0, LEADS), lang))) yield* emit(filter.push(p));
    yield* emit(filter.end());
    yield done(answer, filter.citations(passages), true, generatorName(deps.generator));
    return;
  }

  // A client's instructions go to the generator only: retrieval and the refusal decision never see them.
  const input: GenerateInput = { question, passages, history, lang, chunks, glossary, ...(req.instructions?.length ? { instructions: req.instructions } : {}) };
  // Model failures and unsupported model answers end here as the extractive answer, with a notice.
  const written = yield* generateChecked(input, deps, modelError);
  if (!written) return; // the request was aborted
  ({ filter, answer } = written);
  const { generator, notice, check } = written;

  // An empty composition (no usable sentence) or a model that judged the passages insufficient.
  let refused = false;
  if (!answer.trim() || isRefusalText(answer)) {
    refused = true;
    if (filter.used().length === 0) {
      const text = answer.trim() ? `\n${leadList(passages.slice(0, LEADS), lang)}` : refusalText(question, evidence, passages.slice(0, LEADS), lang);
      for (const p of pieces(text)) yield* emit(filter.push(p));
      yield* emit(filter.end());
    }
  }
  const citations = written.citations ?? filter.citations(passages);
  yield done(answer, citations, refused, generator, notice, written.uncited ?? uncitedSentences(answer), check);
}

/** Runs the stream to its end and returns the answer with the passages it was given. */
export async function answer(req: AnswerRequest, deps: AnswerDeps): Promise<AnswerResult> {
  let question = req.question.trim();
  let passages: Citation[] = [];
  for await (const ev of answerStream(req, deps)) {
    if (ev.type === "retrieval") {
      question = ev.question;
      passages = ev.passages;
    } else if (ev.type === "done") {
      const { type: _type, ...rest } = ev;
      return { question, passages, ...rest };
    }
  }
  throw new Error("answer stream ended without an answer (request aborted)");
}

function done(
  answer: string,
  citations: Citation[],
  refused: boolean,
  generator: string,
  notice?: string,
  uncited: string[] = [],
  check?: CitationCheck,
): AnswerEvent {
  return { type: "done", answer, citations, refused, generator, ...(notice ? { notice } : {}), uncited, ...(check ? { check } : {}) };
}

export function toCitations(hits: SearchHit[]): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const { chunk } of hits) {
    if (seen.has(chunk.id)) continue;
    seen.add(chunk.id);
    out.push({
      n: out.length + 1,
      chunkId: chunk.id,
      articleId: chunk.articleId,
      title: chunk.title,
      headingPath: chunk.headingPath,
      ...(chunk.itemNo ? { itemNo: chunk.itemNo } : {}),
      quote: chunk.text,
      start: chunk.start,
      end: chunk.end,
      ...(chunk.sentences ? { sentences: chunk.sentences } : {}),
      ...(chunk.heading ? { heading: chunk.heading } : {}),
    });
  }
  return out;
}

function cleanHistory(history: AnswerRequest["history"]): ChatTurn[] {
  if (!Array.isArray(history)) return [];
  return history.filter(
    (t): t is ChatTurn => !!t && (t.role === "user" || t.role === "assistant") && typeof t.content === "string",
  );
}
