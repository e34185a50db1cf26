/**
 * The offline answer composer: picks the retrieved passages' most relevant sentences and quotes
 * them verbatim, each with its passage's [n]. No model needed.
 *  score   = rarity-weighted term overlap of the sentence + the question's words in one piece (省委书记,
 *            not 省委副书记) + relevance of its passage (coverage, its own heading naming the subject,
 *            retrieval rank); for list questions (有哪些…, what does X plan for…, and how-questions whose
 *            item or restating sentence is retrieved) the passage counts most, since an item's sentences
 *            are its measures; for facts, the sentence holding the asked-for figure/date/person (for
 *            who: the name under the asked title or doing the asked thing) and the ones right after a
 *            sentence restating the question
 *  select  = MMR (relevant but not redundant), near-duplicates across articles dropped; a who/when/
 *            where/how-many answer is its best sentence plus at most one that gives the asked thing too
 *  order   = passage rank, then position in the passage; grouped by source
 *  format  = one-line lead in the question's language, then a short list or a few sentences
 */
import type { Chunk } from "../../vectors/types.ts";
import type { Glossary } from "../../vectors/query-translation.ts";
import type { Citation, Lang } from "./types.ts";
import { coverage, passageText, shortSource, shortTitle, termIn, weightedTerms, type WeightedTerm } from "./evidence.ts";
import { askedUnits, askedValues, holdsAsked, personSlot, questionKind, type QuestionKind } from "./question-kind.ts";
import { contentRuns, phraseCoverage } from "./phrase.ts";
import { isHeadingSentence, splitSentences } from "./sentences.ts";
import { bigrams, jaccard } from "./terms.ts";

export interface ExtractiveOptions {
  lang: Lang;
  /** The index's chunks, for term rarity; without them every term weighs the same. */
  chunks?: Chunk[];
  /** English→Chinese glossary of the index, to match an English question's terms. */
  glossary?: Glossary;
  /** Most points in a list answer (default 6) or sentences in a fact answer (default 3; 2 for who/when/where/how many). */
  maxPoints?: number;
}

interface Candidate {
  passage: Citation;
  rank: number;
  pos: number;
  text: string;
  score: number;
  grams: Set<string>;
  /** Holds the asked-for person, date, figure or place (always true for plain facts). */
  holds: boolean;
  /** Weighted share of the question's terms it mentions. */
  cov: number;
  /** The figures or dates it gives (quantity and date questions). */
  values: string[];
  /** Who-questions: how well it names a person under the asked title or doing the asked thing (0..1). */
  titled: number;
}

const MMR_LAMBDA = 0.75;
/** Sentences this similar (bigram Jaccard) to a chosen one are the same point said twice. */
const DUPLICATE = 0.6;
/** Stop adding once a sentence scores below this share of the first pick. */
const TAIL = 0.45;
/** Stricter for who/when/where/how-many: a fact answer is its best sentence, and another only as good. */
const FACT_TAIL = 0.6;
/** Long sentences are cut to the clauses that matter (still ending at their own mark). */
const LONG = 90;

export function composeExtractive(question: string, passages: Citation[], opts: ExtractiveOptions): string {
  const kind = questionKind(question);
  const terms = weightedTerms(question, opts.chunks, opts.glossary);
  const asList = answersAsList(kind, question, passages, terms);
  const asks = kind.asked !== "fact";
  const picked = selectSentences(question, kind, asList, passages, terms, opts.maxPoints ?? (asList ? 6 : asks ? 2 : 3));
  if (picked.length === 0) return "";

  // Reading order: by passage rank, then where the sentence sits in its passage.
  picked.sort((a, b) => a.rank - b.rank || a.pos - b.pos);
  // Group by source as a reader sees it (parts of one item, or of one article without items, are one source).
  const groups = new Map<string, Candidate[]>();
  for (const c of picked) {
    const key = `${c.passage.articleId}\u0000${shortSource(c.passage)}`;
    const g = groups.get(key) ?? [];
    g.push(c);
    groups.set(key, g);
  }
  const single = groups.size === 1 ? picked[0].passage : undefined;
  const lead = leadLine(opts.lang, asList, single);
  const cite = (c: Candidate) => `${c.text}[${c.passage.n}]`;

  const lines = [lead];
  if (asList) {
    for (const group of groups.values()) {
      if (!single) lines.push(`${shortSource(group[0].passage)}：`);
      for (const c of group) lines.push(`- ${cite(c)}`);
    }
  } else {
    lines.push([...groups.values()].flat().map(cite).join(""));
  }
  return lines.join("\n");
}

