/**
 * The offline answer composer: quotes the retrieved passages' sentences verbatim, each with its
 * passage's [n], chosen for the question as analysed (analysis.ts) and judged (evidence.ts):
 *  - a who/when/where/how-many question leads with the sentence that holds the asked slot, about
 *    the topic; each slot asked gets its sentence (何时何地 → a date and a place);
 *  - a list (有哪些, how an item's subject is done) keeps the sentences of the best item that are
 *    about what the question adds to the item's heading (那氢能呢 → the hydrogen sentence only), and
 *    drops the rest;
 *  - a question for what something is (如何定位金融) gets the sentences saying what it is (金融是…);
 *  - a question joining two subjects that live in two articles (论坛和博览会) is
 *    answered from each;
 *  - otherwise the few best sentences: about the topic, in the question's words, from a relevant
 *    passage, not redundant (MMR).
 * Order: by passage rank, then position; lines grouped by source. One-line lead in the question's language.
 */
import type { Citation, Lang } from "./types.ts";
import { analyzeQuestion, countsNamedItems, termMatch, type AnswerContext, type QuestionAnalysis, type TopicTerm } from "./analysis.ts";
import { articleAgreement, assessEvidence, coverage, statedNames, crossArticlePlan, isAboutTopic, parallelRun, parallelTerms, passageHeadings, shortSource, shortTitle, weighted, type Evidence, type JudgedSentence } from "./evidence.ts";
import { phraseCoverage } from "./phrase.ts";
import { isPassageHeading } from "../../text/passages.ts";
import { bigrams, documentFrequency, jaccard } from "./match.ts";
import { definesTerm, enumeration, membersOfKind, saysWhatItIs } from "./slots.ts";

export interface ExtractiveOptions {
  lang: Lang;
  context: AnswerContext;
  /** The question as analysed and the passages as judged (computed here when absent). */
  analysis?: QuestionAnalysis;
  evidence?: Evidence;
  /** Similarity of each judged sentence (evidence.sentences order) to the question, from a pretrained model. */
  semantic?: number[];
  /** Most points in a list answer (default 8: an item whole) or sentences in a fact answer (default 3). */
  maxPoints?: number;
}

interface Candidate extends JudgedSentence {
  index: number;
  cite: Citation;
  /** The sentence as quoted (a long one cut to its trailing clauses). */
  quote: string;
  score: number;
  grams: Set<string>;
}

const MMR_LAMBDA = 0.75;
/** The weight of a sentence's rescaled similarity to the question (pretrained model), tuned on qa.jsonl (0.8–1.6 a plateau). */
const SEMANTIC_WEIGHT = 1.0;
/** Sentences this similar (bigram Jaccard) to a chosen one are the same point said twice. */
const DUPLICATE = 0.6;
/** Stop adding once a sentence scores below this share of the first pick. */
const TAIL = 0.55;
/** Long sentences are cut to the clauses that matter (still ending at their own mark). */
const LONG = 90;
/** A list keeps the sentences saying at least this share of what the best one says of the question's focus. */
const FOCUS_KEEP = 0.5;
/** The question names an item (its heading holds this share of the topic's weight) when it narrows it to a focus. */
const NAMES_ITEM = 0.3;
/** A focus whose telling character is in this share of an item's sentences is the item's topic, not a detail of it. */
const TOPIC_SPREAD = 0.4;
/** A sentence covering this share of the question in its words restates it. */
const RESTATES = 0.8;
/** A focus term weighs at least this share of the question's heaviest term. */
const FOCUS_WEIGHT = 0.3;
/** How much more relevant the first passage must be than the second to stand for the topic alone. */
const CLEAR_MARGIN = 0.15;

