/**
 * Neutral re-framings of a question (`npm run eval -- --variants`): the same request worded the way
 * users word it — a polite prefix, a request form, a trailing 「请根据文件回答。」, a reordered clause.
 * None adds or removes a fact, so an assistant that generalises answers each variant as it answers
 * the plain question. The templates are fixed and apply to every case alike (no per-question rule).
 */
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import type { EvalCase } from "./cases.ts";

export interface VariantTemplate {
  /** Stable name, used in variant ids (`<case id>#<template>`) and the report. */
  id: string;
  lang: "zh" | "en";
  /** What it does, as the README documents it. */
  description: string;
  /** The re-framed question, or null when the template does not apply (e.g. already framed that way). */
  frame(question: string): string | null;
}

/** A question without its closing question mark / full stop (so a template can add its own). */
function body(question: string): string {
  return question.trim().replace(/[？?。.！!\s]+$/u, "");
}

/** Ends a question with a question mark when it has no closing mark of its own. */
function closed(question: string, mark: string): string {
  const q = question.trim();
  return /[？?。.！!]$/u.test(q) ? q : `${q}${mark}`;
}

const prefix = (p: string) => (q: string) => (q.trim().startsWith(p) ? null : `${p}${q.trim()}`);

export const VARIANT_TEMPLATES: readonly VariantTemplate[] = [
  { id: "zh-want", lang: "zh", description: "「我想知道，」+ question", frame: prefix("我想知道，") },
  { id: "zh-qingwen", lang: "zh", description: "「请问」+ question", frame: prefix("请问") },
  { id: "zh-lookup", lang: "zh", description: "「请帮我查一下：」+ question", frame: prefix("请帮我查一下：") },
  {
    id: "zh-from-docs", lang: "zh", description: "question (closed with ？ if it has no mark) + 「请根据文件回答。」",
    frame: (q) => `${closed(q, "？")}请根据文件回答。`,
  },
  {
    id: "zh-reordered", lang: "zh",
    description: "the leading topic moved behind the question: 「X是什么」→「什么是X」, 「X有哪些措施」→「有哪些措施，X？」, 「A，B哪些…」→「B哪些…，A？」 (only where the question has such a topic)",
    frame: (q) => reorderClause(q),
  },
  { id: "en-like", lang: "en", description: '"I\'d like to know: " + question', frame: prefix("I'd like to know: ") },
  { id: "en-tell", lang: "en", description: '"Please tell me, " + question', frame: prefix("Please tell me, ") },
  {
    id: "en-from-docs", lang: "en", description: 'question (closed with ? if it has no mark) + " Please answer from the documents."',
    frame: (q) => `${closed(q, "?")} Please answer from the documents.`,
  },
];

let tagger: Jieba | undefined;

/**
 * An interrogative word as jieba cuts it (哪些, 什么, 谁, 哪天, 怎样, 如何, 多少, 几位 …): the
 * pronouns of the question, by the first characters every Chinese interrogative starts with.
 */
const INTERROGATIVE = /^(?:哪|什么|谁|怎|如何|为何|何|多少|几)/u;

/** Tags jieba gives the head of a predicate right before an interrogative: a verb (是, 有, 提出), a preposition (由, 在, 对). */
const PREDICATE_HEAD = /^[vp]/;

/** Tags a topic may end in: a noun, verbal noun (港口建设), place, time, locative (会议上), abbreviation, idiom, numeral, Latin word. */
const TOPIC_END = /^(?:n|vn|f|s|t|j|l|m|eng)/;

/** A topic may also end in a closing quote or bracket (“双核”, 《意见》). */
const CLOSING = /^[”’」』》）)]$/u;

/**
 * The question with its leading topic moved behind the part that asks (a reordering any reader
 * understands the same way), or null when it has no clear topic (jieba's tags decide; when in doubt, none):
 *  - two clauses 「A，B」 where only B asks: 「B，A？」;
 *  - 「topic + 是 + interrogative」: 「interrogative + 是 + topic？」 (X是什么 → 什么是X);
 *  - 「topic + predicate + interrogative…」: 「predicate + interrogative…，topic？」, where the predicate
 *    is the verb or preposition right before the interrogative (a particle 了 may sit between), or
 *    the interrogative itself when a verb follows it (如何发展…, 谁作…); the topic ends in a noun
 *    phrase and holds no 是 of its own.
 * Questions of several sentences or three and more clauses are left alone.
 */
export function reorderClause(question: string): string | null {
  const q = body(question);
  if (!q || /[。？?！!；;]/u.test(q)) return null;
  tagger ??= Jieba.withDict(dict);
  const clauses = q.split(/[，,]/u);
  if (clauses.length === 2) {
    const [a, b] = clauses.map((c) => c.trim());
    const asks = (c: string) => tagger!.tag(c, true).some((t) => INTERROGATIVE.test(t.word));
    return a.length >= 2 && b.length >= 2 && !asks(a) && asks(b) ? `${b}，${a}？` : null;
  }
  if (clauses.length > 2) return null;
  const tokens = tagger.tag(q, true);
  const at = tokens.findIndex((t) => INTERROGATIVE.test(t.word));
  if (at <= 0) return null;
  let start = at;
  while (start > 0 && tokens[start - 1].tag.startsWith("u")) start--; // 提出了什么: the particle 了
  if (start > 0 && PREDICATE_HEAD.test(tokens[start - 1].tag)) start--;
  else if (start !== at || !tokens[at + 1]?.tag.startsWith("v")) return null; // no clear predicate
  if (start === 0) return null;
  const head = tokens[start].word;
  const topicTokens = tokens.slice(0, start);
  const last = topicTokens[topicTokens.length - 1];
  const endsInNoun = TOPIC_END.test(last.tag) || CLOSING.test(last.word) || (head === "是" && last.tag.startsWith("v"));
  if (!endsInNoun || topicTokens.some((t) => t.word === "是")) return null;
  const topic = topicTokens.map((t) => t.word).join("");
  const comment = tokens.slice(start).map((t) => t.word).join("");
  if (topic.length < 2 || comment.length < 2) return null;
  if (head === "是" && start === at - 1 && at === tokens.length - 1) return `${tokens[at].word}是${topic}？`;
  return `${comment}，${topic}？`;
}

export interface Variant {
  /** `<case id>#<template id>`. */
  id: string;
  template: string;
  /** The case with the re-framed question (a follow-up keeps its history: only its last question is re-framed). */
  case: EvalCase;
}

/** The neutral re-framings of one answerable case (none for an unanswerable one). */
export function variantsOf(c: EvalCase): Variant[] {
  if (!c.answerable) return [];
  const out: Variant[] = [];
  const seen = new Set([c.question.trim()]);
  for (const t of VARIANT_TEMPLATES) {
    if (t.lang !== c.lang) continue;
    const question = t.frame(c.question);
    if (!question || seen.has(question)) continue;
    seen.add(question);
    out.push({ id: `${c.id}#${t.id}`, template: t.id, case: { ...c, id: `${c.id}#${t.id}`, question } });
  }
  return out;
}
