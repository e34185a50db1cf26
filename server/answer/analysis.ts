/**
 * One analysis of a question, made once per request with the index's own segmenter and corpus
 * statistics, and read by follow-up rewriting, the refusal decision and the composer alike:
 *  - its language (the shared detector: a mixed "Who spoke at the 全会?" is English);
 *  - the slots it asks for, as a list (何时何地 asks a date and a place);
 *  - its form: a list, a method, a reason, a definition, a yes/no, a count of named items;
 *  - its topic terms, each weighted by how rare it is in the corpus, with what the corpus does not
 *    know marked as such and bridged where a general resource can: parts of a compound the corpus
 *    uses (核电站 → 核电), CC-CEDICT words sharing a sense (到场 → 出席), English renderings;
 *  - the figures it states (2024, 10月27日), which the evidence must then state too.
 * Framing words (我想知道, 请问, 打算, 是不是, 说法) are set apart, never topic terms.
 */
import type { Chunk, SentenceSimilarity } from "../../vectors/types.ts";
import { glossaryEntry, translateQuery, type Glossary } from "../../vectors/query-translation.ts";
import { questionLanguage, type Language } from "../../vectors/language.ts";
import { segmenterFor, type Segmenter } from "../../vectors/segmenter.ts";
import { isStopword } from "../../vectors/stopwords.ts";
import type { WordFactsLookup } from "../../vectors/word-facts.ts";
import type { PassageIndex } from "./types.ts";
import {
  CONJUNCTIONS, EN_FORMS, EN_FRAMING_PHRASES, EN_PLACE_HEADS, EN_SLOT_CUES, FRAMING_WORDS, RELATIVE_OCCURRENCE, SLOT_HEADS, SURNAMES, TIME_UNITS, UNIT_GROUPS, UNITS, VENUE_SUFFIXES, ZH_DIGITS, ZH_FORMS, ZH_SLOT_CUES, type PlaceGrain, type SlotKind,
} from "./lexicon.ts";
import { chineseYear, documentFrequency, escapeRe, idf, mentions, numberedCount } from "./match.ts";
import type { Slot } from "./slots.ts";

/** What the answer layer reads from an index, resolved once per index. */
export interface AnswerContext {
  seg: Segmenter;
  chunks: readonly Chunk[];
  glossary?: Glossary;
  facts?: WordFactsLookup;
  semantic?: SentenceSimilarity;
}

const contexts = new WeakMap<object, AnswerContext>();

/** The index's segmenter, chunks, glossary, word facts and sentence model (a fake index may lack some). */
export function answerContext(index: PassageIndex): AnswerContext {
  let ctx = contexts.get(index);
  if (!ctx) {
    ctx = {
      seg: index.segmenter ?? segmenterFor([]),
      chunks: index.core?.chunks ?? [],
      glossary: index.glossary,
      facts: index.wordFacts,
      semantic: index.semantic,
    };
    contexts.set(index, ctx);
  }
  return ctx;
}

/** Another wording that may stand for a term in the passages, and how surely (0..1). */
export interface Alt {
  text: string;
  score: number;
  via: "part" | "cedict" | "gloss" | "alias";
}

export interface TopicTerm {
  text: string;
  /** jieba's part of speech ("eng" for a Latin word, "nz" for a quoted phrase or a learned corpus term). */
  tag: string;
  /** Where it starts in the question. */
  at: number;
  /** Chunks mentioning it (for an English word: its most used rendering). */
  df: number;
  /** How telling it is: inverse document frequency (0 for a term the corpus does not know). */
  weight: number;
  /** The corpus uses the term itself (or, for an English word, one of its renderings). */
  known: boolean;
  /** The corpus writes the term exactly as the question does (then only that counts as mentioning it). */
  exact?: boolean;
  /** A noun, name or code: when neither it nor a bridge is in the evidence, that counts against it. */
  content: boolean;
  quoted?: boolean;
  /** Bridges: parts, dictionary paraphrases, English renderings. */
  alts: Alt[];
}

export interface QuestionAnalysis {
  question: string;
  language: Language;
  slots: Slot[];
  list: boolean;
  how: boolean;
  why: boolean;
  definition: boolean;
  yesNo: boolean;
  /**
   * Asks broadly what is done or said about the topic (怎么搞, 有哪些措施, 有什么说法): answered by
   * the passage about it as a whole, rather than by the sentences naming the asked category.
   */
  broad: boolean;
  /** The category a list question asks the members of (哪些物流园区 → 物流, 园区), when it names one. */
  category?: TopicTerm[];
  /** Asks for a given number of named things (哪三个体系 → 3; “两个确立”是什么 → 2). */
  enumerate?: number;
  /** What those things are called (体系, “两个确立”): the list must be next to one of these. */
  itemsOf?: TopicTerm[];
  /** The count is left open (哪几方面): a run of short clauses lists them too. */
  openCount?: boolean;
  terms: TopicTerm[];
  /** Content terms the corpus never uses and no bridge reaches. */
  unknown: string[];
  /** Framing words found (kept for the record; they weigh nothing). */
  framing: string[];
  /** Figures and dates the question states (2024, 10月27日): the evidence must state them too. */
  numbers: string[];
  /** A previous/next/first occurrence: what the evidence must then say. */
  relative?: RegExp;
  /**
   * Two subjects joined by 和/与/及 (论坛和博览会): the terms of each side within the
   * joining clause, and the terms outside it that both share. Empty sides when nothing is joined.
   */
  groups: { sides: TopicTerm[][]; shared: TopicTerm[] };
  /** The question's content as runs of Han characters (asking phrases and framing words removed). */
  runs: string[];
  /**
   * Two questions in one: each sentence asks something of a subject of its own (论坛是哪天开的？博览会
   * 设了哪几个展区？), each analysed; searched, judged and answered part by part.
   */
  parts?: QuestionAnalysis[];
}