export function composeExtractive(question: string, passages: Citation[], opts: ExtractiveOptions): string {
  const ctx = opts.context;
  const a = opts.analysis ?? analyzeQuestion(question, ctx);

  // Two questions in one (论坛是哪天开的？博览会设了哪几个展区？): each answered on its own.
  if (a.parts) {
    const parts = a.parts.map((sub) => {
      const ev = assessEvidence(sub, passages, ctx);
      return pick(sub, ev, candidates({ a: sub, e: ev, passages, ctx, allowed: namedArticles(sub, passages, ctx) }), passages, { ...opts, maxPoints: 3 });
    });
    const picked = parts.flatMap((p) => p.picked).filter((c, i, all) => all.findIndex((x) => x.cite === c.cite && x.pos === c.pos) === i);
    if (parts.every((p) => p.picked.length)) return format(opts.lang, picked, parts.some((p) => p.list), true);
  }

  const e = opts.evidence ?? assessEvidence(a, passages, ctx);
  const cands = candidates({ a, e, passages, ctx, semantic: opts.semantic, allowed: namedArticles(a, passages, ctx) });
  if (!cands.length) return "";

  const cross = crossArticlePlan(a, passages, ctx);
  if (cross) {
    const parts = cross.map(({ terms, subset }) => {
      const sub: QuestionAnalysis = { ...a, terms, groups: { sides: [], shared: terms }, category: undefined };
      const ev = assessEvidence(sub, subset, ctx);
      const sel = pick(sub, ev, candidates({ a: sub, e: ev, passages: subset, ctx, allowed: namedArticles(sub, subset, ctx) }), subset, { ...opts, maxPoints: 3 });
      return sel;
    });
    if (parts.every((p) => p.picked.length)) return format(opts.lang, parts.flatMap((p) => p.picked), parts.some((p) => p.list), true);
  }
  const sel = pick(a, e, cands, passages, opts);
  return sel.picked.length ? format(opts.lang, sel.picked, sel.list, sel.ordered) : "";
}

/** Every sentence worth quoting, scored for a fact answer. */
/** Below this article agreement a passage is off the question's named place or body, when another is on it. */
const OFF_NAME = 0.5;

/**
 * Which passages may be quoted, by the names the question states: when some supporting passage's
 * article is about them, the passages of articles only mentioning them in passing are left out
 * (a question on 辽宁's measures is not answered from a central document naming 辽宁省 once).
 */
function namedArticles(a: QuestionAnalysis, passages: Citation[], ctx: AnswerContext): boolean[] {
  const names = statedNames(a, ctx);
  const agreement = passages.map((p) => articleAgreement(names, p, ctx));
  if (!names.length || Math.max(0, ...agreement) < 1) return passages.map(() => true);
  return agreement.map((x) => x >= OFF_NAME);
}

/** What candidates are drawn from: the analysis, the judged passages, and which passages may be quoted. */
interface CandidateInput {
  a: QuestionAnalysis;
  e: Evidence;
  passages: Citation[];
  ctx: AnswerContext;
  /** Similarity of each judged sentence to the question (pretrained model). */
  semantic?: number[];
  /** Which passages may be quoted (namedArticles). */
  allowed?: boolean[];
}

function candidates({ a, e, passages, ctx, semantic, allowed }: CandidateInput): Candidate[] {
  const terms = weighted(a);
  const pieceWeight = pieceWeights(terms);
  const relevance = passages.map((p, i) => 0.5 * e.passageCoverage[i] + 0.2 * headingCoverage(p, terms, ctx) + 0.3 / (1 + i));
  // A pretrained model's cosines sit in a narrow band (e5: most within 0.85–0.95): rescaled over this
  // question's sentences, so that the most similar counts 1 and the least 0.
  const semLo = semantic?.length ? Math.min(...semantic) : 0;
  const semHi = semantic?.length ? Math.max(...semantic) : 0;
  const sem = (i: number) => (semantic && semHi > semLo ? (semantic[i] - semLo) / (semHi - semLo) : 0);
  const out: Candidate[] = [];
  e.sentences.forEach((s, index) => {
    const cite = passages[s.passage];
    if (allowed && !allowed[s.passage]) return;
    if (isPassageHeading(cite, s) || repeatsItemHeading(cite, s.text) || [...s.text].length < 6) return;
    // Cut a long sentence to its clauses with the asked detail only for a fact: a list keeps its measures whole.
    const quote = a.slots.length || (!a.broad && !a.list) ? trimLong(s.text, terms, s.values.flat()) : s.text;
    const prev = e.sentences[index - 1]?.passage === s.passage ? e.sentences[index - 1].own : 0;
    const prev2 = e.sentences[index - 2]?.passage === s.passage ? e.sentences[index - 2].own : 0;
    // A sentence restating the question is often followed by the answer (要促进…交融。要推进…互嵌式…).
    const follows = Math.max(prev, 0.6 * prev2);
    const phrase = phraseCoverage(quote, a.runs, pieceWeight);
    const score =
      0.55 * s.own + 0.25 * s.about + 0.2 * phrase + 0.3 * relevance[s.passage] + 0.15 * follows + 0.05 / (1 + s.pos) + SEMANTIC_WEIGHT * sem(index);
    out.push({ ...s, index, cite: passages[s.passage], quote, score, grams: bigrams(quote) });
  });
  return out;
}

