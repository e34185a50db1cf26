/**
 * One question through the answer path:
 *   rewrite if it is a follow-up → retrieve afresh → decide answer or refuse → generate with [n]
 *   → check and renumber markers while streaming, then a model's sentences against their passages
 *   → done (citations in order of first use).
 * Generator failures never reach the caller: the extractive composer takes over and says so.
 */
import { hitOf } from "../../vectors/retriever.ts";
import type { Chunk, SearchHit } from "../../vectors/types.ts";
import type { AnswerDeps, AnswerEvent, AnswerRequest, AnswerResult, ChatTurn, Citation, CitationCheck, GenerateInput } from "./types.ts";
import { MarkerFilter, tokenEvent, uncitedSentences } from "./citations.ts";
import { generateChecked } from "./checked-generation.ts";
import { standaloneQuestion } from "./follow-up.ts";
import { generatorName } from "./generator.ts";
import { questionLanguage } from "../../vectors/language.ts";
import { decide, decideParts, isRefusalText, leadList, refusalLead, refusalText } from "./refusal.ts";
import { analyzeQuestion, answerContext, searchText, type AnswerContext, type QuestionAnalysis } from "./analysis.ts";
import { assessQuestion, type Evidence } from "./evidence.ts";
import { pieces } from "./stream-text.ts";

export type { AnswerEvent, AnswerRequest, AnswerResult, Citation, ChatTurn } from "./types.ts";

export const DEFAULT_K = 6;
/** How many of the closest passages a refusal offers as leads. */
const LEADS = 3;

