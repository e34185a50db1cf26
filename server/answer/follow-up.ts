/**
 * Follow-up questions: one that leans on the previous turn (那粮食安全呢？, 他还说了什么,
 * 这些措施中哪项涉及核电, what about …) is rewritten into a standalone question before retrieval;
 * a self-contained one is left alone. Only the question is carried over, never earlier passages;
 * of an earlier answer, only the name it gave a who-question (他 → the person it named) is used.
 * With an LLM configured it rewrites (prompts/rewrite.txt); otherwise, or when it fails, a rule
 * merges the question with the previous user question. Terms and language come from the one
 * question analysis (analysis.ts) with the index's segmenter.
 */
import type { ChatTurn, Generator, PassageIndex } from "./types.ts";
import { analyzeQuestion, answerContext, GENERIC_WEIGHT, searchText, type AnswerContext } from "./analysis.ts";
import { questionLanguage } from "../../vectors/language.ts";
import { segmenterFor } from "../../vectors/segmenter.ts";
import { EN_POINTERS, REFUSAL_OPENINGS, ZH_POINTERS } from "./lexicon.ts";
import { persons } from "./slots.ts";

/** Without an index (unit tests, a bare call): the stock segmenter and no corpus statistics. */
let stock: AnswerContext | undefined;
function contextOf(index?: PassageIndex): AnswerContext {
  if (index) return answerContext(index);
  stock ??= { seg: segmenterFor([]), chunks: [] };
  return stock;
}

interface Term {
  text: string;
  tag: string;
  weight: number;
}

function termsOf(text: string, ctx: AnswerContext): Term[] {
  return analyzeQuestion(text, ctx).terms.map((t) => ({ text: t.text, tag: t.tag, weight: t.weight }));
}

/** True when the question cannot stand alone (given that there was a previous question). */
export function isFollowUp(question: string, history: ChatTurn[], index?: PassageIndex): boolean {
  if (!previousUserQuestion(history)) return false;
  const ctx = contextOf(index);
  // Read without a framing clause (我想知道，那生育方面呢？ leans on the previous turn as 那生育方面呢？ does).
  const q = searchText(question.trim(), ctx);
  if (questionLanguage(q) === "zh") {
    const terms = termsOf(q, ctx);
    if (ZH_POINTERS.leading.test(q) && (ZH_POINTERS.trailing.test(q) || terms.length <= 2)) return true;
    if (ZH_POINTERS.trailing.test(q) && terms.length <= 2) return true;
    if (ZH_POINTERS.person.test(q) || ZH_POINTERS.more.test(q)) return true;
    if (ZH_POINTERS.thing.test(q) && terms.length <= 3) return true;
    // Nothing telling of its own (省里有没有跟进？): it goes on from the previous question.
    if (terms.length && ctx.chunks.length && terms.every((t) => t.weight < GENERIC_WEIGHT)) return true;
    // Asking who, when or where of only a verb (谁主持的？, 什么时候开始的？): about the previous question's subject.
    if (terms.length <= 1 && terms.every((t) => /^v/.test(t.tag)) && analyzeQuestion(q, ctx).slots.length > 0) return true;
    return terms.length === 0;
  }
  const words = q.split(/\s+/).filter(Boolean);
  return EN_POINTERS.leading.test(q) || (EN_POINTERS.pronoun.test(q) && words.length <= 8) || words.length <= 2;
}

function previousUserQuestion(history: ChatTurn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i].role === "user" && history[i].content.trim()) return history[i].content.trim();
  return undefined;
}

/**
 * The previous user question made standalone itself (it may have been a follow-up too),
 * by replaying the rule over the user turns in order.
 */
function resolvedPrevious(history: ChatTurn[], index?: PassageIndex): string | undefined {
  let resolved: string | undefined;
  const seen: ChatTurn[] = [];
  for (const turn of history) {
    if (turn.role === "user" && turn.content.trim()) {
      const q = turn.content.trim();
      resolved = resolved && isFollowUp(q, seen, index) ? mergeWith(q, resolved, contextOf(index), previousAnswer(seen)) : q;
    }
    seen.push(turn);
  }
  return resolved;
}

/** Rule-based rewrite: merges a follow-up with the previous (resolved) user question. */
export function rewriteByRule(question: string, history: ChatTurn[], index?: PassageIndex): string {
  const q = question.trim();
  if (!isFollowUp(q, history, index)) return q;
  const prev = resolvedPrevious(history, index);
  return prev ? mergeWith(q, prev, contextOf(index), previousAnswer(history)) : q;
}

/**
 * The assistant's reply to the last user question, if any. Only what it names (the person a
 * who-question asked for) is ever taken from it; its passages are never carried over.
 */