const HAN = /[\u3400-\u9fff]/;
/** A term weighing less (idf) than this is in most of the corpus's passages (辽宁, 落实): it names no topic. */
export const GENERIC_WEIGHT = 1;
const HAN_ONLY = /^[\u3400-\u9fff]+$/;
const QUOTED = /[“"「『《]([^“”"「」『』《》\n]{2,24})[”"」』》]/g;
/** Parts of speech that frame rather than name: pronouns, particles, prepositions, conjunctions, adverbs, directions, classifiers. */
const FUNCTION_TAG = /^(r|u|p|c|y|e|o|d|f|q|w|z)/;
/** Parts of speech of things and acts: nouns (names, places, bodies), verbs, codes, abbreviations, idioms, unknown words, learned terms. */
const CONTENT_TAG = /^(n|v|a|eng|j|x|l|i|s|t|b|nz|m|$)/;
/** Named entities: a name's parts (人民 and 大会 in 人民大会堂) are no bridge to it. */
const NAME_TAG = /^(nr|ns|nt|nz|eng)/;
/** The tagger's classes of words naming things: nouns and names (n…), abbreviations (j), English words (eng). */
export const THING_TAG = /^n|^j$|^eng$/;
/** Particles that only carry the asking (吗, 呢, 了, 的, 一下). */
const PARTICLES = /^[吗呢吧啊呀嘛哦的了一下]+$/;
/** The tagger's particles (u…, y) and measure words or numerals (q, m): what a framing verb takes (搞了个, 做了些). */
const PARTICLE_OR_MEASURE = /^(u|y|q|m)/;

/** An ordinal or counted specifier the question pins down (第十五届, 六次, 三季度). */
const ORDINAL_TERM = new RegExp(`^第?[${ZH_DIGITS}\\d]+[届次批期轮季]度?$`);
/** A numeral and a noun character in one token (三论, 二论) — not a count with its classifier (两个, 几种). */
const NUMBERED_NAME = new RegExp(`^[${ZH_DIGITS}]+[^${ZH_DIGITS}个种项位类件条次届年]$`);


/** Analyses a question against the index it will be answered from. */
/**
 * The question as it is searched: without the clauses that only frame it (请帮我查一下：, 我想知道，,
 * 请根据文件回答。, "Please answer from the documents."), whose words the corpus may use elsewhere and
 * would pull retrieval off the topic. The question itself when every clause is a frame.
 */
export function searchText(question: string, ctx: Pick<AnswerContext, "seg">): string {
  const clauses = question.match(/[^，,。？?！!：:；;\n]+[，,。？?！!：:；;\n]*/g) ?? [question];
  const frames = (clause: string) => {
    const body = clause.replace(/[，,。？?！!：:；;\n\s]+/g, "");
    if (!body) return true;
    if (!HAN.test(body)) {
      const words = clause.toLowerCase().match(/[a-z']+/g) ?? [];
      return words.length > 0 && words.every((w) => FRAMING_WORDS.has(w) || isStopword(w) || FRAMING_WORDS.has(w.replace(/'.*$/, "")));
    }
    // Framing words, and the particles, prepositions and conjunctions around them (给我讲讲, 帮我查一下).
    return ctx.seg.tag(body, false).every(({ word, tag }) => FRAMING_WORDS.has(word) || /^[pucyeo]/.test(tag) || PARTICLES.test(word));
  };
  const kept = clauses.filter((c) => !frames(c));
  return kept.length && kept.length < clauses.length ? kept.join("").trim() : question;
}

export function analyzeQuestion(question: string, ctx: AnswerContext): QuestionAnalysis {
  const q = question.trim();
  const language = questionLanguage(q);
  const masked = [...q];
  const mask = (at: number, len: number) => {
    for (let i = at; i < at + len; i++) masked[i] = "，";
  };

  for (const m of q.matchAll(EN_FRAMING_PHRASES)) mask(m.index!, m[0].length);
  const slots = findSlots(q, mask, ctx);
  const forms = language === "en" ? EN_FORMS : ZH_FORMS;
  // Forms are read with the slots' cues masked: 是什么时候 asks a date, not a definition.
  const afterSlots = masked.join("");
  const has = (re: RegExp) => re.test(afterSlots);
  const list = has(forms.list) || has(ZH_FORMS.list);
  const how = has(forms.how) || has(ZH_FORMS.how);
  const why = has(forms.why) || has(ZH_FORMS.why);
  const definition = has(forms.definition) || has(ZH_FORMS.definition);
  const yesNo = has(forms.yesNo);
  for (const re of Object.values(ZH_FORMS)) for (const m of q.matchAll(new RegExp(re.source, "g"))) mask(m.index!, m[0].length);

  let enumerate: number | undefined;
  const counted = q.match(new RegExp(`哪[“"「]?([几${ZH_DIGITS}])[个项种篇条类大方件点]`));
  // 哪几位/哪几个城市 ask for people or places (slots), not for a count of named things.
  if (counted && !slots.some((s) => s.at <= counted.index! + 1 && s.at + s.cue.length > counted.index!)) enumerate = counted[1] === "几" ? 2 : numberedCount(counted[1] + "个") ?? 2;
  const countedEnd = counted ? counted.index! + counted[0].length : -1;
  const terms: TopicTerm[] = [];
  const framing: string[] = [];
  const seen = new Set<string>();
  const n = ctx.chunks.length;

  const addTerm = (text: string, tag: string, at: number, quoted = false) => {
    if (seen.has(text)) return;
    seen.add(text);
    // A word the corpus writes as it is is matched as written; only one it never writes may match
    // loosely (an abbreviation's full form: 深改委 ↔ 深化改革委员会), or 大会 would match 大…会.
    const exactDf = ctx.chunks.length ? documentFrequency(text, ctx.chunks, ctx.seg, false) : 1;
    const df = exactDf > 0 ? exactDf : documentFrequency(text, ctx.chunks, ctx.seg);
    const content = quoted || CONTENT_TAG.test(tag) || !!ctx.facts?.isProper(text);
    terms.push({ text, tag, at, df, weight: df > 0 ? idf(df, n) : 0, known: df > 0, exact: exactDf > 0, content, ...(quoted ? { quoted } : {}), alts: [] });
  };

  // A quoted phrase (“三篇大文章”, 《意见》) is the user naming something: kept whole.
  for (const m of q.matchAll(QUOTED)) {
    const phrase = m[1].trim();
    const at = m.index! + m[0].indexOf(phrase);
    if (HAN.test(phrase)) addTerm(phrase, "nz", at, true);
    mask(m.index!, m[0].length);
    // “两个确立”是什么 / 的具体内容: a numbered term asked for its content is asked for its items.
    const count = numberedCount(phrase);
    const rest = q.slice(m.index! + m[0].length);
    const before = q.slice(0, m.index!);
    if (
      count && !enumerate &&
      (new RegExp(`^[的]?.{0,4}(是什么|指什么|是指什么|指的是什么|具体内容是什么|内涵是什么|含义是什么|包括什么|包括哪些|是哪[几些${ZH_DIGITS}]\\S?)(呢|啊)?[？?。\\s]*$`).test(rest) ||
        /^(什么是|何为|何谓)$/.test(before.trim()))
    )
      enumerate = count;
  }

  let at = 0;
  const words = glue(joinCorpusWords(joinHyphenated(ctx.seg.tag(masked.join(""), false), ctx), ctx)).map(notAName(ctx));
  for (const { word, tag } of words) {
    const start = at;
    at += word.length;
    const w = word.trim();
    if (!w || /^[，,。？?！!、；;：:（）()\s]+$/.test(w)) continue;
    if (/^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(w)) {
      if (/^\d/.test(w) && !/[A-Za-z]/.test(w)) continue; // figures go to `numbers`
      const lw = w.toLowerCase();
      if (FRAMING_WORDS.has(lw)) {
        framing.push(lw);
        continue;
      }
      if (isStopword(lw) || (lw.length < 3 && w !== w.toUpperCase())) continue;
      if (language === "en" || (!/\d/.test(w) && w === w.toLowerCase() && lw.length > 3)) addEnglish(w, start);
      else addTerm(w, "eng", start);
      continue;
    }
    if (!HAN.test(w)) continue;
    // A compound of framing words (具体内容, 主要任务) frames too.
    const parts = [...w].length > 2 ? ctx.seg.subwords(w) : [];
    // So does a word the tagger glued from a framing verb and particles (搞了个, 做了些): made of framing
    // words and what the tagger calls particles or measures, with no sense of its own in CC-CEDICT (会场 has one).
    const glued =
      [...w].length <= 4 && [...w].some((c) => FRAMING_WORDS.has(c)) && !ctx.facts?.bridges(w).length &&
      [...w].every((c) => FRAMING_WORDS.has(c) || PARTICLE_OR_MEASURE.test(ctx.seg.tag(c, false)[0]?.tag ?? ""));
    if (FRAMING_WORDS.has(w) || glued || (parts.length >= 2 && parts.every((p) => FRAMING_WORDS.has(p)))) {
      framing.push(w);
      mask(start, word.length);
      continue;
    }
    // A numbered name the corpus uses (三论, 六次, 十三届) pins the question down like a noun.
    const ordinal = ORDINAL_TERM.test(w) || (/^m/.test(tag) && NUMBERED_NAME.test(w) && ctx.chunks.length > 0 && documentFrequency(w, ctx.chunks, ctx.seg, false) > 0);
    // A word jieba files under a function class but CC-CEDICT glosses like a corpus word (到场/d ~ 出席) is content.
    const lexical = [...w].length >= 2 && /^d/.test(tag) && (ctx.facts?.bridges(w).length ?? 0) > 0 && documentFrequency(w, ctx.chunks, ctx.seg, false) === 0;
    if (!ordinal && !lexical && FUNCTION_TAG.test(tag) && !ctx.facts?.isProper(w)) {
      // Interrogatives and particles break the question's content runs (哪个物流基地 → 物流基地).
      if (/^(r|u|y|e|o)/.test(tag)) mask(start, word.length);
      continue;
    }
    if (w === "是") mask(start, word.length);
    if (!ordinal && /^m/.test(tag)) continue;
    // Single characters are too ambiguous to match by substring, except plain nouns (煤, 港, 氢).
    if ([...w].length === 1 && !/^n/.test(tag)) continue;
    addTerm(w, tag || "nz", start);
  }

  function addEnglish(word: string, start: number) {
    const lw = word.toLowerCase();
    if (seen.has(lw)) return;
    seen.add(lw);
    const renderings = ctx.glossary ? translateQuery(word, ctx.glossary, 6) : [];
    // A one-character rendering (paired → 耦) is found inside unrelated words (耦合): it counts only
    // when no longer rendering is in the corpus, and then at half weight.
    const dfOf = (r: string) => (ctx.chunks.length ? documentFrequency(r, ctx.chunks, ctx.seg) : 1);
    const long = renderings.filter((r) => [...r].length > 1 && dfOf(r) > 0);
    const used = long.length ? long : renderings.filter((r) => standsAlone(r, ctx));
    const dfs = used.map(dfOf);
    const df = dfs.length ? Math.max(...dfs) : 0;
    const single = !long.length && used.length > 0;
    // A capitalised word is a name (Shenyang, Xudabao); others are content when the glossary renders them.
    const content = renderings.length > 0 || /^[A-Z]/.test(word);
    terms.push({
      text: lw, tag: "eng", at: start, df, weight: df > 0 ? idf(df, n) * (single ? SINGLE_RENDERING : 1) : 0, known: df > 0, content,
      alts: used.map((r, i) => ({ text: r, score: (i === 0 ? 1 : 0.9) * ([...r].length > 1 ? 1 : SINGLE_RENDERING), via: "gloss" as const })),
    });
  }

  mergePhrases(q, terms, ctx);
  // The rarity of compounds' parts, for partial matches (termMatch).
  if (ctx.chunks.length) {
    if (rarity.size > 20_000) rarity.clear();
    for (const t of terms)
      if ([...t.text].length >= 4)
        for (const p of ctx.seg.subwords(t.text)) if (!rarity.has(p)) rarity.set(p, idf(documentFrequency(p, ctx.chunks, ctx.seg, false), n));
  }
  for (const t of terms) bridge(t, ctx);
  for (const t of terms) for (const alias of numberedAliases(t.text, ctx)) t.alts.unshift({ text: alias, score: ALIAS, via: "alias" });
  // A bridged term weighs as its surest bridge would (楼市 → 房地产 is as telling as 房地产, less the doubt).
  for (const t of terms) {
    if (t.known || !t.alts.length) continue;
    t.weight = Math.max(...t.alts.map((x) => x.score * idf(ctx.chunks.length ? documentFrequency(x.text, ctx.chunks, ctx.seg) : 1, n)));
  }

  const unknown = terms.filter((t) => !t.known && !t.alts.length && t.content).map((t) => t.text);
  // What the counted items are (哪三个工程 → 工程; “三大工程”是什么 → 三大工程): a list must be of those.
  const itemsOf = enumerate
    ? terms.filter((t) => t.quoted || (countedEnd >= 0 && t.at >= countedEnd - 1 && t.at <= countedEnd + 1 && /^(n|j|l|x|$)/.test(t.tag)))
    : [];
  // An open count of a quoted numbered term's own noun (“四个短板”指哪几个短板) asks for as many items as it numbers.
  const numbered = counted?.[1] === "几" ? itemsOf.find((t) => t.quoted && t.exact && numberedCount(t.text) && itemsOf.some((x) => x !== t && t.text.endsWith(x.text))) : undefined;
  if (numbered) enumerate = numberedCount(numbered.text);
  const openCount = counted?.[1] === "几" && !numbered && enumerate !== undefined;
  // A list question names its category right after the asking word (哪些特色农产品加工产业); after 有哪些措施
  // or 什么说法 there is no category (the asking noun is a framing word), and the question is broad.
  const listCue = [...q.matchAll(new RegExp((language === "en" ? EN_FORMS : ZH_FORMS).list.source, "gi"))].pop();
  const cueEnd = listCue ? listCue.index! + listCue[0].length : -1;
  const clauseEnd = listCue ? (q.slice(cueEnd).search(/[，,。？?！!；;]/) + 1 || q.length + 1) + cueEnd - 1 : -1;
  const head = listCue ? terms.find((t) => t.at >= cueEnd && t.at <= cueEnd + 2 && t.content) : undefined;
  const category = head ? terms.filter((t) => t.at >= head.at && t.at < clauseEnd) : undefined;
  const broad = how || (list && !category) || ZH_FORMS.broad.test(q) || (language === "en" && EN_FORMS.broad.test(q));
  const relative = RELATIVE_OCCURRENCE.find(([asks]) => asks.test(q))?.[1];
  const parts = askedParts(q, ctx);
  const a: QuestionAnalysis = {
    question: q, language, slots, list, how, why, definition, yesNo, broad, ...(category && !broad ? { category } : {}), terms, unknown, framing,
    numbers: statedNumbers(q), groups: splitGroups(q, terms, words), ...(itemsOf.length ? { itemsOf } : {}), ...(openCount ? { openCount: true } : {}), runs: masked.join("").split(/[^\u3400-\u9fff]+/).filter((r) => [...r].length >= 2), ...(enumerate ? { enumerate } : {}), ...(relative ? { relative } : {}),
    ...(parts ? { parts } : {}),
  };
  return a;
}

/** Whether a question asks for something: a slot, a list, a count, which one, what a thing is, how or why, or anything at all with a question mark. */
function asks(a: QuestionAnalysis): boolean {
  const which = (a.language === "en" ? EN_FORMS : ZH_FORMS).which.test(a.question);
  return a.slots.length > 0 || a.list || a.enumerate !== undefined || a.definition || a.how || a.why || which || /[？?]\s*$/.test(a.question);
}

/** The most questions in one that are answered each on its own (each is searched and composed apart). */
const MAX_PARTS = 4;

/**
 * A question's sentences as questions of their own, when each asks something and names what of
 * (论坛是哪天开的？论坛由谁主持？ as much as 论坛是哪天开的？博览会设了哪几个展区？); undefined when it is one
 * question: one part leaning on another (论坛是哪天开的？由谁主持？) or asking nothing (…有什么支持政策？我在那边开了个厂).
 */
function askedParts(q: string, ctx: AnswerContext): QuestionAnalysis[] | undefined {
  // The same sentence twice is one question; more sentences than a person asks at once are a pasted text, one question.
  const pieces = [...new Set(q.split(/(?<=[？?])/).map((s) => s.trim()).filter((s) => /\p{L}/u.test(s) && [...s].length >= 4))];
  if (pieces.length < 2 || pieces.length > MAX_PARTS) return undefined;
  // A sentence of framing alone (请根据文件回答。) is no part, nor does it keep the others together.
  const parts = pieces.map((p) => analyzeQuestion(p, ctx)).filter((p) => p.terms.length > 0);
  if (parts.length < 2) return undefined;
  // A part's subject: the telling things it names that the corpus knows (not 辽宁 or 工作, in most passages; not a verb).
  const subjects = parts.map((p) => p.terms.filter((t) => t.known && THING_TAG.test(t.tag) && t.weight >= GENERIC_WEIGHT).map((t) => t.text));
  return parts.every((p, i) => asks(p) && subjects[i].length > 0) ? parts : undefined;
}

/** A stated count of named things (哪两个物流枢纽): its items name them, each. */
export function countsNamedItems(a: QuestionAnalysis): boolean {
  return !!a.itemsOf?.length && !a.openCount;
}

/** Slots asked, in question order; each cue is masked so its words are not taken for the topic. */
function findSlots(q: string, mask: (at: number, len: number) => void, ctx: AnswerContext): Slot[] {
  const slots: Slot[] = [];
  const taken: [number, number][] = [];
  const free = (s: number, e: number) => taken.every(([a, b]) => e <= a || s >= b);
  const push = (slot: Slot, len: number) => {
    taken.push([slot.at, slot.at + len]);
    slots.push(slot);
    mask(slot.at, len);
  };
  for (const [re, kind0] of ZH_SLOT_CUES) {
    for (const m of q.matchAll(new RegExp(re.source, "g"))) {
      let kind: SlotKind | undefined = kind0 === "head" ? undefined : kind0;
      let cue = m[0];
      let placeGrain: PlaceGrain | undefined;
      if (kind0 === "head") {
        const rest = q.slice(m.index! + cue.length);
        // Past the measure words the tagger marks (个/q, 座/q, 几个/m), the head is the next word, whole,
        // ending its noun phrase (哪个国家级新区 asks for a new area, not a country).
        const words = ctx.seg.tag(rest.slice(0, 12), false);
        let h = 0;
        while (h < words.length - 1 && /^[qm]/.test(words[h].tag)) h++;
        const next = words[h]?.word ?? "";
        // A room or hall (哪个会议室, 哪座礼堂) asks where, in a building.
        const venue = !SLOT_HEADS[next] && [...next].length >= 2 && VENUE_HEAD.test(next) ? next : undefined;
        const head = venue ?? (Object.hasOwn(SLOT_HEADS, next) ? next : undefined);
        if (!head || /^n/.test(words[h + 1]?.tag ?? "")) continue;
        const [headKind, grain] = venue ? (["place", "venue"] as const) : SLOT_HEADS[head];
        kind = headKind;
        cue += words.slice(0, h + 1).map((w) => w.word).join("");
        if (grain) placeGrain = grain;
      }
      if (!kind || !free(m.index!, m.index! + cue.length)) continue;
      const slot: Slot = { kind, cue, at: m.index!, ...(placeGrain ? { grain: placeGrain } : {}) };
      const after = q.slice(m.index! + cue.length);
      if (kind === "person" || kind === "org") {
        // 谁主持的, 哪个部门牵头: the doer of that verb is asked.
        const next = ctx.seg.tag(after.slice(0, 8), false).find((w) => w.word.trim());
        if (next && /^[vb]/.test(next.tag) && [...next.word].length >= 2 && !FRAMING_WORDS.has(next.word)) slot.verb = next.word;
      }
      if (kind === "date") {
        if (/哪一?天|几号|几月几[日号]|日期|哪几天/.test(cue)) slot.day = true;
        else if (/年/.test(cue)) slot.year = true;
      }
      if (kind === "quantity") {
        if (/^(多少|几)$/.test(cue)) {
          const unit = UNITS.split("|").filter((u) => after.startsWith(u)).sort((x, y) => y.length - x.length)[0];
          if (unit) {
            slot.units = [unit];
            cue += unit;
          } else if (/^(钱|资金|经费)/.test(after)) slot.units = ["元"];
        } else if (/^几./.test(cue)) slot.units = [cue.slice(1)];
        // 多久 asks a duration; a unit counts as any of its group (几位 finds 87人).
        if (/^多[久长]/.test(cue)) slot.units = [...TIME_UNITS];
        const group = UNIT_GROUPS.find((g) => slot.units?.length && slot.units.every((u) => g.includes(u)));
        if (group) slot.units = [...group];
        if (/百分之|比例|占比|增速|增幅|增长率|几成|百分点/.test(q)) slot.percent = true;
      }
      if (/哪几|哪些|几位/.test(cue)) slot.many = true;
      // 位于哪个市: one place asked twice; the finer cue (the head noun) says what sort.
      const same = slots.find((x) => x.kind === slot.kind && Math.abs(x.at - slot.at) <= 4);
      if (same) {
        Object.assign(same, { ...slot, at: same.at, cue: same.cue + slot.cue, grain: slot.grain ?? same.grain });
        taken.push([slot.at, slot.at + cue.length]);
        mask(slot.at, cue.length);
        continue;
      }
      push(slot, cue.length);
    }
  }
  for (const [re, kind] of EN_SLOT_CUES) {
    let m = q.match(re);
    // "how many kilometres": the counted noun belongs to the cue (it is the unit, not the topic).
    if (m && kind === "quantity" && /^how (many|much)$/i.test(m[0])) m = q.match(/\bhow (many|much)( [a-z]+)?/i) ?? m;
    if (!m || !free(m.index!, m.index! + m[0].length)) continue;
    const grain = kind === "place" ? EN_PLACE_HEADS[m[0].split(/\s+/).pop()!.toLowerCase()] : undefined;
    push({
      kind, cue: m[0], at: m.index!,
      ...(kind === "date" && /\b(date|day)\b/i.test(m[0]) ? { day: true } : {}),
      ...(kind === "date" && /\byear\b/i.test(m[0]) ? { year: true } : {}),
      ...(grain ? { grain } : {}),
      ...(/s$/i.test(m[0]) && kind !== "quantity" ? { many: true } : {}),
    }, m[0].length);
  }
  // 什么时候 and 在哪里 both asked once; a date range answers "how long" (开了几天 → 30日至31日) as a duration does.
  return slots.sort((x, y) => x.at - y.at);
}

const alone = new WeakMap<readonly Chunk[], Map<string, boolean>>();

/** Whether the corpus uses a word on its own somewhere (耦 only inside 耦合 does not: a gloss's one character). */
function standsAlone(word: string, ctx: AnswerContext): boolean {
  if ([...word].length > 1 || !ctx.chunks.length) return true;
  let cache = alone.get(ctx.chunks);
  if (!cache) alone.set(ctx.chunks, (cache = new Map()));
  let yes = cache.get(word);
  if (yes === undefined) {
    yes = ctx.chunks.some((c) => c.text.includes(word) && ctx.seg.tag(c.text).some((t) => t.word === word));
    if (cache.size > 5_000) cache.clear();
    cache.set(word, yes);
  }
  return yes;
}

const VENUE_HEAD = new RegExp(`(?:${VENUE_SUFFIXES}|室)$`);

/** What a one-character rendering of an English word counts for (it is found inside unrelated words). */
const SINGLE_RENDERING = 0.5;

/** How surely a numbered name's long form (第十三届委员会第六次全体会) stands for its short one (十三届六次全会). */
const ALIAS = 0.9;
const aliasCache = new WeakMap<readonly Chunk[], Map<string, string[]>>();

/**
 * The corpus's other spellings of a numbered name (省委十三届六次全会 is written 第十三届委员会第六次全体
 * 会议 in the communiqué's own title): the same numbered parts in the same order, each perhaps after 第,
 * a few characters apart, then the name's head written out (全会 → 全…会). Found in the corpus itself.
 */
export function numberedAliases(term: string, ctx: AnswerContext): string[] {
  if (!ctx.chunks.length || [...term].length < 4) return [];
  let cache = aliasCache.get(ctx.chunks);
  if (!cache) aliasCache.set(ctx.chunks, (cache = new Map()));
  const hit = cache.get(term);
  if (hit) return hit;
  const numbered = [...term.matchAll(new RegExp(`第?[${ZH_DIGITS}\\d]+[届次批期轮]`, "g"))];
  let out: string[] = [];
  if (numbered.length) {
    const last = numbered[numbered.length - 1];
    const head = term.slice(last.index! + last[0].length);
    const parts = numbered.map((m) => `第?${escapeRe(m[0].replace(/^第/, ""))}`).join("[\\u4e00-\\u9fff]{0,8}?");
    const tail = [...head].slice(0, 4).map(escapeRe).join("[\\u4e00-\\u9fff]{0,2}");
    const re = new RegExp(parts + tail, "g");
    const counts = new Map<string, number>();
    for (const c of ctx.chunks)
      for (const text of [c.text, c.title])
        for (const m of text.matchAll(re)) if (!term.includes(m[0]) && !m[0].includes(term)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    out = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([w]) => w);
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(term, out);
  return out;
}

/** Longest phrase merged from adjacent terms. */
const MAX_PHRASE = 12;

/**
 * Adjacent terms that the corpus writes as one phrase (中央金融 + 委员会 → 中央金融委员会, 徐大堡 +
 * 核电 + 基地) become that phrase: named as a whole, it is not the 委员会 of another body.
 */
function mergePhrases(q: string, terms: TopicTerm[], ctx: AnswerContext): void {
  if (!ctx.chunks.length) return;
  terms.sort((a, b) => a.at - b.at);
  for (let i = 0; i < terms.length; i++) {
    let best = -1;
    // Names only (nouns: 中央金融 + 委员会), not verb phrases (支持 + 边境地区 + 发展), which the corpus words freely.
    const noun = (t: TopicTerm) => /^(n|j|x|$)/.test(t.tag) && t.tag !== "vn";
    if (!noun(terms[i])) continue;
    for (let j = i + 1; j < terms.length; j++) {
      if (terms[j].at !== terms[j - 1].at + terms[j - 1].text.length || !noun(terms[j])) break;
      const span = q.slice(terms[i].at, terms[j].at + terms[j].text.length);
      if ([...span].length > MAX_PHRASE) break;
      if (documentFrequency(span, ctx.chunks, ctx.seg, false) > 0) best = j;
    }
    if (best < 0) continue;
    const text = q.slice(terms[i].at, terms[best].at + terms[best].text.length);
    const df = documentFrequency(text, ctx.chunks, ctx.seg, false);
    const merged: TopicTerm = { text, tag: "nz", at: terms[i].at, df, weight: idf(df, ctx.chunks.length), known: true, exact: true, content: true, alts: [] };
    terms.splice(i, best - i + 1, merged);
  }
}

/**
 * Bridges for a term: for one the corpus does not know, the parts of it the corpus uses (核电站 →
 * 核电) and CC-CEDICT words sharing a sense; for a known one, its dictionary paraphrases too (a
 * passage may say 举行 where the question says 举办), at a discount.
 */
function bridge(t: TopicTerm, ctx: AnswerContext): void {
  if (t.tag === "eng" && t.alts.length) return;
  if (!HAN_ONLY.test(t.text)) return;
  const alts = new Map<string, Alt>();
  const add = (text: string, score: number, via: Alt["via"]) => {
    if (text === t.text || (alts.get(text)?.score ?? 0) >= score) return;
    alts.set(text, { text, score, via });
  };
  // Two words glossed alike are paraphrases only as the same part of speech: 罚款 (a fine, n) is no
  // 精细 (fine, a), 会场 (n) no 流动 (v).
  const cls = (tag: string) => tag.replace(/^(vn|v).*/, "v").replace(/^(n|nr|ns|nt|nz|j|l|x).*/, "n").slice(0, 1);
  const mine = cls(t.tag);
  for (const [w, s] of ctx.facts?.bridges(t.text) ?? []) {
    const theirs = ctx.seg.tag(w, false);
    // (Only for the classes jieba tags reliably: a word it files as an adverb may be anything.)
    if (/^[nva]$/.test(mine) && theirs.length === 1 && cls(theirs[0].tag) !== mine && !(mine === "n" && theirs[0].tag === "vn")) continue;
    add(w, (t.known ? 0.6 : 0.8) * s, "cedict");
  }
  if (!t.known && !NAME_TAG.test(t.tag)) {
    const chars = [...t.text];
    const pieces = new Set([...ctx.seg.subwords(t.text)]);
    for (let len = chars.length - 1; len >= 2; len--) {
      pieces.add(chars.slice(0, len).join(""));
      pieces.add(chars.slice(chars.length - len).join(""));
    }
    for (const p of pieces) {
      const len = [...p].length;
      if (len < 2 || len >= chars.length) continue;
      if (ctx.chunks.length && documentFrequency(p, ctx.chunks, ctx.seg) === 0) continue;
      add(p, 0.9 * (len / chars.length), "part");
    }
  }
  t.alts = [...alts.values()].sort((a, b) => b.score - a.score).slice(0, 6);
}

/**
 * jieba without HMM splits names and abbreviations it does not know into single characters
 * (王/延/中, 深/改/委): three or more single content characters in a row are one word (an
 * abbreviation), and a single surname glues to the characters after it (a name).
 */
function glue(input: { word: string; tag: string }[]): { word: string; tag: string }[] {
  const isHan1 = (t: { word: string }) => [...t.word].length === 1 && HAN.test(t.word);
  const abbrevPart = (t: { word: string; tag: string }) => isHan1(t) && !/^(p|u|c|y|r|e|o|d|m|q|nr)/.test(t.tag) && !FRAMING_WORDS.has(t.word);
  const glued: { word: string; tag: string }[] = [];
  for (let i = 0; i < input.length; ) {
    let j = i;
    while (j < input.length && abbrevPart(input[j])) j++;
    if (j - i >= 3) {
      glued.push({ word: input.slice(i, j).map((t) => t.word).join(""), tag: "j" });
      i = j;
    } else glued.push(input[i++]);
  }
  const namePart = (t: { word: string; tag: string }) => isHan1(t) && !/^(p|u|c|y|r|e|o|d|v|m|q)/.test(t.tag) && !FRAMING_WORDS.has(t.word);
  const out: { word: string; tag: string }[] = [];
  for (const t of glued) {
    const prev = out[out.length - 1];
    if (prev && prev.tag === "nr" && isHan1(prev) && HAN.test(t.word) && !/^(p|u|c|y|r|v|m)/.test(t.tag)) out[out.length - 1] = { word: prev.word + t.word, tag: "nr" };
    else if (prev && namePart(t) && namePart(prev)) out[out.length - 1] = { word: prev.word + t.word, tag: prev.tag === "nr" ? "nr" : "x" };
    else if (prev && prev.tag === "nr" && [...prev.word].length <= 2 && namePart(t)) out[out.length - 1] = { word: prev.word + t.word, tag: "nr" };
    else out.push({ ...t });
  }
  return out;
}

/**
 * English words joined by a hyphen that the glossary renders whole (high-end → 高端): one word, as
 * jieba splits them at the hyphen. Others (Sino-German) stay apart, each word rendered on its own.
 */
function joinHyphenated(tagged: { word: string; tag: string }[], ctx: AnswerContext): { word: string; tag: string }[] {
  if (!ctx.glossary) return tagged;
  const out: { word: string; tag: string }[] = [];
  for (let i = 0; i < tagged.length; i++) {
    const [a, dash, b] = [tagged[i], tagged[i + 1], tagged[i + 2]];
    const latin = (t?: { word: string }) => !!t && /^[A-Za-z]+$/.test(t.word);
    if (latin(a) && dash?.word === "-" && latin(b)) {
      const joined = `${a.word}-${b.word}`;
      if (glossaryEntry(ctx.glossary, joined.toLowerCase())) {
        out.push({ word: joined, tag: "eng" });
        i += 2;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

/**
 * jieba tags some common words nr (养老) and guesses nr for words it does not know: a name only when it
 * opens with a surname or CC-CEDICT says it names a person; otherwise a noun, bridged like any unknown word.
 */
function notAName(ctx: AnswerContext): (t: { word: string; tag: string }) => { word: string; tag: string } {
  return (t) => (t.tag === "nr" && !SURNAMES.includes([...t.word][0]) && ctx.facts?.kind(t.word) !== "person" ? { ...t, tag: "n" } : t);
}

/** A set phrase of single characters (做/大/做/强) has at least this many. */
const SET_PHRASE = 4;

/**
 * Single characters in a row that the corpus writes as one word (日/韩 → 日韩, which jieba tags as a
 * numeral and an abbreviation): one word, as the corpus has it. So are four or more the corpus writes
 * together (做/大/做/强 → 做大做强), framing characters among them: a set phrase, not four words.
 */
function joinCorpusWords(tagged: { word: string; tag: string }[], ctx: AnswerContext): { word: string; tag: string }[] {
  if (!ctx.chunks.length) return tagged;
  const out: { word: string; tag: string }[] = [];
  const single = (t?: { word: string }) => !!t && [...t.word].length === 1 && HAN.test(t.word) && !FRAMING_WORDS.has(t.word);
  const free = (t: { tag: string }) => !/^(u|p|c|y|r)/.test(t.tag);
  const char = (t?: { word: string; tag: string }) => !!t && [...t.word].length === 1 && HAN.test(t.word) && free(t);
  for (let i = 0; i < tagged.length; i++) {
    let run = 0;
    while (char(tagged[i + run])) run++;
    let joined = 0;
    for (let len = Math.min(run, MAX_PHRASE); len >= SET_PHRASE && !joined; len--) {
      const phrase = tagged.slice(i, i + len).map((t) => t.word).join("");
      if (documentFrequency(phrase, ctx.chunks, ctx.seg, false) > 0) joined = len;
    }
    if (joined) {
      out.push({ word: tagged.slice(i, i + joined).map((t) => t.word).join(""), tag: "l" });
      i += joined - 1;
      continue;
    }
    const a = tagged[i];
    const b = tagged[i + 1];
    const c = tagged[i + 2];
    // A name split into characters (何/立/峰, 王/延/中): a surname (jieba may read 何 as "what") and two
    // more characters the corpus writes together.
    if (single(a) && single(b) && single(c) && SURNAMES.includes(a.word) && free(b) && free(c) && documentFrequency(a.word + b.word + c.word, ctx.chunks, ctx.seg, false) > 0) {
      out.push({ word: a.word + b.word + c.word, tag: "nr" });
      i += 2;
      continue;
    }
    if (single(a) && single(b) && !/^(u|p|c|y|r)/.test(a.tag) && !/^(u|p|c|y|r)/.test(b.tag) && documentFrequency(a.word + b.word, ctx.chunks, ctx.seg, false) > 0) {
      out.push({ word: a.word + b.word, tag: "nz" });
      i++;
    } else out.push(a);
  }
  return out;
}

/** The subjects a conjunction joins, within its clause; the other terms are shared by both. */
function splitGroups(q: string, terms: TopicTerm[], words: { word: string; tag: string }[]): { sides: TopicTerm[][]; shared: TopicTerm[] } {
  let at = 0;
  const cuts: number[] = [];
  // Where a preposition or an adverb starts: the joined noun phrases lie between two such words (not
  // verbs: jieba tags the verbal nouns of a phrase as verbs, 集体学习).
  const breaks: number[] = [];
  for (const { word, tag } of words) {
    if (CONJUNCTIONS.includes(word.trim()) && /^(c|p)/.test(tag)) cuts.push(at);
    else if (/^(p|d)/.test(tag)) breaks.push(at);
    at += word.length;
  }
  if (!cuts.length) return { sides: [], shared: terms };
  // The clause holding the (first) conjunction, by the question's own punctuation.
  const bounds = [...q.matchAll(/[，,。？?！!；;]/g)].map((m) => m.index!);
  const from = Math.max(-1, ...bounds.filter((b) => b < cuts[0]));
  const to = Math.min(q.length, ...bounds.filter((b) => b > cuts[0]));
  // The noun phrases the first conjunction joins: from the last break before it to the first after it
  // (深改委会议和辽宁的意见 | 对国有资本和国企分别提了…: what follows is said of both, its own 和 included).
  const start = Math.max(from, ...breaks.filter((b) => b > from && b < cuts[0]));
  const end = Math.min(to, ...breaks.filter((b) => b > cuts[0] && b < to));
  const inPhrase = cuts.filter((c) => c > start && c < end);
  const edges = [start, ...inPhrase, end];
  const sides: TopicTerm[][] = [];
  for (let i = 0; i + 1 < edges.length; i++) sides.push(terms.filter((t) => t.at > edges[i] && t.at < edges[i + 1]));
  const shared = terms.filter((t) => t.at <= start || t.at >= end);
  return sides.filter((g) => g.length).length >= 2 ? { sides: sides.filter((g) => g.length), shared } : { sides: [], shared: terms };
}

/** Figures, years and days the question states (2024, 10 in 10月27日); ordinals such as 13th are not figures. */
export function statedNumbers(question: string): string[] {
  const days = [...question.matchAll(/(\d{1,2})\s*月\s*(\d{1,2})\s*日/g)];
  const rest = days.reduce((q, m) => q.replace(m[0], " "), question);
  const out = [...rest.matchAll(/(?<![\d.])(\d{2,}(?:\.\d+)?)(?![\d.]|st\b|nd\b|rd\b|th\b)/gi)].map((m) => m[1]);
  for (const m of days) out.push(`${m[1]}月${m[2]}日`);
  return [...new Set(out)];
}

/** Whether `text` states the figure: in digits, or for a year in Chinese digits (二〇二四). */
export function statesNumber(text: string, n: string): boolean {
  if (/月/.test(n)) return text.replace(/\s+/g, "").includes(n);
  if (new RegExp(`(?<![\\d.])${n.replace(".", "\\.")}(?![\\d])`).test(text)) return true;
  return /^\d{4}$/.test(n) && text.includes(chineseYear(n));
}

/** A compound written with only some of its parts (省委十三届六次 in 第十三届委员会第六次) counts this much per share of it. */
const PARTIAL = 0.8;
/** A word the corpus writes whole, found written out: this sure. */
const LOOSE = 0.85;
const NUMERAL = new RegExp(`[${ZH_DIGITS}\\d]`);
/** How rare each part of the question's compounds is (idf), filled by analyzeQuestion. */
const rarity = new Map<string, number>();

/**
 * How surely a text mentions a term (0..1): 1 for the term itself; for a compound, the share of its
 * characters that the parts the text holds cover (at least half), at a discount; else its best bridge.
 */
/** Whether the text writes a two-character word out as two words in a row opening with its characters (全体会议 for 全会). */
function writtenOut(text: string, word: string, seg: Segmenter): boolean {
  const [a, b] = [...word];
  const re = new RegExp(`${escapeRe(a)}[\\u3400-\\u9fff]{1,2}${escapeRe(b)}`, "g");
  for (const m of text.matchAll(re)) {
    const pos = m.index!;
    const second = pos + m[0].length - 1;
    // The words around: the tokens, and the dictionary words inside long tokens (第六次全体会议: 全体, 会议).
    const from = Math.max(0, pos - 6);
    const pieces = new Set<string>();
    let at = from;
    for (const tok of seg.tag(text.slice(from, Math.min(text.length, second + 6)), false)) {
      pieces.add(`${at}:${at + tok.word.length}`);
      for (const sub of seg.subwords(tok.word)) for (let i = tok.word.indexOf(sub); i >= 0; i = tok.word.indexOf(sub, i + 1)) pieces.add(`${at + i}:${at + i + sub.length}`);
      at += tok.word.length;
    }
    const opens = (s0: number) => [...pieces].some((p) => p.startsWith(`${s0}:`) && Number(p.split(":")[1]) - s0 >= 2);
    if (pieces.has(`${pos}:${second}`) && opens(second)) return true;
  }
  return false;
}

export function termMatch(text: string, t: TopicTerm, seg?: Segmenter): number {
  if (t.tag !== "eng" && (t.exact ? text.includes(t.text) : mentions(text, t.text, seg))) return 1;
  let best = 0;
  // A word the corpus also writes whole may still be written out (六次全会 as 第六次全体会议): a near
  // match for three characters or more (two-character words spread out would match anything: 大…会).
  if (t.exact && t.tag !== "eng" && [...t.text].length >= 3 && mentions(text, t.text, seg)) best = LOOSE;
  // Two characters, each opening one of two words in a row (全会 as 全体会议): its written-out form.
  else if (t.exact && seg && t.tag !== "eng" && [...t.text].length === 2 && writtenOut(text, t.text, seg)) best = LOOSE;
  if (seg && t.tag !== "eng" && [...t.text].length >= 4) {
    // The parts that tell this compound from its neighbours must be there: every numbered part (五次 is
    // not 六次) and the least common of the others (金融 in 中央金融委员会, not 中央 or 委员会).
    const parts = seg.subwords(t.text).filter((p) => [...p].length >= 2);
    const numbered = parts.filter((p) => NUMERAL.test(p));
    const plain = parts.filter((p) => !NUMERAL.test(p));
    const rarest = plain.sort((a, b) => (rarity.get(b) ?? 0) - (rarity.get(a) ?? 0))[0];
    if (numbered.every((p) => text.includes(p)) && (!rarest || text.includes(rarest))) {
      const covered = new Set<number>();
      for (const p of parts) {
        if (!text.includes(p)) continue;
        const at = t.text.indexOf(p);
        for (let i = at; i >= 0 && i < at + p.length; i++) covered.add(i);
      }
      const share = covered.size / t.text.length;
      if (share >= 0.5) best = PARTIAL * share;
    }
  }
  for (const a of t.alts) if (a.score > best && mentions(text, a.text, seg)) best = a.score;
  return best;
}
