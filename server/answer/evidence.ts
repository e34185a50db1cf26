/**
 * What the retrieved passages hold of a question: how well they cover its topic terms (rarer terms
 * weigh more; bridged terms by how surely they are bridged), which sentences are about its topic,
 * whether each asked slot is given in such a sentence, whether the figures it states are there.
 * These are the measured features the refusal decision (refusal.ts) weighs; the composer reads the
 * same sentence judgements.
 */
import type { Citation } from "./types.ts";
import type { Chunk } from "../../vectors/types.ts";
import { passageSentences } from "../../text/passages.ts";
import { countsNamedItems, statesNumber, termMatch, THING_TAG, type AnswerContext, type QuestionAnalysis, type TopicTerm } from "./analysis.ts";
import { ANAPHORA } from "./lexicon.ts";
import { numberedCount } from "./match.ts";
import { definesTerm, enumeration, slotValues, type Slot } from "./slots.ts";

/** A sentence of a retrieved passage, judged against the question. */
export interface JudgedSentence {
  passage: number;
  pos: number;
  /** Offsets in the passage's quote. */
  start: number;
  end: number;
  /** Paragraph of the passage it is in (line breaks part paragraphs), and whether it opens it. */
  para: number;
  opensParagraph: boolean;
  text: string;
  /** Weighted share of the topic the sentence speaks of: in its own words or its passage's headings (it must say one itself). */
  about: number;
  /** Weighted share of the topic in the sentence's own words. */
  own: number;
  /** Per asked slot (same order as analysis.slots): the values the sentence gives. */
  values: string[][];
  /** Per asked slot: the aboutness on that slot's part of the topic (see termsPerSlot). */
  aboutSlots: number[];
}

export interface Evidence {
  language: "zh" | "en";
  /** Best weighted topic coverage by one passage (text and headings), 0..1. */
  coverage: number;
  /** Per passage. */
  passageCoverage: number[];
  /** Passages covering the topic about as well as the best: where the answer must be. */
  supporting: number[];
  sentences: JudgedSentence[];
  /** The best aboutness of any sentence of a supporting passage. */
  bestAbout: number;
  /** Per asked slot: found in a sentence about the topic. */
  slotsFound: boolean[];
  /** Asked for named items (哪三个, “两个确立”是什么): listed next to the topic. */
  itemsFound?: boolean;
  /** Asked for a previous/next/first occurrence: the evidence says so. */
  relativeFound?: boolean;
  /** Stated figures no passage states. */
  missingNumbers: string[];
  /** Content terms neither the passages nor any bridge of theirs mention. */
  unmatched: TopicTerm[];
  features: Features;
  /** Two questions in one: each part's own judgement (QuestionAnalysis.parts, in order). */
  parts?: Evidence[];
}

/** The measured features of (question, passages) the refusal model weighs; see refusal-model.json. */
export interface Features {
  /** Best passage's weighted coverage of the known (or bridged) topic terms. */
  coverage: number;
  /** Best sentence's aboutness. */
  sentence: number;
  /** Share of the content terms that the corpus does not know and no bridge reaches. */
  unbridged: number;
  /** The same share among the terms naming things (nouns, names, abbreviations, English words). */
  nounsUnbridged: number;
  /** Share of the asked slots (and listed items, relative occurrence) not found about the topic. */
  slotMissing: number;
  /** Share of stated figures and dates not in the passages. */
  numbersMissing: number;
  /** The top passage is near the top of both retrievers (1) or of one only (0). */
  agreement: number;
  /** Best sentence similarity under a pretrained model (only when one is configured). */
  semantic?: number;
}

/** Passages whose coverage is within this of the best one's support the answer. */
const SUPPORT_MARGIN = 0.2;
/** The first passages retrieved support the answer too when they cover this share of the best coverage. */
const SUPPORT_RANKS = 2;
const SUPPORT_SHARE = 0.5;
/** A sentence about the topic holds at least this share of the best sentence's aboutness… */
const ABOUT_RELATIVE = 0.7;
/**
 * …and at least this much absolutely: more than half the topic (主任 alone is not 中央金融委员会的主任);
 * less for an English question, whose terms are matched through loose glossary renderings.
 */
