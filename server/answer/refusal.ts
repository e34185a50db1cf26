/**
 * Decides whether the retrieved passages answer the question, from what the evidence contains
 * rather than from retrieval scores (a near-miss question asking for a figure the corpus never
 * gives scores as high as an answerable one):
 *  - the question's content terms must be covered by one passage (weighted by rarity);
 *  - when it asks for a quantity, date, person or place, a sentence about its subject must hold one.
 */
import type { Chunk } from "../../vectors/types.ts";
import type { Citation, Lang } from "./types.ts";
import { coverage, passageText, shortSource, termIn, weightedTerms, type WeightedTerm } from "./evidence.ts";
import { holdsAsked, questionKind, type Asked } from "./question-kind.ts";
import { splitSentences } from "./sentences.ts";
import { definesTerm, numberedTermQuestion, relativeOccurrence, statedNumbers, statesNumber } from "./specifics.ts";
import type { Glossary } from "../../vectors/query-translation.ts";

export interface Evidence {
  answerable: boolean;
  /** What was missing when refused. */
  reason?: "no-passages" | "coverage" | "enumeration" | Asked;
  /** Best weighted coverage of the question's terms by a single passage (0..1). */
  coverage: number;
  /** Content terms no passage mentions. */
  missing: string[];
}

export interface EvidenceOptions {
  /** Minimum weighted share of the question's terms one passage must mention (calibrated on evals/qa.jsonl). */
  minCoverage?: number;
  /** The index's English→Chinese glossary, so English questions can be judged too. */
  glossary?: Glossary;
}

export const DEFAULT_MIN_COVERAGE = 0.4;
/** A sentence offering the asked-for figure, date, person or place must be about the question's subject: this share of the subject terms' weight. */
const SUBJECT_SHARE = 0.5;
/** Lower for English questions, whose terms are matched through loose glossary renderings. */
const SUBJECT_SHARE_EN = 0.3;

const CJK = /[\u3400-\u9fff]/;
/** Words pointing back to what was just said, and how many sentences back they may reach. */
const ANAPHORA = /就这[个一]?问题|这[次项个]会议|此次|该次|上述/;
const ANAPHORA_REACH = 3;

export function assessEvidence(
  question: string,
  passages: Citation[],
  chunks: Chunk[] | undefined,
  opts: EvidenceOptions = {},
): Evidence {
  if (passages.length === 0) return { answerable: false, reason: "no-passages", coverage: 0, missing: [] };
  const minCoverage = opts.minCoverage ?? DEFAULT_MIN_COVERAGE;
  const kind = questionKind(question);
  const terms = weightedTerms(question, chunks, opts.glossary);
  // Term matching is lexical: an English question over Chinese passages can only be judged through
  // the glossary; without one, only the asked-for check applies (on the best passages).
  const chineseTerms = terms.some((t) => CJK.test(t.text) || t.alts);
  const lexical = terms.length > 0 && chineseTerms === passages.some((p) => CJK.test(p.quote));
  const texts = passages.map(passageText);

  let best = 1;
  let missing: string[] = [];
  let supporting = passages.slice(0, 3).map((_, i) => i);
  if (lexical) {
    const scores = texts.map((t) => coverage(t, terms));
    best = Math.max(...scores);
    missing = terms.filter((t) => !texts.some((x) => termIn(x, t))).map((t) => t.text);
    if (best < minCoverage) return { answerable: false, reason: "coverage", coverage: best, missing };
    // Passages that cover the question about as well as the best one are where the answer must be.
    supporting = scores.map((s, i) => [s, i] as const).filter(([s]) => s >= Math.max(minCoverage, best - 0.2)).map(([, i]) => i);
  }

  // What the question pins down beyond its topic must be in the evidence too (see specifics.ts).
  const numbers = statedNumbers(question).filter((n) => !texts.some((t) => statesNumber(t, n)));
  if (numbers.length) return { answerable: false, reason: "coverage", coverage: best, missing: [...missing, ...numbers] };
  const supportSentences = supporting.flatMap((i) => splitSentences(passages[i].quote).map((s) => s.text));
  const relative = relativeOccurrence(question);
  if (relative && !supportSentences.some((s) => relative.test(s))) return { answerable: false, reason: kind.asked === "fact" ? "coverage" : kind.asked, coverage: best, missing };
  const numbered = numberedTermQuestion(question);
  if (numbered && !texts.some((t) => splitSentences(t).some((s) => definesTerm(s.text, numbered.term, numbered.count))))
    return { answerable: false, reason: "enumeration", coverage: best, missing };

  if (kind.asked !== "fact" || kind.enumerate) {
    // Glossary renderings of English words are loose (games → 球/棋): only those the passages use say what the subject is.
    const english = terms.some((t) => t.alts);
    // An English question's subject is judged per passage, on the words that passage renders: a
    // stray rendering elsewhere (full → 充分) must not become the subject the answer has to be about.
    const subjectsIn = (text: string) => {
      const judged = terms.filter((t) => !t.alts || (english ? termIn(text, t) : texts.some((x) => termIn(x, t))));
      return lexical && judged.length ? subjectTerms(judged) : [];
    };
    const share = english ? SUBJECT_SHARE_EN : SUBJECT_SHARE;
    const names = terms.map((t) => t.text);
    const found = supporting.some((i) => {
      const subjects = subjectsIn(texts[i]);
      const sentences = splitSentences(passages[i].quote);
      let lastAbout = -Infinity;
      return sentences.some((s, j) => {
        let subject = subjects.find((sub) => coverage(s.text, sub) >= share);
        if (subject) lastAbout = j;
        // A sentence pointing back (就这个问题进行讲解, 此次会议) stays on the subject of one just before it.
        const refersBack = !subject && j - lastAbout <= ANAPHORA_REACH && ANAPHORA.test(s.text);
        if (subjects.length && !subject && !refersBack) return false;
        // An enumeration may run on over the next sentences (一是……。二是……。).
        const window = kind.enumerate ? sentences.slice(j, j + 3).map((x) => x.text).join("") : s.text;
        const about = (clause: string) => !subject || subject.some((t) => termIn(clause, t));
        return holdsAsked(kind, window, names, about);
      });
    });
    if (!found) return { answerable: false, reason: kind.enumerate && kind.asked === "fact" ? "enumeration" : kind.asked, coverage: best, missing };
  }
  return { answerable: true, coverage: best, missing };
}