/**
 * "哪三个体系" is answered by the one sentence that lists them, not by a list of sentences. A how-question
 * (如何发展壮大民营经济) is answered by measures when one of the best passages is an item headed by its subject.
 */
function answersAsList(kind: QuestionKind, question: string, passages: Citation[], terms: WeightedTerm[]): boolean {
  if (kind.enumerate) return false;
  if (kind.list) return true;
  if (!kind.how) return false;
  return howSource(question, passages, terms) !== "none";
}

/**
 * Where a how-question's measures are: an item headed by its subject among the best passages, else a
 * passage restating the question in one sentence (an item's heading is the surer sign, so it wins).
 */
function howSource(question: string, passages: Citation[], terms: WeightedTerm[]): "heading" | "restated" | "none" {
  const top = passages.slice(0, 2);
  if (top.some((p) => p.headingPath.length > 1 && coverage(p.headingPath[p.headingPath.length - 1], terms) >= HOW_HEADING)) return "heading";
  return top.some((p) => restatement(p, howRuns(question)) > 0) ? "restated" : "none";
}

/** Share of a how-question's terms an item heading must name for the item's measures to be the answer. */
const HOW_HEADING = 0.6;
/** A sentence repeating this much of the question verbatim states the topic its passage goes on to answer. */
const RESTATES = 0.8;

/** What a how-question asks to be done: the words after 如何/怎样 (如何定位金融 → 定位金融, not the meeting's name). */
function howRuns(question: string): string[] {
  const m = question.match(/(?:如何|怎样|怎么)(.*)$/);
  return contentRuns(m ? m[1] : question);
}

/** How fully a passage restates the question in one sentence (要促进各民族广泛交往交流交融…), 0 below RESTATES. */
function restatement(p: Citation, runs: string[]): number {
  // In the sentence's opening clauses: the 6th of a list of goals (…，支持边境地区发展，…) is not its topic.
  const opening = (text: string) => text.split("，").slice(0, 2).join("，");
  const best = Math.max(0, ...splitSentences(p.quote).map((s) => phraseCoverage(opening(s.text), runs)));
  return best >= RESTATES ? best : 0;
}