const ABOUT_MIN = { zh: 0.55, en: 0.35 };
/** Sentences a pointer back (就这个问题, 会上) may reach. */
const ANAPHORA_REACH = 3;

/** The text a passage is matched on: its heading path (title › section › item) and its own text. */
export function passageText(p: Citation): string {
  return `${p.title}\n${p.headingPath.join("\n")}\n${p.quote}`;
}

/** Title and heading path: what a passage as a whole is about. */
export function passageHeadings(p: Citation): string {
  return `${p.title}\n${p.headingPath.join("\n")}`;
}

/** The terms that carry weight (known, or bridged). */
export function weighted(a: QuestionAnalysis): TopicTerm[] {
  return a.terms.filter((t) => t.weight > 0);
}

/**
 * Weighted share (0..1) of the terms a text mentions (bridges by their score). Without the context's
 * segmenter a compound's telling parts do not count (氢能产业 in 氢能等产业集群): Chinese text needs it.
 */
export function coverage(text: string, terms: TopicTerm[], ctx?: AnswerContext): number {
  let total = 0;
  let hit = 0;
  for (const t of terms) {
    total += t.weight;
    hit += t.weight * termMatch(text, t, ctx?.seg);
  }
  return total > 0 ? hit / total : 0;
}

/** The place and body names a question states (辽宁, 中央金融委员会): jieba's ns/nt or the dictionary's kind. */
export function statedNames(a: QuestionAnalysis, ctx: AnswerContext): TopicTerm[] {
  return a.terms.filter((t) => t.known && (/^n[st]/.test(t.tag) || ctx.facts?.kind(t.text) === "place" || ctx.facts?.kind(t.text) === "org"));
}

const articleChunks = new WeakMap<readonly unknown[], Map<string, Chunk[]>>();

/** The index's chunks of a passage's article (none when the index has no chunks). */
function chunksOf(p: Citation, ctx: AnswerContext): Chunk[] {
  let byArticle = articleChunks.get(ctx.chunks);
  if (!byArticle) {
    byArticle = new Map();
    for (const c of ctx.chunks) byArticle.set(c.articleId, [...(byArticle.get(c.articleId) ?? []), c]);
    articleChunks.set(ctx.chunks, byArticle);
  }
  return byArticle.get(p.articleId) ?? [];
}

/** An article is about a name when this share of its chunks mention it (a passing mention is not). */
const ABOUT_NAME = 0.3;

/**
 * How far the passage's article is about the names the question states (0..1): 1 when the article's
 * title names them, else the share of the article's chunks naming them, scaled by ABOUT_NAME (without
 * the index's chunks: whether the passage names them). A question on 辽宁 is about the article on 辽宁, though the name is too common to weigh
 * in one passage's coverage, and an article naming 辽宁省 once in a list of speakers is not about it.
 * 1 when the question states no name.
 */
export function articleAgreement(names: TopicTerm[], p: Citation, ctx: AnswerContext): number {
  if (!names.length) return 1;
  const chunks = chunksOf(p, ctx);
  const one = (t: TopicTerm) => {
    if (termMatch(p.title, t, ctx.seg) > 0) return 1;
    if (!chunks.length) return termMatch(passageText(p), t, ctx.seg) > 0 ? 1 : 0;
    const naming = chunks.filter((c) => termMatch(c.text, t, ctx.seg) > 0).length;
    return Math.min(1, naming / chunks.length / ABOUT_NAME);
  };
  return names.reduce((sum, t) => sum + one(t), 0) / names.length;
}