function previousAnswer(history: ChatTurn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i].role === "user") return undefined;
    if (history[i].content.trim()) return history[i].content;
  }
  return undefined;
}

/** The people a reply names, in order of appearance (documents' titles and citation markers aside). */
function namesIn(answer: string, ctx: AnswerContext): string[] {
  const text = answer.replace(/《[^》]*》/g, "，").replace(/\[\d+\]/g, "");
  return persons(text, { seg: ctx.seg, facts: ctx.facts }).sort((a, b) => text.indexOf(a) - text.indexOf(b));
}

/** A definition question (什么是X, X是什么(意思), X指什么): X, what a following 它/这个/该 refers to. */
function definedSubject(prev: string, ctx: AnswerContext): string | undefined {
  const body = prev.replace(/[？?。！!\s]+$/u, "");
  const m = body.match(/^(?:什么是|何为|何谓)(.+)$/) ?? body.match(/^(.+?)(?:是什么意思|什么意思|指的是什么|是指什么|指什么|的含义是什么|的内涵是什么|的含义|的内涵|是什么)$/);
  const subject = m?.[1].replace(/^[“"「]|[”"」]$/g, "").trim();
  return subject && termsOf(subject, ctx).length > 0 ? subject : undefined;
}

/** Standalone form of `question`: the LLM's rewrite when it offers one, otherwise the rule's. */
export async function standaloneQuestion(
  question: string,
  history: ChatTurn[],
  generator: Generator,
  opts: { index?: PassageIndex; signal?: AbortSignal } = {},
): Promise<{ question: string; rewritten: boolean; by?: "llm" | "rule"; modelError?: unknown }> {
  const q = question.trim();
  if (!isFollowUp(q, history, opts.index)) return { question: q, rewritten: false };
  let modelError: unknown;
  if (generator.rewrite) {
    try {
      const out = sanitizeRewrite(await generator.rewrite(q, history, opts.signal), q);
      if (out) return { question: out, rewritten: out !== q, by: "llm" };
    } catch (err) {
      // The rule below still gives a usable question; the caller learns the model is failing.
      modelError = err;
    }
  }
  const ruled = rewriteByRule(q, history, opts.index);
  return { question: ruled, rewritten: ruled !== q, by: "rule", ...(modelError ? { modelError } : {}) };
}