/** How much a piece of the question's wording weighs: its heaviest term's share of the heaviest term. */
function pieceWeights(terms: TopicTerm[]): (piece: string) => number {
  const top = Math.max(1e-9, ...terms.map((t) => t.weight));
  return (piece) => Math.max(0, ...terms.filter((t) => piece.includes(t.text) || t.text.includes(piece)).map((t) => t.weight / top));
}

/** A sentence that only repeats the item's heading (a passage stored without its heading span). */
function repeatsItemHeading(p: Citation, sentence: string): boolean {
  const bare = (x: string) => x.replace(/[\s。．.，,：:；;！!？?]+$/u, "").trim();
  const item = p.headingPath.length > 1 ? bare(p.headingPath[p.headingPath.length - 1]) : "";
  return item.length > 0 && bare(sentence) === item;
}

function headingCoverage(p: Citation, terms: TopicTerm[], ctx: AnswerContext): number {
  const item = p.headingPath.length > 1 ? p.headingPath[p.headingPath.length - 1] : "";
  return item ? coverage(item, terms, ctx) : 0;
}

/** What was picked and how to show it: as a list, and in the order picked (the slot's sentence first). */
interface Selection {
  picked: Candidate[];
  list: boolean;
  ordered: boolean;
}

function pick(a: QuestionAnalysis, e: Evidence, cands: Candidate[], passages: Citation[], opts: ExtractiveOptions): Selection {
  const none: Selection = { picked: [], list: false, ordered: false };
  if (!cands.length) return none;
  if (a.slots.length) {
    const picked = pickSlots(a, e, cands);
    if (picked.length) return { picked, list: false, ordered: true };
  }
  if (a.enumerate) {
    const picked = pickEnumeration(a, e, cands, opts.context);
    if (picked.length) return { picked, list: picked.length > 1, ordered: picked.length === 1 };
  }
  if (a.definition) {
    const picked = pickDefinition(a, e, cands);
    if (picked.length) return { picked, list: false, ordered: true };
  }
  if (a.broad) {
    const picked = pickBroad(a, e, cands, passages, opts.maxPoints ?? 8, opts.context);
    if (picked.length) return { picked, list: picked.length > 1, ordered: false };
  }
  if (a.category) {
    const picked = pickCategory(a, e, cands, opts.context);
    if (picked.length) return { picked, list: picked.length > 1, ordered: false };
  }
  return { picked: pickFacts(e, cands, opts.maxPoints ?? 3), list: false, ordered: false };
}

/**
 * Each asked slot's sentence: about the topic, holding the slot; a sentence holding several wins.
 * Then one more only when it gives a value not given yet for a slot asking for several (哪几位).
 */