/**
 * The ways of naming the question's subject: the rarer half of its terms (common words like 发展
 * name nothing), and the rarer half of its nouns and names alone (verbs such as 召开/举行 are often
 * paraphrased, though sometimes, as with 讲解, the verb is what matters). A sentence about either counts.
 */
function subjectTerms(terms: WeightedTerm[]): WeightedTerm[][] {
  const rarerHalf = (pool: WeightedTerm[]) =>
    [...pool].sort((a, b) => b.weight - a.weight).slice(0, Math.max(1, Math.ceil(pool.length / 2)));
  const nouns = terms.filter((t) => !/^[vad]/.test(t.tag));
  return nouns.length && nouns.length < terms.length ? [rarerHalf(terms), rarerHalf(nouns)] : [rarerHalf(terms)];
}

const WHAT_ZH: Record<string, string> = {
  quantity: "（资料中未给出相关数字）",
  date: "（资料中未给出相关时间）",
  person: "（资料中未给出相关人物）",
  place: "（资料中未给出相关地点）",
  enumeration: "（资料中未逐项列出）",
};
const WHAT_EN: Record<string, string> = {
  quantity: " (no figure is given)",
  date: " (no date is given)",
  person: " (no person is named)",
  place: " (no place is given)",
  enumeration: " (the items are not listed)",
};

/** The refusal's opening line in the question's language; leads follow it as cited lines. */
export function refusalLead(question: string, evidence: Evidence, lang: Lang): string {
  const q = question.trim().replace(/[？?。.!！\s]+$/u, "");
  if (lang === "en") {
    const detail =
      evidence.reason && WHAT_EN[evidence.reason]
        ? WHAT_EN[evidence.reason]
        : evidence.missing.length
          ? ` (not mentioned: ${evidence.missing.slice(0, 4).join(", ")})`
          : "";
    return `The documents do not cover "${q}"${detail}.`;
  }
  const detail =
    evidence.reason && WHAT_ZH[evidence.reason]
      ? WHAT_ZH[evidence.reason]
      : evidence.missing.length
        ? `（资料中未提及：${evidence.missing.slice(0, 4).join("、")}）`
        : "";
  return `资料中没有找到“${q}”的答案${detail}。`;
}

/** The closest passages offered as leads, one line each with its marker. */
export function refusalText(question: string, evidence: Evidence, leads: Citation[], lang: Lang): string {
  const head = refusalLead(question, evidence, lang);
  return leads.length ? `${head}\n${leadList(leads, lang)}` : head;
}

/** "以下段落最为接近……" and one line per lead: 《title》 › item [n]. */
export function leadList(leads: Citation[], lang: Lang): string {
  const intro = lang === "en" ? "The closest passages, which may help:" : "以下段落最为接近，可供参考：";
  return `${intro}\n${leads.map((p) => `- ${shortSource(p)} [${p.n}]`).join("\n")}`;
}

/** True when a generated answer is itself a refusal (an LLM may judge the passages insufficient). */
export function isRefusalText(answer: string): boolean {
  return /^\s*(资料中没有找到|资料中未找到|The documents do not cover)/i.test(answer);
}
