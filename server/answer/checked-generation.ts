/**
 * The generator's turn in the answer path: stream what it writes (markers read and renumbered on the
 * way, citations.ts), then check a model's finished answer against its passages (citation-review.ts).
 * When the model fails or stalls, or too little of what it wrote is supported, a `reset` event tells
 * the client to discard what it showed and the extractive answer is streamed in its place, with a notice;
 * the answer is then the extractive one alone.
 */
import { MarkerFilter, tokenEvent } from "./citations.ts";
import { reviewCitations, tooLittleSupported } from "./citation-review.ts";
import { createExtractiveGenerator, generatorName } from "./generator.ts";
import { isRefusalText } from "./refusal.ts";
import type { AnswerDeps, AnswerEvent, Citation, CitationCheck, GenerateInput, Lang } from "./types.ts";

export interface Written {
  /** The answer: what was streamed, or the checked form of a model's answer. */
  answer: string;
  /** The filter whose numbering the streamed text uses (more text may follow through it). */
  filter: MarkerFilter;
  /** Who wrote it: "extractive" or "llm:<model>". */
  generator: string;
  notice?: string;
  /** Set when a model's answer was checked: its citations and unsupported sentences. */
  citations?: Citation[];
  uncited?: string[];
  check?: CitationCheck;
}

/** Streams the answer's events; returns what was written, or undefined when the request was aborted. */
export async function* generateChecked(
  input: GenerateInput,
  deps: AnswerDeps,
  /** A model that just failed (rewriting the question) is not asked again. */
  modelError?: unknown,
): AsyncGenerator<AnswerEvent, Written | undefined> {
  const { signal } = deps;
  const model = deps.generator.info().kind !== "extractive";
  let filter = new MarkerFilter(input.passages.length);
  let answer = "";
  const token = (text: string): AnswerEvent[] => {
    answer += text;
    return text ? [tokenEvent(text, filter.newlyCited(input.passages))] : [];
  };

  let failure: unknown;
  try {
    if (modelError) throw modelError;
    for await (const piece of deps.generator.stream(input, signal)) {
      if (signal?.aborted) return undefined;
      yield* token(filter.feed(piece));
    }
    yield* token(filter.end());
    if (!answer.trim()) throw new Error("the model returned an empty answer");
  } catch (err) {
    if (signal?.aborted) return undefined;
    if (!model) throw err; // a bug in the composer, not an outage
    failure = err;
  }

  let check: CitationCheck | undefined;
  if (failure === undefined) {
    // The extractive composer quotes verbatim; a model that finds no answer is handled as a refusal.
    if (!model || isRefusalText(answer)) return { answer, filter, generator: generatorName(deps.generator) };
    const review = reviewCitations(answer, {
      question: input.question,
      cited: filter.citations(input.passages),
      passages: input.passages,
      chunks: input.chunks,
      glossary: input.glossary,
    });
    if (!tooLittleSupported(review.check)) {
      return { answer: review.answer, filter, generator: generatorName(deps.generator), citations: review.citations, uncited: review.uncited, check: review.check };
    }
    check = { ...review.check, fellBack: true };
  }

  // The model's text, whole or partial, is withdrawn; the extractive answer takes its place.
  yield* token(filter.end());
  if (answer) yield { type: "reset" };
  answer = "";
  filter = new MarkerFilter(input.passages.length);
  for await (const piece of createExtractiveGenerator().stream(input)) yield* token(filter.feed(piece));
  yield* token(filter.end());
  const notice = failure === undefined ? unsupportedNotice(input.lang) : fallbackNotice(failure, input.lang);
  return { answer, filter, generator: "extractive", notice, ...(check ? { check } : {}) };
}

function unsupportedNotice(lang: Lang): string {
  return lang === "en"
    ? "Too little of the language model's answer was found in the passages; this answer was composed from the passages instead."
    : "大模型的回答大多无法在资料中找到依据，本回答改由资料原文摘录生成。";
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