function pickSlots(a: QuestionAnalysis, e: Evidence, cands: Candidate[]): Candidate[] {
  // A sentence for slot i must be about slot i's part of the topic.
  const bestSlot = a.slots.map((_, i) => Math.max(0, ...cands.filter((c) => e.supporting.includes(c.passage)).map((c) => c.aboutSlots[i])));
  const holds = (c: Candidate, i: number) => c.values[i].length > 0 && e.supporting.includes(c.passage) && c.aboutSlots[i] >= Math.max(0.3, 0.7 * bestSlot[i]);
  const about = cands.filter((c) => a.slots.some((_, i) => holds(c, i)) || (e.supporting.includes(c.passage) && isAboutTopic(c, e)));
  const pool = about.length ? about : cands;
  const terms = weighted(a);
  // The asked thing right next to what the question says of it (郝鹏作了讲话, not a 郝鹏 three clauses from 讲话),
  // in the question's own words, in a short sentence.
  const pieceWeight = pieceWeights(terms);
  const slotScore = (c: Candidate) =>
    c.about + 0.5 * phraseCoverage(c.quote, a.runs, pieceWeight) + 0.4 * proximity(c, terms) + 0.1 / c.cite.n - 0.1 * Math.min(1, [...c.quote].length / 150);
  const chosen: Candidate[] = [];
  const open = new Set(a.slots.map((_, i) => i));
  while (open.size) {
    let best: Candidate | undefined;
    let bestKey = -Infinity;
    for (const c of pool) {
      if (chosen.includes(c)) continue;
      const covers = [...open].filter((i) => holds(c, i)).length;
      if (!covers) continue;
      const key = covers + slotScore(c);
      if (key > bestKey) {
        bestKey = key;
        best = c;
      }
    }
    if (!best) break;
    chosen.push(best);
    for (const i of [...open]) if (holds(best, i)) open.delete(i);
  }
  if (!chosen.length) return [];
  const given = new Set(chosen.flatMap((c) => c.values.flat()));
  const extra = pool
    .filter((c) => !chosen.includes(c) && a.slots.some((s, i) => s.many && c.values[i].some((v) => !given.has(v))))
    .filter((c) => slotScore(c) >= 0.8 * slotScore(chosen[0]) && Math.max(...chosen.map((x) => jaccard(x.grams, c.grams))) < DUPLICATE)
    .sort((x, y) => slotScore(y) - slotScore(x))[0];
  if (extra) chosen.push(extra);
  return chosen;
}

/** 1 when a slot value stands right next to a question term in the sentence, falling to 0 twenty characters away. */
function proximity(c: Candidate, terms: TopicTerm[]): number {
  const values = c.values.flat();
  if (!values.length) return 0;
  const at = (x: string) => {
    const out: number[] = [];
    for (let i = c.text.indexOf(x); i >= 0; i = c.text.indexOf(x, i + 1)) out.push(i);
    return out;
  };
  const vAt = values.flatMap((v) => at(v).map((i) => [i, i + v.length] as const));
  const tAt = terms.flatMap((t) => [t.text, ...t.alts.map((x) => x.text)].flatMap((x) => at(x).map((i) => [i, i + x.length] as const)));
  let best = Infinity;
  for (const [vs, ve] of vAt) for (const [ts, te] of tAt) best = Math.min(best, Math.max(0, ts - ve, vs - te));
  return best === Infinity ? 0 : 1 - Math.min(best, 20) / 20;
}

/** How much a passage is the one a broad question is about: its heading, its coverage, the sentences on topic, its rank. */
function passageRelevance(i: number, p: Citation, e: Evidence, cands: Candidate[], terms: TopicTerm[], agreement: number, ctx: AnswerContext): number {
  const mine = cands.filter((c) => c.passage === i);
  const onTopic = mine.length ? mine.filter((c) => c.own > 0).length / mine.length : 0;
  return 0.35 * headingCoverage(p, terms, ctx) + 0.3 * e.passageCoverage[i] + 0.15 * onTopic + 0.2 / (1 + i) + 0.3 * agreement;
}

/**
 * A broad question (怎么搞, 有哪些措施, 有什么说法) is answered by the passage about it:
 *  - an item (a numbered point) is its sentences in order; when the question names the item's
 *    heading and adds a narrower focus (开发区建设 + 冷链), only the sentences about that focus;
 *  - a paragraph that opens with the topic (习近平指出，要促进…交融。) is that paragraph; otherwise the
 *    sentences about the topic.
 * A second passage joins only when the first gives little.
 */
