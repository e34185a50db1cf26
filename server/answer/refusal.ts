/**
 * The refusal decision: one logistic model over the measured features of (question, passages)
 * (evidence.ts), fitted on labelled cases by `npm run fit:refusal` (scripts/fit-refusal.ts), which
 * writes refusal-model.json; the one threshold is the REFUSAL_THRESHOLD setting. When the topic is
 * there but an asked detail is not, the refusal says so in one line with the passage cited:
 * 「文件提到了X，但没有给出Y。」.
 */
import fs from "node:fs";
import path from "node:path";
import type { Citation, Lang } from "./types.ts";
import { THING_TAG, type QuestionAnalysis } from "./analysis.ts";
import { shortSource, type Evidence, type Features } from "./evidence.ts";
import { REFUSAL_OPENINGS } from "./lexicon.ts";
import type { Slot } from "./slots.ts";

export const FEATURES = ["coverage", "sentence", "unbridged", "nounsUnbridged", "slotMissing", "numbersMissing", "agreement", "semantic"] as const;
export type FeatureName = (typeof FEATURES)[number];

/** The sign each feature's weight may take: more coverage, agreement or similarity can only raise P(answerable); what is missing can only lower it. */
export const FEATURE_SIGNS: Record<FeatureName, 1 | -1> = {
  coverage: 1, sentence: 1, agreement: 1, semantic: 1, unbridged: -1, nounsUnbridged: -1, slotMissing: -1, numbersMissing: -1,
};

/** A fitted logistic model: P(answerable) = σ(bias + Σ weight·(x − mean)/scale). */
export interface LogisticModel {
  features: FeatureName[];
  bias: number;
  weights: number[];
  mean: number[];
  scale: number[];
}

export interface RefusalModelFile {
  /** Without a sentence model (offline), and with one (adds the semantic feature). */
  offline: LogisticModel;
  semantic?: LogisticModel;
  /** The threshold the fit chose (the REFUSAL_THRESHOLD default). */
  threshold: number;
  /** How it was fitted and how well it did (cross-validated), for the record. */
  fit?: Record<string, unknown>;
}

export const MODEL_FILE = path.join(import.meta.dirname, "refusal-model.json");

let loaded: RefusalModelFile | undefined;
/** The fitted model shipped with the code (read once). */
export function refusalModel(): RefusalModelFile {
  loaded ??= JSON.parse(fs.readFileSync(MODEL_FILE, "utf8")) as RefusalModelFile;
  return loaded;
}

/** The threshold the fit chose: the default of REFUSAL_THRESHOLD. */
export function fittedThreshold(): number {
  return refusalModel().threshold;
}

/** P(answerable) under a model. */
export function probability(model: LogisticModel, f: Features): number {
  let z = model.bias;
  model.features.forEach((name, i) => {
    const x = f[name] ?? 0;
    z += model.weights[i] * ((x - model.mean[i]) / (model.scale[i] || 1));
  });
  return 1 / (1 + Math.exp(-z));
}

export interface Decision {
  answerable: boolean;
  /** P(answerable) under the model. */
  probability: number;
  /** Why refused: nothing retrieved; the topic is not there; the topic is there but an asked detail is not. */
  reason?: "no-passages" | "topic" | "detail";
  /** The asked details missing (for the one-line refusal). */
  missing: Slot["kind"][];
}

/** Topic coverage above which a refusal is about a missing detail rather than a missing topic. */
const TOPIC_PRESENT = 0.5;

/** Decides from the evidence; `threshold` is REFUSAL_THRESHOLD. */
export function decide(a: QuestionAnalysis, e: Evidence, passages: Citation[], threshold = fittedThreshold()): Decision {
  if (!passages.length) return { answerable: false, probability: 0, reason: "no-passages", missing: [] };
  const file = refusalModel();
  const model = e.features.semantic !== undefined && file.semantic ? file.semantic : file.offline;
  const p = probability(model, e.features);
  if (p >= threshold) return { answerable: true, probability: p, missing: [] };
  const missing: Slot["kind"][] = a.slots.filter((_, i) => !e.slotsFound[i]).map((s) => s.kind);
  if (e.itemsFound === false) missing.push("items");
  const detail = (missing.length > 0 || e.missingNumbers.length > 0 || e.relativeFound === false) && e.coverage >= TOPIC_PRESENT;
  return { answerable: false, probability: p, reason: detail ? "detail" : "topic", missing };
}