function selectSentences(
  question: string,
  kind: QuestionKind,
  asList: boolean,
  passages: Citation[],
  terms: WeightedTerm[],
  max: number,
): Candidate[] {
  const asks = kind.asked !== "fact" || !!kind.enumerate;
  const names = terms.map((t) => t.text);
  const runs = contentRuns(question);
  // A matched piece weighs as much as the rarest question term it holds or is part of (relative to the rarest of all).
  const top = Math.max(1e-9, ...terms.map((t) => t.weight));
  const pieceWeight = (piece: string) =>
    Math.max(0, ...terms.filter((t) => piece.includes(t.text) || t.text.includes(piece)).map((t) => t.weight / top));
  const units = kind.asked === "quantity" ? askedUnits(question) : [];
  const restated = asList && kind.how && howSource(question, passages, terms) === "restated";
  const candidates: Candidate[] = [];
  passages.forEach((p, rank) => {
    const sentences = splitSentences(p.quote);
    const pCov = coverage(passageText(p), terms);
    // A passage whose own heading names the question's subject (12.建设清洁能源强省) is about it
    // as a whole: its sentences are the answer even when they do not repeat the question's words.
    const heading = p.headingPath.length > 1 ? p.headingPath[p.headingPath.length - 1] : "";
    // A passage with a sentence restating a how-question (如何加强…领导 → 加强…领导，是…保证。) is about it too.
    const headCov = Math.max(heading ? coverage(heading, terms) : 0, restated ? restatement(p, howRuns(question)) : 0);
    const focus = sentences.length ? sentences.filter((s) => coverage(s.text, terms) > 0).length / sentences.length : 0;
    const rankScore = 1 / (1 + rank);
    const pRel = asList
      ? 0.4 * headCov + 0.2 * pCov + 0.2 * focus + 0.2 * rankScore
      : 0.5 * pCov + 0.2 * headCov + 0.3 * rankScore;
    const covs = sentences.map((s) => coverage(s.text, terms));
    sentences.forEach((s, pos) => {
      if (isHeadingSentence(s.text) || [...s.text].length < 6) return;
      const text = trimLong(s.text, terms);
      const sCov = coverage(text, terms);
      const posBonus = 0.05 / (1 + pos);
      // A sentence restating the question is often followed by the answer (要促进…交融。要推进…互嵌式…).
      const follows = Math.max(covs[pos - 1] ?? 0, 0.6 * (covs[pos - 2] ?? 0));
      // The sentence holding the asked-for figure, date, person or place about the subject is the answer.
      // A figure in the unit asked (多少人 → 87人), when the question names one: 五大攻坚战 counts no people.
      const values = askedValues(kind, text).filter((v) => !units.length || units.some((u) => v.includes(u)));
      const holds = !asks || (sCov > 0 && holdsAsked(kind, text, names) && (kind.asked !== "quantity" || !units.length || values.length > 0));
      const askedBonus = asks && holds ? 0.35 : 0;
      // The question's words in one piece (省委书记) say more than the same words apart (省委副书记).
      const phrase = phraseCoverage(text, runs, pieceWeight);
      // A who-question: the name right after the exact title asked (省委书记郝鹏), or right before what
      // the person is asked to have done (王延中同志就这个问题进行讲解), is the answer.
      const titled = kind.asked === "person" ? personSlot(question, text) : 0;
      const score = asList
        ? 0.2 * sCov + 0.8 * pRel + posBonus
        : 0.55 * sCov + 0.2 * phrase + 0.3 * pRel + 0.2 * follows + posBonus + askedBonus + titled;
      candidates.push({ passage: p, rank, pos, text, score, grams: bigrams(text), holds, titled, cov: sCov, values });
    });
  });

  const chosen: Candidate[] = [];
  let first = 0;
  while (chosen.length < max) {
    let best: Candidate | undefined;
    let bestMmr = -Infinity;
    for (const c of candidates) {
      if (chosen.includes(c)) continue;
      // A who/when/where/how-many answer adds a sentence only when it gives the asked-for thing too
      // (a person under the asked title or doing the asked thing, when the first pick names one so).
      if (chosen.length && asks && !addsAsked(c, chosen)) continue;
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
    else if (bestMmr < (asks && !asList ? FACT_TAIL : TAIL) * first) break;
    chosen.push(best);
  }
  return chosen;
}

/**
 * Whether a further sentence adds to a who/when/where/how-many answer: it gives the asked-for thing,
 * about the subject as much as the first pick is (a date in a document's title is not the meeting's
 * date), a figure or date not given already, and a person under the asked title when the first did.
 */
function addsAsked(c: Candidate, chosen: Candidate[]): boolean {
  const first = chosen[0];
  if (!c.holds || c.titled < first.titled || c.cov < EXTRA_COVERAGE * first.cov) return false;
  if (!c.values.length) return true;
  const given = chosen.flatMap((x) => x.values);
  return c.values.some((v) => !given.some((g) => g.includes(v) || v.includes(g)));
}

/** A further fact sentence must mention this share of what the first pick mentions of the question. */
const EXTRA_COVERAGE = 0.8;

/**
 * A long sentence is cut to its trailing clauses when every question term it mentions lies there:
 * the fragment is still verbatim and still ends at the sentence's own mark, and a leading …… says
 * that something (perhaps a condition) came before it.
 */
function trimLong(sentence: string, terms: WeightedTerm[]): string {
  if ([...sentence].length <= LONG) return sentence;
  const hits = terms.filter((t) => termIn(sentence, t));
  if (hits.length === 0) return sentence;
  let cut = sentence;
  for (let i = sentence.indexOf("，"); i >= 0; i = sentence.indexOf("，", i + 1)) {
    const tail = sentence.slice(i + 1);
    if ([...tail].length < 20) break;
    if (hits.every((t) => termIn(tail, t))) cut = tail;
    else break;
  }
  return cut === sentence ? sentence : `……${cut}`;
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