function pickBroad(a: QuestionAnalysis, e: Evidence, cands: Candidate[], passages: Citation[], max: number, ctx: AnswerContext): Candidate[] {
  const terms = weighted(a);
  const names = statedNames(a, ctx);
  const order = passages
    .map((p, i) => [passageRelevance(i, p, e, cands, terms, articleAgreement(names, p, ctx), ctx), i] as const)
    .filter(([, i]) => e.supporting.includes(i))
    .sort((x, y) => y[0] - x[0]);
  const chosen: Candidate[] = [];
  // The first item is the topic as a whole only when it clearly is: its heading names the topic, or it
  // stands out of the passages retrieved, or the question's telling word is one only retrieval could read.
  const clear = (rank: number) =>
    rank === 0 && (order.length === 1 || order[0][0] - order[1][0] >= CLEAR_MARGIN || headingCoverage(passages[order[0][1]], terms, ctx) >= NAMES_ITEM || a.unknown.length > 0);
  // The item holding the detail asked about answers alone: the detail's mentions elsewhere are on other topics.
  let detailed = false;
  for (const [k, [, i]] of order.entries()) {
    if (detailed || chosen.length >= Math.min(3, max)) break;
    const p = passages[i];
    const mine = cands.filter((c) => c.passage === i);
    if (!mine.length) continue;
    const heads = passageHeadings(p);
    const named = terms.reduce((s, t) => s + t.weight * termMatch(heads, t), 0) / (terms.reduce((s, t) => s + t.weight, 0) || 1);
    // The focus: what the question names, tellingly, that the headings do not (氢能 in an item on
    // clean energy; not a word as common as 发展).
    const heaviest = Math.max(0, ...terms.map((t) => t.weight));
    const focus = terms.filter((t) => termMatch(heads, t) < 1 && t.weight >= FOCUS_WEIGHT * heaviest);
    // With the segmenter, so that a compound's telling parts count (氢能产业 in 氢能等产业集群).
    const focusShare = new Map(mine.map((c) => [c, focus.length ? saysOf(c.text, focus, ctx) : 1]));
    const focusOf = (c: Candidate) => focusShare.get(c)!;
    const best = Math.max(0, ...mine.map(focusOf));
    // A further passage joins on the focus, or not at all: never with its measures on something else.
    if (chosen.length && focus.length && best === 0) continue;
    let keep: Candidate[];
    if (p.itemNo) {
      // An item: all of it, unless the question narrows it to a focus the item mentions in passing —
      // naming the item and adding a focus (开发区建设 + 冷链), or asking about a focus whose telling
      // characters few of its sentences hold (碳排放 in an item on the environment; 反腐 in one on 腐败 is its topic).
      // Each focus term on its own: one spread over the item is its topic (农村 in every sentence of an item
      // on villages), and the question is narrow when another is said in few of its sentences (垃圾 there).
      const spreadOf = (t: TopicTerm) => {
        const telling = tellingChars(t.text, ctx);
        // When none of its characters tells (储能: 储 and 能 are in many passages), the word itself does.
        return mine.filter((c) => (telling.length ? telling.some((ch) => c.text.includes(ch)) : saysOf(c.text, [t], ctx) > 0)).length / mine.length;
      };
      const detail = focus.filter((t) => spreadOf(t) < TOPIC_SPREAD);
      const bestDetail = Math.max(0, ...mine.map((c) => saysOf(c.text, detail, ctx)));
      // A question whose telling word the corpus does not know (生娃) has its topic there, not in the focus.
      if (best > 0 && (!clear(k) || (!a.unknown.length && named >= NAMES_ITEM))) keep = mine.filter((c) => focusOf(c) >= FOCUS_KEEP * best);
      else if (bestDetail > 0 && !a.unknown.length) {
        keep = mine.filter((c) => saysOf(c.text, detail, ctx) >= FOCUS_KEEP * bestDetail);
        detailed = true;
      } else keep = mine;
    } else {
      const top = [...mine].sort((x, y) => focusOf(y) - focusOf(x) || x.pos - y.pos)[0];
      // Only the first passage stands for the topic as a paragraph; a further one joins on its focus sentences.
      keep = top.opensParagraph && focusOf(top) > 0 && !chosen.length
        ? mine.filter((c) => c.para === top.para && c.pos >= top.pos)
        : mine.filter((c) => best > 0 && focusOf(c) >= FOCUS_KEEP * best);
    }
    // For a how-question, the paragraph's opening sentences restating it (要加快开发区建设，…)
    // say what is to be done, not how: the answer is what follows them.
    let lead = 0;
    while (a.how && lead < keep.length - 1 && keep[lead].para === keep[0].para && keep[lead].opensParagraph === (lead === 0) && restates(keep[lead], a)) lead++;
    for (const c of keep.slice(lead)) {
      if (chosen.length >= max) break;
      if (chosen.some((x) => jaccard(x.grams, c.grams) >= DUPLICATE)) continue;
      chosen.push(c);
    }
  }
  return chosen;
}