/** A question of two parts of which some can be answered: those are, and the others are named as missing. */
export interface PartialDecision {
  answered: QuestionAnalysis[];
  missing: { analysis: QuestionAnalysis; decision: Decision; evidence: Evidence }[];
}

/**
 * For a refused question of two parts (QuestionAnalysis.parts), each part decided on its own: when
 * some part is answerable, the answer gives it and says what the documents lack for the rest, rather
 * than refusing what they do answer. (A part's evidence has no sentence similarity: it is decided by
 * the offline model, at the same threshold.)
 */
export function decideParts(a: QuestionAnalysis, e: Evidence, passages: Citation[], threshold = fittedThreshold()): PartialDecision | undefined {
  if (!a.parts || !e.parts || a.parts.length !== e.parts.length) return undefined;
  const judged = a.parts.map((analysis, i) => ({ analysis, evidence: e.parts![i], decision: decide(analysis, e.parts![i], passages, threshold) }));
  const answered = judged.filter((j) => j.decision.answerable).map((j) => j.analysis);
  const missing = judged.filter((j) => !j.decision.answerable);
  return answered.length && missing.length ? { answered, missing } : undefined;
}

const DETAIL_ZH: Record<Slot["kind"], string> = {
  person: "具体是谁",
  place: "具体地点",
  org: "具体单位",
  date: "具体时间",
  quantity: "具体数字",
  ordinal: "具体届次",
  items: "具体包括哪些",
};
const DETAIL_EN: Record<Slot["kind"], string> = {
  person: "who it is",
  place: "the place",
  org: "the body",
  date: "the date",
  quantity: "the figure",
  ordinal: "which one",
  items: "the items",
};

/** What is missing, in words: 具体时间、具体地点 / the date and the place. */
function missingText(a: QuestionAnalysis, d: Decision, e: Evidence, lang: Lang): string {
  const kinds = [...new Set(d.missing)];
  const label = (k: Slot["kind"]) => {
    const slot = a.slots.find((s) => s.kind === k);
    if (lang === "en") return k === "place" && slot?.grain === "venue" ? "the venue" : DETAIL_EN[k];
    if (k === "place" && slot?.grain === "venue") return "具体会场";
    if (k === "date" && slot?.day) return "具体日期";
    if (k === "date" && slot?.year) return "具体年份";
    if (k === "quantity" && slot?.percent) return "具体比例";
    if (k === "quantity" && slot?.units?.some((u) => /元/.test(u))) return "具体金额";
    return DETAIL_ZH[k];
  };
  const parts = kinds.map(label);
  if (!parts.length && e.missingNumbers.length) parts.push(lang === "en" ? `anything about ${e.missingNumbers.join(", ")}` : `与${e.missingNumbers.join("、")}相关的内容`);
  if (!parts.length && e.relativeFound === false) parts.push(lang === "en" ? "the other occurrence asked about" : "所问的那一次的情况");
  return lang === "en" ? parts.join(" and ") : parts.join("、");
}

/**
 * The topic as the question names it: the question's own words from the first to the last topic
 * term the best passage mentions, when short; else those terms joined.
 */
export function topicPhrase(a: QuestionAnalysis, e: Evidence, passages: Citation[]): string {
  const best = e.passageCoverage.indexOf(Math.max(...e.passageCoverage));
  const text = best >= 0 ? `${passages[best].title}\n${passages[best].headingPath.join("\n")}\n${passages[best].quote}` : "";
  const matched = a.terms.filter((t) => t.weight > 0 && !e.unmatched.includes(t) && text && termIn(text, t));
  const found = matched.length ? matched : a.terms.filter((t) => t.weight > 0);
  // A term inside another (三改 of “三改联动”, asked again in 哪三改) adds nothing, and would stretch the span over the asking words.
  const named = outermost(found, (t) => t.text);
  if (!named.length) return a.question.replace(/[？?。.!！\s]+$/u, "");
  if (a.language === "en") return englishRuns(a.question, named);
  const start = Math.min(...named.map((t) => t.at));
  const end = Math.max(...named.map((t) => t.at + t.text.length));
  // The copula of the question's frame (论坛是在大连) is no part of what the documents mention.
  const span = a.question.slice(start, end).replace(/^[的在是和与]+|[的在是和与]+$/g, "").replace(/是(?=在)/g, "");
  // A span broken by a clause mark or splitting a quotation (辽宁说的“整零共同体) is no phrase to quote.
  const cut = a.slots.some((s) => s.at > start && s.at < end) || /[，,；;：:]/.test(span) || !quotesBalanced(span);
  // The question's words only when the passage has each term as written; else the words it has.
  const literal = named.every((t) => !text || text.includes(t.text));
  if (!cut && literal && [...span].length <= 24) return span;
  // A one-character word (学 of 学民族问题) names no topic when longer ones are there.
  const long = named.filter((t) => [...t.text].length > 1);
  const pool = long.length ? long : named;
  const things = pool.filter((t) => THING_TAG.test(t.tag));
  const words = [...new Set((things.length ? things : pool).map((t) => (text ? foundAs(text, t) : t.text)))];
  // A word inside another one named (核电 in 徐大堡核电基地) is said already.
  return outermost(words, (w) => w).join("、");
}