/** Judges the passages against the analysed question. */
export function assessEvidence(
  a: QuestionAnalysis,
  passages: Citation[],
  ctx: AnswerContext,
  opts: { ranks?: { dense?: number; bm25?: number }[]; semantic?: number[] } = {},
): Evidence {
  const terms = weighted(a);
  const slotCtx = { seg: ctx.seg, facts: ctx.facts, chunks: ctx.chunks };
  const passageCoverage = passages.map((p) => coverage(passageText(p), terms, ctx));
  const best = passageCoverage.length ? Math.max(...passageCoverage) : 0;
  // An article's opening passage (its lede): where a report says who, when and where.
  const opensArticleOf = (i: number) => a.slots.length > 0 && passages[i].start === 0 && !passages[i].itemNo;
  // Near the best coverage, or among the first retrieved with a fair share of it (the retriever ranks
  // on more than the question's words: its first passage is usually the right one).
  const supporting = passageCoverage
    .map((c, i) => [c, i] as const)
    .filter(([c, i]) => c > 0 && (c >= best - SUPPORT_MARGIN || ((i < SUPPORT_RANKS || opensArticleOf(i)) && c >= SUPPORT_SHARE * best)))
    .map(([, i]) => i);
  if (!supporting.length) supporting.push(...passages.slice(0, 3).map((_, i) => i));
  const questionNames = a.terms.flatMap((t) => [t.text, ...t.alts.filter((x) => x.via === "gloss").map((x) => x.text)]);

  const slotTerms = termsPerSlot(a, terms);
  const sentences: JudgedSentence[] = [];
  passages.forEach((p, pi) => {
    const heads = passageHeadings(p);
    const headMatch = new Map(terms.map((t) => [t, termMatch(heads, t, ctx.seg)]));
    const total = terms.reduce((s, t) => s + t.weight, 0) || 1;
    let lastAbout = -Infinity;
    let carried = 0;
    let para = 0;
    let lastEnd = 0;
    let paraOpen = true;
    passageSentences(p).forEach((s, pos) => {
      if (p.quote.slice(lastEnd, s.start).includes("\n")) {
        para++;
        paraOpen = true;
      }
      lastEnd = s.end;
      const opensParagraph = paraOpen;
      paraOpen = false;
      let own = 0;
      let about = 0;
      for (const t of terms) {
        const m = termMatch(s.text, t, ctx.seg);
        own += t.weight * m;
        about += t.weight * Math.max(m, headMatch.get(t)!);
      }
      own /= total;
      about = own > 0 ? about / total : 0;
      // A sentence pointing back (就这个问题进行讲解, 会上) stays on the topic of one just before it.
      if (pos - lastAbout <= ANAPHORA_REACH && ANAPHORA.test(s.text)) about = Math.max(about, carried);
      if (own > 0 && about >= carried * 0.9) {
        lastAbout = pos;
        carried = about;
      }
      // A figure the question states (承办2028年…投入多少) is not the one it asks for.
      const stated = (v: string) => a.numbers.some((n) => n === v || n === v.replace(/[^\d.]/g, ""));
      const values = a.slots.map((slot) => slotValues(slot, s.text, slotCtx, questionNames, a.language === "zh" ? a.terms.map((t) => t.text) : []).filter((v) => !stated(v)));
      // Each slot on its own part of the topic (谁发表了重要讲话 is about the speech, 哪天开的 about the meeting).
      const aboutSlots = slotTerms.map((ts) => {
        const sum = ts.reduce((x, t) => x + t.weight, 0) || 1;
        let o = 0;
        let ab = 0;
        for (const t of ts) {
          const m = termMatch(s.text, t, ctx.seg);
          o += t.weight * m;
          ab += t.weight * Math.max(m, headMatch.get(t) ?? 0);
        }
        const v = o > 0 ? ab / sum : 0;
        return ANAPHORA.test(s.text) ? Math.max(v, about) : v;
      });
      sentences.push({ passage: pi, pos, start: s.start, end: s.end, para, opensParagraph, text: s.text, about, own, values, aboutSlots });
    });
  });

  const inSupport = sentences.filter((s) => supporting.includes(s.passage));
  const bestAbout = Math.max(0, ...inSupport.map((s) => s.about));
  const aboutTopic = (s: JudgedSentence) => s.about >= Math.max(ABOUT_MIN[a.language], ABOUT_RELATIVE * bestAbout);
  const bestAboutSlot = a.slots.map((_, i) => Math.max(0, ...inSupport.map((s) => s.aboutSlots[i])));
  const aboutSlot = (s: JudgedSentence, i: number) => s.aboutSlots[i] >= Math.max(ABOUT_MIN[a.language], ABOUT_RELATIVE * bestAboutSlot[i]);
  const slotsFound = a.slots.map((_, i) => inSupport.some((s) => aboutSlot(s, i) && s.values[i].length > 0));

  let itemsFound: boolean | undefined;
  if (a.enumerate) {
    // The items of a quoted numbered term are asked when it is asked what it is, or, when the documents
    // write it so, for as many as it numbers (“四个短板”是哪四个; not a gloss of the asker’s own such as “五个期”).
    const quoted = a.terms.find((t) => t.quoted && (a.definition || (t.exact && numberedCount(t.text) === a.enumerate)));
    const count = a.enumerate;
    itemsFound = inSupport.some((s, i) => {
      if (!aboutTopic(s) && !(quoted && s.text.includes(quoted.text))) return false;
      // A numbered term's content is its items, listed as defining it (not any list near it).
      if (quoted) return definesTerm(s.text, quoted.text, count);
      const next = inSupport.slice(i, i + 3).filter((x) => x.passage === s.passage).map((x) => x.text).join("");
      // The items of a stated count share its noun (哪三个体系: X体系、Y体系); an open count's may not
      // (哪几个方向: 数字化、网络化、智能化), so a list on any topic term answers it.
      const named = countsNamedItems(a) ? a.itemsOf! : [...(a.itemsOf ?? []), ...terms];
      return enumeration(next, count, (clause) => named.some((t) => termMatch(clause, t, ctx.seg) > 0), { clauses: a.openCount, each: countsNamedItems(a) }).length > 0;
    }) || parallelRun(sentences, parallelTerms(a, terms), ctx, Math.max(2, count)).length > 0;
  }
  const relativeFound = a.relative ? inSupport.some((s) => a.relative!.test(s.text)) : undefined;
  const texts = passages.slice(0, 6).map(passageText);
  const missingNumbers = a.numbers.filter((n) => !texts.some((t) => statesNumber(t, n)));
  const unmatched = a.terms.filter((t) => t.content && !texts.some((x) => termMatch(x, t, ctx.seg) > 0));

  const content = a.terms.filter((t) => t.content);
  // A term the corpus does not know counts against the passages only if no bridge of it is in them either.
  const unreached = (t: TopicTerm) => !t.known && !texts.some((x) => termMatch(x, t, ctx.seg) > 0);
  const unbridged = content.length ? content.filter(unreached).length / content.length : 0;
  // The things named (nouns, names, abbreviations, English words): an unknown one is often what is asked about (签证, 锅包肉).
  const things = content.filter((t) => THING_TAG.test(t.tag));
  const nounsUnbridged = things.length ? things.filter(unreached).length / things.length : 0;
  const asked = [...slotsFound, ...(itemsFound === undefined ? [] : [itemsFound]), ...(relativeFound === undefined ? [] : [relativeFound])];
  const top = opts.ranks?.[0];
  const features: Features = {
    coverage: best,
    sentence: bestAbout,
    unbridged,
    nounsUnbridged,
    slotMissing: asked.length ? asked.filter((f) => !f).length / asked.length : 0,
    numbersMissing: a.numbers.length ? missingNumbers.length / a.numbers.length : 0,
    agreement: top && (top.bm25 ?? 99) <= 3 && (top.dense ?? 99) <= 3 ? 1 : 0,
    ...(opts.semantic?.length ? { semantic: Math.max(...opts.semantic) } : {}),
  };
  return {
    language: a.language, coverage: best, passageCoverage, supporting, sentences, bestAbout, slotsFound,
    ...(itemsFound === undefined ? {} : { itemsFound }), ...(relativeFound === undefined ? {} : { relativeFound }),
    missingNumbers, unmatched, features,
  };
}