/**
 * The weighted share of the terms a sentence says something of: none when it names them only in
 * documents' titles (《关于…预算制度的意见》 in a list of documents reviewed), which say only that the
 * documents exist.
 */
function saysOf(text: string, terms: TopicTerm[], ctx: AnswerContext): number {
  const full = coverage(text, terms, ctx);
  if (!full || !text.includes("《")) return full;
  const bare = text.replace(/《[^》]*》/g, "《》");
  return terms.some((t) => termMatch(bare, t, ctx.seg) > 0) ? full : 0;
}

/** A sentence that repeats the question's words whole (its topic sentence, not yet its answer). */
function restates(c: Candidate, a: QuestionAnalysis): boolean {
  return c.own >= RESTATES && phraseCoverage(c.text, a.runs) >= RESTATES;
}

/** A character in more than this share of the chunks tells nothing of a word's topic (放, 发, 民). */
const COMMON_CHAR = 0.15;

/** The Han characters of a word that few chunks hold (反 and 腐 in 反腐, 碳 and 排 in 碳排放, not 放). */
function tellingChars(word: string, ctx: AnswerContext): string[] {
  const chars = [...new Set([...word].filter((c) => /[\u3400-\u9fff]/.test(c)))];
  if (!ctx.chunks.length) return chars;
  return chars.filter((c) => documentFrequency(c, ctx.chunks, ctx.seg, false) <= COMMON_CHAR * ctx.chunks.length);
}

/** A sentence listing things with 、 but saying less than this share of the topic the best one says lists other things (a 优势 in passing). */
const CATEGORY_OWN = 0.3;

/**
 * A question about the members of a category (哪些物流园区, 主要投向哪些行业): the sentences that
 * list members (、) where the question's words are, the category's own words counting extra — though
 * the members are often listed without it (科技创新、先进制造、绿色发展 are the 领域 asked for).
 */
function pickCategory(a: QuestionAnalysis, e: Evidence, cands: Candidate[], ctx: AnswerContext): Candidate[] {
  const category = a.category!;
  const listing = (c: Candidate) => ((c.quote.match(/、/g)?.length ?? 0) >= 1 ? 1 : 0);
  // A list whose members are kinds of the category's head noun (哪些国际合作园区: …产业园、…示范区) names
  // them. The head ends the words written right after the asking word (哪些地方要履行主体责任: 地方).
  let head: TopicTerm | undefined = category[0];
  for (const t of category.slice(1)) if (head && t.at === head.at + head.text.length) head = t;
  // (The category may be empty: 有哪些，X asks after a comma.)
  const ofKind = (c: Candidate) => (head && /^n/.test(head.tag) && membersOfKind(c.quote, head.text) >= 2 ? 1 : 0);
  // Any retrieved sentence may list them: the one saying most of the question, near the top, wins.
  const topOwn = Math.max(0, ...cands.map((c) => c.own));
  const pool = cands
    .filter((c) => c.own > 0 && c.own >= CATEGORY_OWN * topOwn)
    .map((c) => {
      const kind = ofKind(c);
      return { c, kind, key: c.score + 0.3 * Math.max(listing(c), kind) + 0.3 * kind + 0.3 * coverage(c.text, category, ctx) };
    })
    .sort((x, y) => y.key - x.key);
  if (!pool.length) return [];
  const chosen = [pool[0].c];
  for (const { c, kind, key } of pool.slice(1)) {
    if (chosen.length >= 3 || key < 0.9 * pool[0].key) break;
    // Once the best names kinds of the head, a sentence listing other things is no more of them.
    if (!(listing(c) || kind) || kind < pool[0].kind || chosen.some((x) => jaccard(x.grams, c.grams) >= DUPLICATE)) continue;
    chosen.push(c);
  }
  return chosen;
}