export async function* answerStream(req: AnswerRequest, deps: AnswerDeps): AsyncGenerator<AnswerEvent> {
  const { signal } = deps;
  const history = cleanHistory(req.history);
  const lang = questionLanguage(req.question);
  const { question, modelError } = await standaloneQuestion(req.question, history, deps.generator, { index: deps.index, signal });
  if (signal?.aborted) return;

  // Retrieval is fresh every turn: passages from earlier turns are never carried over.
  // Through the LangChain retriever the index exports, which stops waiting once the request is aborted.
  // The standalone question read once: retrieval and the judgement of its passages share the analysis.
  const analysed = analyzeQuestion(question, answerContext(deps.index));
  const hits = await retrieve(question, deps.index, req.k ?? DEFAULT_K, signal, analysed).catch((err: unknown) => (signal?.aborted ? undefined : Promise.reject(err)));
  if (!hits) return;
  const passages = toCitations(hits);
  yield { type: "retrieval", question, passages };

  const chunks = deps.index.core?.chunks;
  const glossary = deps.index.glossary;
  const { analysis, evidence, semantic } = await judgeQuestion(question, hits, deps.index, signal, analysed);
  if (signal?.aborted) return;
  const decision = decide(analysis, evidence, passages, deps.refusalThreshold);
  // Two questions in one, one of them unanswerable: the other is answered, the first named as missing.
  const partial = decision.answerable ? undefined : decideParts(analysis, evidence, passages, deps.refusalThreshold);
  let filter = new MarkerFilter(passages.length);
  let answer = "";
  const emit = (text: string): AnswerEvent[] => {
    if (!text) return [];
    answer += text;
    return [tokenEvent(text, filter.newlyCited(passages))];
  };

  if (!decision.answerable && !partial) {
    for (const p of pieces(refusalText(analysis, decision, evidence, passages, passages.slice(0, LEADS), lang))) yield* emit(filter.push(p));
    yield* emit(filter.end());
    yield done(answer, filter.citations(passages), true, generatorName(deps.generator));
    return;
  }

  // A client's instructions go to the generator only: retrieval and the refusal decision never see them.
  const asked = partial ? partial.answered.map((p) => p.question).join("") : question;
  const input: GenerateInput = {
    question: asked, passages, history, lang, chunks, glossary, index: deps.index,
    ...(semantic ? { semantic } : {}),
    ...(req.instructions?.length ? { instructions: req.instructions } : {}),
  };
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
      const none = { ...decision, answerable: false, reason: "topic" as const };
      const text = answer.trim() ? `\n${leadList(passages.slice(0, LEADS), lang)}` : refusalText(analysis, none, evidence, passages, passages.slice(0, LEADS), lang);
      for (const p of pieces(text)) yield* emit(filter.push(p));
      yield* emit(filter.end());
    }
  }
  if (partial && !refused) {
    // A reviewed model answer carries its own citation list: the added line then cites nothing new.
    const lines = partial.missing.map((m) => refusalLead(m.analysis, m.decision, m.evidence, passages, lang));
    const text = `\n\n${lines.join("\n")}`;
    for (const p of pieces(written.citations ? text.replace(/\[\d+\]/g, "") : text)) yield* emit(filter.push(p));
    yield* emit(filter.end());
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

/**
 * The question analysed and the retrieved passages judged against it (with sentence similarities when
 * a pretrained model is configured): what the refusal decision and the composer read. Also used by
 * `npm run fit:refusal` to compute the features it fits on.
 */
export async function judgeQuestion(question: string, hits: SearchHit[], index: AnswerDeps["index"], signal?: AbortSignal, analysed?: QuestionAnalysis) {
  const context = answerContext(index);
  const analysis = analysed ?? analyzeQuestion(question, context);
  const passages = toCitations(hits);
  const evidence = assessQuestion(analysis, passages, context, { ranks: hits.map((h) => h.ranks) });
  const semantic = await sentenceSimilarities(context, question, evidence, signal);
  return { context, analysis, passages, evidence, semantic };
}

/**
 * The passages for a question: the search for the whole question, and, for one joining two subjects
 * (论坛和博览会分别在哪个城市举办), a search for each subject too, so that each subject's
 * article is among them; for one naming a numbered name the corpus also writes out, a search with that
 * spelling. First the whole question's best, then the others', then the rest.
 */
export async function retrieve(question: string, index: AnswerDeps["index"], k: number, signal?: AbortSignal, analysed?: QuestionAnalysis): Promise<SearchHit[]> {
  const search = async (q: string, n: number) => (await index.retriever({ k: n, ...(signal ? { signal } : {}) }).invoke(q, { signal })).map(hitOf);
  const ctx = answerContext(index);
  const a = analysed ?? analyzeQuestion(question, ctx);
  const hits = await search(searchQuery(a, ctx), k);
  // A numbered name the corpus also writes out (十三届六次全会 → 第十三届委员会第六次全体会议): searched both ways.
  const aliased = a.terms.filter((t) => t.alts.some((x) => x.via === "alias"));
  const respelled = aliased.length
    ? aliased.reduce((q, t) => q.replace(t.text, t.alts.find((x) => x.via === "alias")!.text), question)
    : undefined;
  const extra = [
    ...(respelled ? [respelled] : []),
    // Two questions in one (论坛是哪天开的？博览会设了哪几个展区？): each part searched too.
    ...(a.parts ?? []).map((p) => searchQuery(p, ctx)),
    ...(a.groups.sides.length >= 2 ? a.groups.sides.map((side) => `${side.map((t) => t.text).join(" ")} ${a.groups.shared.map((t) => t.text).join(" ")}`.trim()) : []),
  ];
  if (!extra.length) return withLede(hits, a, ctx);
  const perSide = await Promise.all(extra.map((q) => search(q, SIDE_K)));
  const out: SearchHit[] = [];
  const add = (h: SearchHit) => {
    if (out.length < k && !out.some((x) => x.chunk.id === h.chunk.id)) out.push(h);
  };
  hits.slice(0, SIDE_K).forEach(add);
  for (let i = 0; i < SIDE_K; i++) for (const side of perSide) if (side[i]) add(side[i]);
  hits.forEach(add);
  return out;
}

/**
 * What is searched for a question: without the clauses that only frame it (请帮我查一下：…, …请根据文件回答。),
 * nor the words asking for a slot (哪个城市 would find passages on cities, not the one on the meeting).
 */
function searchQuery(a: QuestionAnalysis, ctx: AnswerContext): string {
  return a.slots.reduce((q, s) => q.replace(s.cue, " "), searchText(a.question, ctx)).trim() || a.question;
}

/**
 * A question for who, when or where about an article's event also gets the articles' opening passages:
 * a news report gives them in its first paragraph (its lede), which a search on the topic's words may
 * rank below passages repeating those words. It comes after the passages found.
 */
function withLede(hits: SearchHit[], a: QuestionAnalysis, ctx: AnswerContext): SearchHit[] {
  if (!hits.length || !a.slots.some((s) => s.kind === "date" || s.kind === "place" || s.kind === "person")) return hits;
  const articles = [...new Set(hits.slice(0, LEDE_ARTICLES).map((h) => h.chunk.articleId))];
  const out = [...hits];
  for (const id of articles) {
    let lede: Chunk | undefined;
    for (const c of ctx.chunks) if (c.articleId === id && (!lede || c.start < lede.start)) lede = c;
    if (!lede || lede.itemNo || out.some((h) => h.chunk.id === lede!.id)) continue;
    out.push({ chunk: lede, score: hits[hits.length - 1].score, ranks: {} });
  }
  return out;
}

/** The articles among this many first passages bring their opening passage. */
const LEDE_ARTICLES = 4;

/** How many passages each subject of a two-subject question brings. */
const SIDE_K = 2;

/**
 * Each judged sentence's similarity to the question under the pretrained model, when one is
 * configured; the best one of a supporting passage becomes the refusal feature. A model that fails
 * costs this feature, never the answer.
 */
async function sentenceSimilarities(ctx: AnswerContext, question: string, e: Evidence, signal?: AbortSignal): Promise<number[] | undefined> {
  if (!ctx.semantic || !e.sentences.length) return undefined;
  try {
    const sims = await ctx.semantic.similarities(question, e.sentences.map((s) => s.text), signal);
    if (sims.length !== e.sentences.length) return undefined;
    const support = sims.filter((_, i) => e.supporting.includes(e.sentences[i].passage));
    e.features.semantic = Math.max(...(support.length ? support : sims));
    return sims;
  } catch {
    return undefined;
  }
}

function cleanHistory(history: AnswerRequest["history"]): ChatTurn[] {
  if (!Array.isArray(history)) return [];
  return history.filter(
    (t): t is ChatTurn => !!t && (t.role === "user" || t.role === "assistant") && typeof t.content === "string",
  );
}
