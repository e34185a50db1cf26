/**
 * One question through the answer path:
 *   rewrite if it is a follow-up → retrieve afresh → decide answer or refuse → generate with [n]
 *   → check and renumber markers while streaming → done (citations in order of first use).
 * Generator failures never reach the caller: the extractive composer takes over and says so.
 */
import { hitOf } from "../../vectors/retriever.ts";
import type { SearchHit } from "../../vectors/types.ts";
import type { AnswerDeps, AnswerEvent, AnswerRequest, AnswerResult, ChatTurn, Citation, GenerateInput, Lang } from "./types.ts";
import { MarkerFilter, uncitedSentences } from "./citations.ts";
import { standaloneQuestion } from "./follow-up.ts";
import { createExtractiveGenerator, generatorName } from "./generator.ts";
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
  const filter = new MarkerFilter(passages.length);
  let answer = "";
  const emit = (text: string): AnswerEvent[] => {
    if (!text) return [];
    answer += text;
    return [{ type: "token", text }];
  };

  if (!evidence.answerable) {
    for (const p of pieces(refusalText(question, evidence, passages.slice(0, LEADS), lang))) yield* emit(filter.push(p));
    yield* emit(filter.end());
    yield done(answer, filter.citations(passages), true, generatorName(deps.generator));
    return;
  }

  // A client's instructions go to the generator only: retrieval and the refusal decision never see them.
  const input: GenerateInput = { question, passages, history, lang, chunks, glossary, ...(req.instructions?.length ? { instructions: req.instructions } : {}) };
  let generator = generatorName(deps.generator);
  let notice: string | undefined;
  try {
    // A model that just failed to rewrite the question is not asked again (that would double the wait).
    if (modelError) throw modelError;
    for await (const piece of deps.generator.stream(input, signal)) {
      if (signal?.aborted) return;
      yield* emit(filter.push(piece));
    }
    yield* emit(filter.end());
    if (!answer.trim()) throw new Error("the model returned an empty answer");
  } catch (err) {
    if (signal?.aborted) return;
    yield* emit(filter.end());
    if (deps.generator.info().kind === "extractive") throw err; // a bug in the composer, not an outage
    notice = fallbackNotice(err, lang);
    generator = "extractive";
    if (answer.trim()) yield* emit("\n\n");
    for await (const piece of createExtractiveGenerator().stream(input)) yield* emit(filter.push(piece));
    yield* emit(filter.end());
  }

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
  yield done(answer, filter.citations(passages), refused, generator, notice, uncitedSentences(answer));
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
): AnswerEvent {
  return { type: "done", answer, citations, refused, generator, ...(notice ? { notice } : {}), uncited };
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

function fallbackNotice(err: unknown, lang: Lang): string {
  const timeout = err instanceof Error && err.name === "LlmTimeoutError";
  // Say what kind of failure it was, not the error text (it may name the endpoint or echo a key).
  const status = typeof (err as { status?: unknown })?.status === "number" ? `HTTP ${(err as { status: number }).status}` : "";
  const kind = status || (err instanceof Error ? err.name : "error");
  return lang === "en"
    ? `The language model ${timeout ? "did not answer in time" : `failed (${kind})`}; this answer was composed from the passages instead.`
    : `大模型${timeout ? "响应超时" : `调用失败（${kind}）`}，本回答改由资料原文摘录生成。`;
}