/** A question for a number of named things (哪三个体系, “两个确立”是什么): the sentence listing them. */
function pickEnumeration(a: QuestionAnalysis, e: Evidence, cands: Candidate[], ctx: AnswerContext): Candidate[] {
  const quoted = a.terms.find((t) => t.quoted);
  const count = a.enumerate!;
  const terms = weighted(a);
  const lists = (c: Candidate) =>
    quoted && c.text.includes(quoted.text) ? definesTerm(c.text, quoted.text, count) : enumeration(c.text, count, (clause) => (countsNamedItems(a) ? a.itemsOf! : [...(a.itemsOf ?? []), ...terms]).some((t) => termMatch(clause, t) > 0), { clauses: a.openCount, each: countsNamedItems(a) }).length > 0;
  const pool = cands.filter((c) => e.supporting.includes(c.passage) && lists(c)).sort((x, y) => y.score - x.score);
  // Said as parallel sentences (在“实”上发力…；在“新”上发力…；在“未来”上发力…): those sentences. Before any
  // list for an open count when there are three or more of them, or a stated count's number.
  const run = new Set(parallelRun(e.sentences, parallelTerms(a, terms), ctx, 2).map((s) => `${s.passage}:${s.pos}`));
  const inRun = cands.filter((c) => run.has(`${c.passage}:${c.pos}`));
  const parallel = run.size >= Math.max(a.openCount ? 3 : 2, count) ? inRun : [];
  // …unless a listing sentence lists the counted noun's kinds (哪几种监管: 机构监管、行为监管…).
  const counted = a.itemsOf?.length ? a.itemsOf : (a.category ?? []);
  const ofNoun = (c: Candidate) => counted.length > 0 && enumeration(c.text, count, (clause) => counted.some((t) => termMatch(clause, t) > 0), { clauses: true }).length > 0;
  if (a.openCount && parallel.length && !pool.some(ofNoun)) return parallel;
  // A stated count is one list; an open one (哪几个方向) may be said over a few sentences of the passage.
  if (pool.length && a.openCount) return pool.filter((c) => c.passage === pool[0].passage).slice(0, 3).sort((x, y) => x.pos - y.pos);
  if (pool.length) return pool.slice(0, 1);
  return inRun;
}

/** A question for what something is or how it is defined: the sentences saying what it is, the best first. */
function pickDefinition(a: QuestionAnalysis, e: Evidence, cands: Candidate[]): Candidate[] {
  const terms = weighted(a);
  const pool = cands
    .filter((c) => e.supporting.includes(c.passage) && terms.some((t) => [t.text, ...t.alts.map((x) => x.text)].some((w) => saysWhatItIs(c.text, w))))
    .sort((x, y) => y.score - x.score);
  if (!pool.length) return [];
  const chosen = [pool[0]];
  for (const c of pool.slice(1)) {
    if (chosen.length >= 2 || c.score < TAIL * pool[0].score) break;
    if (chosen.every((x) => jaccard(x.grams, c.grams) < DUPLICATE)) chosen.push(c);
  }
  return chosen;
}

/** The few best sentences (MMR: relevant, not redundant), stopping at a clear drop. */
function pickFacts(e: Evidence, cands: Candidate[], max: number): Candidate[] {
  const chosen: Candidate[] = [];
  let first = 0;
  while (chosen.length < max) {
    let best: Candidate | undefined;
    let bestMmr = -Infinity;
    for (const c of cands) {
      if (chosen.includes(c)) continue;
      const redundancy = Math.max(0, ...chosen.map((x) => jaccard(c.grams, x.grams)));
      if (redundancy >= DUPLICATE) continue;
      const mmr = MMR_LAMBDA * c.score - (1 - MMR_LAMBDA) * redundancy;
      if (mmr > bestMmr) {
        bestMmr = mmr;
        best = c;
      }
    }
    if (!best) break;
    if (chosen.length === 0) first = bestMmr;
    else if (bestMmr < TAIL * first || (e.supporting.length && !e.supporting.includes(best.passage) && best.own === 0)) break;
    chosen.push(best);
  }
  return chosen;
}