/** A passage covering this share of a side's best coverage is about that side too. */
const NEAR_SIDE = 0.8;

/**
 * A question joining two subjects (X和Y, …分别…) whose best passages lie in different articles:
 * each side's terms (with the shared ones) and the passages of its article. Undefined otherwise.
 */

export function crossArticlePlan(a: QuestionAnalysis, passages: Citation[], ctx: AnswerContext): { terms: TopicTerm[]; subset: Citation[] }[] | undefined {
  const sides = a.groups.sides;
  if (sides.length < 2) return undefined;
  const shared = a.groups.shared.filter((t) => t.weight > 0);
  // Whether a passage gives every asked slot (the same for each side; read once a side needs it).
  const given = new Map<number, boolean>();
  const gives = (i: number) => {
    if (!given.has(i)) given.set(i, a.slots.length > 0 && a.slots.every((slot) => slotValues(slot, passageText(passages[i]), ctx).length > 0));
    return given.get(i)!;
  };
  const plan = sides.map((side) => {
    const terms = [...side, ...shared].filter((t) => t.weight > 0);
    const own = side.filter((t) => t.weight > 0);
    const covs = passages.map((p) => coverage(passageText(p), terms, ctx) + 0.5 * coverage(passageText(p), own, ctx));
    const top = Math.max(...covs);
    // Of the passages about as much on the side, one giving what is asked (the 公报's date, not a
    // commentary naming the 全会): a commentary repeats the name, the report states the facts.
    const near = covs.map((c, i) => [c, i] as const).filter(([c]) => top > 0 && c >= NEAR_SIDE * top);
    const best = near.find(([, i]) => gives(i))?.[1] ?? covs.indexOf(top);
    return { terms, best };
  });
  if (plan.some((p) => p.best < 0 || !p.terms.length)) return undefined;
  const articles = new Set(plan.map((p) => passages[p.best].articleId));
  if (articles.size < plan.length) return undefined;
  return plan.map((p) => ({ terms: p.terms, subset: passages.filter((x) => x.articleId === passages[p.best].articleId) }));
}