/** First line of the model's reply, unquoted; undefined when it is empty or implausibly long. */
function sanitizeRewrite(raw: string, original: string): string | undefined {
  const line = raw
    .replace(/<think>[\s\S]*?<\/think>/g, "")
    .split("\n")
    .map((l) => l.trim())
    .find(Boolean)
    ?.replace(/^(standalone question|question|问题|改写后的问题)\s*[:：]\s*/i, "")
    .replace(/^["“'「]|["”'」]$/g, "")
    .trim();
  if (!line || line.length > original.length * 4 + 120) return undefined;
  return line;
}

function mergeWith(question: string, prev: string, ctx: AnswerContext, answer?: string): string {
  const q = searchText(question, ctx);
  return questionLanguage(q) === "zh" || questionLanguage(prev) === "zh" ? mergeZh(q, prev, ctx, answer) : mergeEn(q, prev, ctx);
}

/**
 * Splits the previous question into scope (leading place names, e.g. 辽宁), topic (the span of
 * its content terms) and frame (the asking part, e.g. 有哪些措施).
 */
function splitPrevious(prev: string, ctx: AnswerContext): { scope: string; topic: string; before: string; after: string } {
  const body = prev.replace(/[？?。！!\s]+$/u, "");
  const terms = termsOf(body, ctx);
  if (terms.length === 0) return { scope: "", topic: "", before: body, after: "" };
  let scope = "";
  let first = 0;
  // Leading place names scope the question; keep them when the topic is swapped.
  while (first < terms.length - 1 && terms[first].tag === "ns" && body.indexOf(terms[first].text) === scope.length) {
    scope += terms[first].text;
    first++;
  }
  // A verb right before the topic's noun (建设 in 怎么建设开发区) belongs to the frame: the new
  // topic is built the same way (怎么建设港口).
  const verbAt = body.indexOf(terms[first].text, scope.length);
  const next = terms[first + 1];
  if (/^v/.test(terms[first].tag) && next && !/^v/.test(next.tag) && verbAt >= 0 && body.indexOf(next.text, verbAt) === verbAt + terms[first].text.length) first++;
  let start = body.indexOf(terms[first].text, scope.length);
  if (start < 0) return { scope, topic: "", before: body, after: "" };
  // The topic is the phrase the first terms make together (生育 in 辽宁对生育有什么支持政策, not up to 支持),
  // with its quotation marks.
  let end = start + terms[first].text.length;
  for (let i = first + 1; i < terms.length; i++) {
    const at = body.indexOf(terms[i].text, end);
    if (at < 0 || at - end > 1) break;
    end = at + terms[i].text.length;
  }
  if (/^[”"」》]/.test(body.slice(end))) end++;
  if (start > 0 && /[“"「《]/.test(body[start - 1])) start--;
  return { scope, topic: body.slice(start, end), before: body.slice(0, start), after: body.slice(end) };
}

function mergeZh(q: string, prev: string, ctx: AnswerContext, answer?: string): string {
  const { scope, topic, before, after } = splitPrevious(prev, ctx);
  const answered = answer && !REFUSAL_OPENINGS.test(answer) ? answer : undefined;
  const defined = answered ? definedSubject(prev, ctx) : undefined;
  const subject = defined ?? `${scope}${topic}`;
  const core = q.replace(/[？?。！!\s]+$/u, "");

  // 那粮食安全呢？ / 还有农业方面呢 → the previous question's frame about the new topic.
  const swapped = core.replace(ZH_POINTERS.leading, "").replace(/呢$/, "").trim();
  if (
    (ZH_POINTERS.leading.test(core) || ZH_POINTERS.trailing.test(q)) &&
    termsOf(swapped, ctx).length > 0 &&
    !ZH_POINTERS.thing.test(swapped) &&
    !ZH_POINTERS.person.test(swapped)
  ) {
    // A follow-up asking in its own words (那港口方面有什么规划？) keeps them, in the previous scope (辽宁).
    const own = analyzeQuestion(swapped, ctx);
    if (own.slots.length || own.list || own.how || own.why || own.definition || own.broad) return `${scope && !swapped.includes(scope) ? scope : ""}${swapped}？`;
    // The previous question's frame, less what it said of its own topic (有什么支持政策 → 有什么政策).
    const frame = termsOf(after, ctx).reduce((f, t) => f.replace(t.text, ""), after);
    return topic ? `${before}${swapped}${frame}？` : `${swapped}，${prev}`;
  }

  // 他还说了什么 → the person the previous question names; 这些措施中哪项… → the previous topic.
  let out = core;
  // After a who-question, 他 is the person the reply named.
  const askedWho = analyzeQuestion(prev, ctx).slots.some((s) => s.kind === "person");
  const answeredNames = answered && askedWho ? namesIn(answered, ctx).filter((n) => !prev.includes(n)) : [];
  if (answeredNames.length && ZH_POINTERS.person.test(out)) {
    const plural = /他们|她们/.test(out.match(ZH_POINTERS.person)![0]);
    return `${out.replace(ZH_POINTERS.person, plural ? answeredNames.join("、") : answeredNames[0])}？`;
  }
  const person = persons(prev, { seg: ctx.seg, facts: ctx.facts })[0];
  if (ZH_POINTERS.person.test(out) && person) out = out.replace(ZH_POINTERS.person, person);
  if (ZH_POINTERS.thing.test(out) && subject) {
    out = out.replace(ZH_POINTERS.thing, (m, at: number) => {
      if (m === "其中") return `${subject}中`;
      // 它/其, or 这个/该 standing alone before the predicate (该如何推动): the thing itself; before a noun (这个目标): its.
      const alone = /^(它|它们|其)$/.test(m) || (/^(这个|那个|该|这一|这项)$/.test(m) && /^(是|有|在|要|如何|怎么|怎样|为什么|为何|指|包括|能|会|将|对|与|和|？|$)/.test(out.slice(at + m.length)));
      return alone ? subject : `${subject}的`;
    });
  }
  // Whatever the previous question was about and the new one no longer says, keep as context.
  const lost = termsOf(prev, ctx).filter((t) => !out.includes(t.text));
  if (out === core || lost.length > 0) return `${out}（${prev.replace(/[？?。！!\s]+$/u, "")}）`;
  return `${out}？`;
}

function mergeEn(q: string, prev: string, ctx: AnswerContext): string {
  const core = q.replace(/[?.!\s]+$/, "");
  const topic = core.replace(EN_POINTERS.leading, "").trim();
  const m = EN_POINTERS.leading.exec(core);
  if (m && topic) {
    // Replace the last run of content words of the previous question with the new topic.
    const words = prev.replace(/[?.!\s]+$/, "").split(/\s+/);
    const isContent = (w: string) => termsOf(w, ctx).length > 0;
    let end = words.length;
    while (end > 0 && !isContent(words[end - 1])) end--;
    let start = end;
    while (start > 0 && isContent(words[start - 1]) && end - start < 3) start--;
    if (end > start) return [...words.slice(0, start), topic, ...words.slice(end)].join(" ") + "?";
  }
  return `${core} (${prev.replace(/[?.!\s]+$/, "")})?`;
}