/**
 * A long sentence is cut to its trailing clauses when every question term it mentions and every asked
 * value it holds (a place, a name, a date) lies there and nowhere in the clauses cut:
 * the fragment is still verbatim and still ends at the sentence's own mark, and a leading …… says
 * that something came before it.
 */
function trimLong(sentence: string, terms: TopicTerm[], values: readonly string[] = []): string {
  if ([...sentence].length <= LONG) return sentence;
  const hits = terms.filter((t) => termMatch(sentence, t) > 0);
  if (hits.length === 0) return sentence;
  let cut = sentence;
  for (let i = sentence.indexOf("，"); i >= 0; i = sentence.indexOf("，", i + 1)) {
    const tail = sentence.slice(i + 1);
    if ([...tail].length < 20) break;
    // A clause may go only if it holds neither a term nor an asked value (浙江 of 浙江“千万工程”为…): one
    // saying what the rest says (是一次…的会议，是一次…的会议) answers too.
    const head = sentence.slice(0, i);
    if (!hits.some((t) => termMatch(head, t) > 0) && !values.some((v) => head.includes(v))) cut = tail;
    else break;
  }
  return cut === sentence ? sentence : `……${cut}`;
}

/** The answer text: a lead line, then a short list or a few sentences, grouped by source. */
function format(lang: Lang, picked: Candidate[], list: boolean, keepOrder: boolean): string {
  // Reading order (passage rank, then position), unless the order says something (the slot's sentence first).
  const ordered = keepOrder ? picked : [...picked].sort((x, y) => x.cite.n - y.cite.n || x.pos - y.pos);
  const groups = new Map<string, Candidate[]>();
  for (const c of ordered) {
    // Parts of one item, or of one article without items, are one source as a reader sees it.
    const key = `${c.cite.articleId}\u0000${shortSource(c.cite)}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(c);
  }
  const single = groups.size === 1 ? ordered[0].cite : undefined;
  const cite = (c: Candidate) => `${c.quote}[${c.cite.n}]`;
  const lines = [leadLine(lang, list, single)];
  if (list) {
    for (const group of groups.values()) {
      if (!single) lines.push(`${shortSource(group[0].cite)}：`);
      for (const c of group) lines.push(`- ${cite(c)}`);
    }
  } else if (!single && keepOrder && groups.size > 1 && new Set(ordered.map((c) => c.cite.articleId)).size > 1) {
    // Answered from two articles: each article's source on a line of its own, then its sentences (a
    // quote's line holds quotes only, so its markers are read as markers).
    for (const group of groups.values()) lines.push(`${shortSource(group[0].cite)}：`, group.map(cite).join(""));
  } else {
    lines.push(ordered.map(cite).join(""));
  }
  return lines.join("\n");
}

function leadLine(lang: Lang, list: boolean, single: Citation | undefined): string {
  const title = single ? shortTitle(single.title) : "";
  const item = single?.headingPath.length ? single.headingPath[single.headingPath.length - 1] : "";
  // A heading that is the title itself (titles may hold 《》 of their own) is not said twice.
  const bare = (x: string) => x.replace(/[《》\s]/g, "");
  const where = single && item && !bare(item).includes(bare(single.title)) ? `（${item}）` : "";
  if (lang === "en") {
    const src = single ? `${title}${where ? ` (${item})` : ""}` : "the documents";
    return list ? `According to ${src}, the main points are:` : `According to ${src}:`;
  }
  const src = single ? `${title}${where}` : "检索到的资料";
  return list ? `根据${src}，主要有以下几点：` : `根据${src}：`;
}