/**
 * The evidence for a question: when it joins two subjects that live in two articles, each side is
 * judged on its own article and the features are the weaker side's (both must be answerable).
 */
export function assessQuestion(
  a: QuestionAnalysis,
  passages: Citation[],
  ctx: AnswerContext,
  opts: { ranks?: { dense?: number; bm25?: number }[] } = {},
): Evidence {
  const whole = assessEvidence(a, passages, ctx, opts);
  // Two questions in one: each part judged on its own, the features the weaker part's (both must be answerable).
  const subs = a.parts;
  if (subs) {
    const parts = subs.map((s) => assessEvidence(s, passages, ctx, opts));
    const f = whole.features;
    for (const k of ["coverage", "sentence"] as const) f[k] = Math.min(...parts.map((e) => e.features[k]));
    for (const k of ["unbridged", "nounsUnbridged", "slotMissing", "numbersMissing"] as const) f[k] = Math.max(...parts.map((e) => e.features[k]));
    whole.slotsFound = a.slots.map((slot) => parts.some((e, k) => subs[k].slots.some((s, j) => s.cue === slot.cue && e.slotsFound[j])));
    whole.coverage = f.coverage;
    whole.parts = parts;
    return whole;
  }
  const plan = crossArticlePlan(a, passages, ctx);
  if (!plan) return whole;
  const sides = plan.map(({ terms, subset }) => assessEvidence({ ...a, terms, groups: { sides: [], shared: terms }, category: undefined }, subset, ctx));
  const f = whole.features;
  f.coverage = Math.min(...sides.map((e) => e.features.coverage));
  f.sentence = Math.min(...sides.map((e) => e.features.sentence));
  f.slotMissing = Math.max(...sides.map((e) => e.features.slotMissing));
  whole.slotsFound = whole.slotsFound.map((_, i) => sides.every((e) => e.slotsFound[i]));
  whole.coverage = f.coverage;
  return whole;
}