/** The items whose text is inside no other item's. */
function outermost<T>(items: T[], textOf: (x: T) => string): T[] {
  return items.filter((x) => !items.some((o) => textOf(o) !== textOf(x) && textOf(o).includes(textOf(x))));
}

/** Every opening quotation mark in the text is closed, and none closes what did not open. */
function quotesBalanced(text: string): boolean {
  let open = 0;
  for (const ch of text) {
    if (ch === "“" || ch === "「") open++;
    else if (ch === "”" || ch === "」") open--;
    if (open < 0) return false;
  }
  return open === 0;
}

/** How the passage writes a term: as the question does, or as the first of its bridges it holds. */
function foundAs(text: string, t: QuestionAnalysis["terms"][number]): string {
  return text.includes(t.text) ? t.text : (t.alts.find((x) => text.includes(x.text))?.text ?? t.text);
}

/** The question's own words for the terms, as written (capitals kept), adjacent ones as one phrase. */
function englishRuns(question: string, terms: QuestionAnalysis["terms"]): string {
  const runs: [number, number][] = [];
  for (const t of [...terms].sort((x, y) => x.at - y.at)) {
    const end = t.at + t.text.length;
    const last = runs[runs.length - 1];
    if (last && /^[\s-]*$/.test(question.slice(last[1], t.at))) last[1] = Math.max(last[1], end);
    else runs.push([t.at, end]);
  }
  const words = runs.map(([s, e]) => question.slice(s, e));
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}` : words[0];
}

function termIn(text: string, t: QuestionAnalysis["terms"][number]): boolean {
  return text.includes(t.text) || t.alts.some((x) => text.includes(x.text));
}

/** The refusal's opening line in the question's language. */
export function refusalLead(a: QuestionAnalysis, d: Decision, e: Evidence, passages: Citation[], lang: Lang): string {
  const q = a.question.replace(/[？?。.!！\s]+$/u, "");
  if (d.reason === "detail") {
    const best = e.passageCoverage.indexOf(Math.max(...e.passageCoverage));
    const marker = best >= 0 ? `[${passages[best].n}]` : "";
    const topic = topicPhrase(a, e, passages);
    const what = missingText(a, d, e, lang);
    return lang === "en"
      ? `The documents mention ${topic} but do not give ${what}${marker}.`
      : `文件提到了${topic}，但没有给出${what}${marker}。`;
  }
  const missing = e.unmatched.map((t) => t.text).slice(0, 4);
  if (lang === "en") return `The documents do not cover "${q}"${missing.length ? ` (not mentioned: ${missing.join(", ")})` : ""}.`;
  return `资料中没有找到“${q}”的答案${missing.length ? `（资料中未提及：${missing.join("、")}）` : ""}。`;
}

/** The whole refusal: the lead, then (unless it already cites its passage) the closest passages as leads. */
export function refusalText(a: QuestionAnalysis, d: Decision, e: Evidence, passages: Citation[], leads: Citation[], lang: Lang): string {
  const head = refusalLead(a, d, e, passages, lang);
  if (d.reason === "detail" || !leads.length) return head;
  return `${head}\n${leadList(leads, lang)}`;
}

/** "以下段落最为接近……" and one line per lead: 《title》 › item [n]. */
export function leadList(leads: Citation[], lang: Lang): string {
  const intro = lang === "en" ? "The closest passages, which may help:" : "以下段落最为接近，可供参考：";
  return `${intro}\n${leads.map((p) => `- ${shortSource(p)} [${p.n}]`).join("\n")}`;
}

/** True when a generated answer is itself a refusal (an LLM may judge the passages insufficient). */
export function isRefusalText(answer: string): boolean {
  return REFUSAL_OPENINGS.test(answer);
}
