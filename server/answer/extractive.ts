/**
 * The offline answer composer: picks the retrieved passages' most relevant sentences and quotes
 * them verbatim, each with its passage's [n]. No model needed.
 *  score   = rarity-weighted term overlap of the sentence + relevance of its passage (coverage, its own
 *            heading naming the subject, retrieval rank); for list questions (有哪些…) the passage counts
 *            most, since an item's sentences are its measures; for facts, the sentence holding the
 *            asked-for figure/date/person and the ones right after a sentence restating the question
 *  select  = MMR (relevant but not redundant), near-duplicates across articles dropped
 *  order   = passage rank, then position in the passage; grouped by source
 *  format  = one-line lead in the question's language, then a short list or a few sentences
 */
import type { Chunk } from "../../vectors/types.ts";
import type { Glossary } from "../../vectors/query-translation.ts";
import type { Citation, Lang } from "./types.ts";
import { coverage, passageText, shortSource, shortTitle, termIn, weightedTerms, type WeightedTerm } from "./evidence.ts";
import { holdsAsked, questionKind } from "./question-kind.ts";
import { isHeadingSentence, splitSentences } from "./sentences.ts";
import { bigrams, jaccard } from "./terms.ts";

export interface ExtractiveOptions {
  lang: Lang;
  /** The index's chunks, for term rarity; without them every term weighs the same. */
  chunks?: Chunk[];
  /** English→Chinese glossary of the index, to match an English question's terms. */
  glossary?: Glossary;
  /** Most points in a list answer (default 6) or sentences in a fact answer (default 3). */
  maxPoints?: number;
}

interface Candidate {
  passage: Citation;
  rank: number;
  pos: number;
  text: string;
  score: number;
  grams: Set<string>;
}

const MMR_LAMBDA = 0.75;
/** Sentences this similar (bigram Jaccard) to a chosen one are the same point said twice. */
const DUPLICATE = 0.6;
/** Stop adding once a sentence scores below this share of the first pick. */
const TAIL = 0.45;
/** Long sentences are cut to the clauses that matter (still ending at their own mark). */
const LONG = 90;

export function composeExtractive(question: string, passages: Citation[], opts: ExtractiveOptions): string {
  const kind = questionKind(question);
  const terms = weightedTerms(question, opts.chunks, opts.glossary);
  // "哪三个体系" is answered by the one sentence that lists them, not by a list of sentences.
  const asList = kind.list && !kind.enumerate;
  const picked = selectSentences(question, passages, terms, opts.maxPoints ?? (asList ? 6 : 3));
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

function selectSentences(question: string, passages: Citation[], terms: WeightedTerm[], max: number): Candidate[] {
  const kind = questionKind(question);
  const asList = kind.list && !kind.enumerate;
  const asks = kind.asked !== "fact" || !!kind.enumerate;
  const names = terms.map((t) => t.text);
  const candidates: Candidate[] = [];
  passages.forEach((p, rank) => {
    const sentences = splitSentences(p.quote);
    const pCov = coverage(passageText(p), terms);
    // A passage whose own heading names the question's subject (12.建设清洁能源强省) is about it
    // as a whole: its sentences are the answer even when they do not repeat the question's words.
    const heading = p.headingPath.length > 1 ? p.headingPath[p.headingPath.length - 1] : "";
    const headCov = heading ? coverage(heading, terms) : 0;
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
      const askedBonus = asks && sCov > 0 && holdsAsked(kind, text, names) ? 0.35 : 0;
      const score = asList
        ? 0.2 * sCov + 0.8 * pRel + posBonus
        : 0.55 * sCov + 0.3 * pRel + 0.2 * follows + posBonus + askedBonus;
      candidates.push({ passage: p, rank, pos, text, score, grams: bigrams(text) });
    });
  });

  const chosen: Candidate[] = [];
  let first = 0;
  while (chosen.length < max) {
    let best: Candidate | undefined;
    let bestMmr = -Infinity;
    for (const c of candidates) {
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
    else if (bestMmr < TAIL * first) break;
    chosen.push(best);
  }
  return chosen;
}

/**
 * A long sentence is cut to its trailing clauses when every question term it mentions lies there:
 * the fragment is still verbatim and still ends at the sentence's own mark.
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
  return cut;
}

function leadLine(lang: Lang, list: boolean, single: Citation | undefined): string {
  const title = single ? shortTitle(single.title) : "";
  const item = single?.headingPath.length ? single.headingPath[single.headingPath.length - 1] : "";
  const where = single && item && !item.includes(single.title.replace(/[《》]/g, "")) ? `（${item}）` : "";
  if (lang === "en") {
    const src = single ? `${title}${where ? ` (${item})` : ""}` : "the documents";
    return list ? `According to ${src}, the main points are:` : `According to ${src}:`;
  }
  const src = single ? `${title}${where}` : "检索到的资料";
  return list ? `根据${src}，主要有以下几点：` : `根据${src}：`;
}