/**
 * The part of the topic each slot asks about: in a question of several clauses each asking its own
 * slot (论坛是哪天开的，谁作了主旨演讲), the terms of the slot's clause and those of the
 * first clause or of clauses asking nothing (the subject); otherwise the whole topic.
 */
function termsPerSlot(a: QuestionAnalysis, terms: TopicTerm[]): TopicTerm[][] {
  const q = a.question;
  const cuts = [-1, ...[...q.matchAll(/[，,。？?！!；;]/g)].map((m) => m.index!), q.length];
  const clauseOf = (at: number) => cuts.findIndex((c, i) => at > c && at < (cuts[i + 1] ?? Infinity));
  const slotClauses = a.slots.map((s) => clauseOf(s.at));
  if (new Set(slotClauses).size < 2) return a.slots.map(() => terms);
  // Another slot's clause lends its subject (the words before its asking phrase), not what it counts (几件大事).
  const cueAt = new Map(a.slots.map((s, i) => [slotClauses[i], s.at]));
  return slotClauses.map((c) => terms.filter((t) => {
    const tc = clauseOf(t.at);
    if (tc === c || !slotClauses.includes(tc)) return true;
    // An English question asks first and names its subject after (Who spoke at X, and when was it held?).
    return tc === 0 && (a.language === "en" || t.at < (cueAt.get(tc) ?? Infinity));
  }));
}

/** The terms parallel sentences may repeat: what the items are called, else the question's rarer half. */
export function parallelTerms(a: QuestionAnalysis, terms: TopicTerm[]): TopicTerm[] {
  if (a.itemsOf?.length) return a.itemsOf;
  const sorted = [...terms].sort((x, y) => y.weight - x.weight);
  return sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 2)));
}

/** A first clause this short (characters) is a connective (为此, 同时, 此外), not the sentence's opening words. */
const LEAD_CONNECTIVE = 3;

/**
 * Items said as parallel sentences rather than a list (在“实”上发力，…；在“新”上发力，…；在“未来”上发力，…):
 * the longest run, at least `min` long, of consecutive sentences of one paragraph that all repeat the
 * same question term in the same place of the sentence (its opening clause).
 */
export function parallelRun(sentences: JudgedSentence[], terms: TopicTerm[], ctx: AnswerContext, min: number): JudgedSentence[] {
  let best: JudgedSentence[] = [];
  for (const t of terms) {
    let run: JudgedSentence[] = [];
    // Its first clause, past a connective of a word or two (为此，我们要在“实”上发力).
    const opens = (s: JudgedSentence) => {
      const clauses = s.text.split(/[，,：:]/);
      const first = [...clauses[0]].length <= LEAD_CONNECTIVE && clauses.length > 1 ? clauses[1] : clauses[0];
      return termMatch(first, t, ctx.seg) === 1;
    };
    for (const s of sentences) {
      const last = run[run.length - 1];
      if (opens(s) && (!last || (last.passage === s.passage && last.para === s.para && last.pos === s.pos - 1))) run.push(s);
      else run = opens(s) ? [s] : [];
      if (run.length > best.length) best = [...run];
    }
  }
  return best.length >= min ? best : [];
}

/** Whether a judged sentence is about the topic (relative to the best one). */
export function isAboutTopic(s: JudgedSentence, e: Evidence): boolean {
  return s.about >= Math.max(ABOUT_MIN[e.language], ABOUT_RELATIVE * e.bestAbout);
}

/** 《title》 › item, the title shortened when long (the full path travels with the citation). */
export function shortSource(p: Citation): string {
  const item = p.headingPath.length > 1 ? p.headingPath[p.headingPath.length - 1] : "";
  return item ? `${shortTitle(p.title)} › ${item}` : shortTitle(p.title);
}

export function shortTitle(title: string): string {
  const bare = title.replace(/[《》]/g, "").trim();
  const chars = [...bare];
  return chars.length > 30 ? `《${chars.slice(0, 14).join("")}……${chars.slice(-8).join("")}》` : `《${bare}》`;
}

