/**
 * How well a text covers a question: the share of the question's content terms it mentions,
 * each term weighted by how rare it is in the corpus (辽宁 is everywhere, 徐大堡 is telling).
 */
import type { Chunk } from "../../vectors/types.ts";
import type { Citation } from "./types.ts";
import { questionLanguage } from "../../vectors/language.ts";
import { translateQuery, type Glossary } from "../../vectors/query-translation.ts";
import { mentions, questionTerms, termWeight, type Term } from "./terms.ts";

export interface WeightedTerm extends Term {
  weight: number;
  /** Chinese renderings of an English term (from the index's glossary): any one of them counts. */
  alts?: string[];
}

/**
 * The question's content terms with their weights. An English question over a Chinese corpus is
 * matched through the index's English→Chinese glossary; English words it cannot render are left
 * out (they cannot be judged), and without a glossary there are no Chinese terms to match at all.
 * A mixed English question (What does 辽宁 plan for …) keeps its Chinese terms and renders its English
 * ones; Latin codes inside a Chinese question (5G, LNG) stay as written.
 */
export function weightedTerms(question: string, chunks: Chunk[] | undefined, glossary?: Glossary): WeightedTerm[] {
  const weigh = (text: string) => (chunks && chunks.length ? termWeight(text, chunks) : 1);
  const terms = questionTerms(question);
  if (!glossary || questionLanguage(question) !== "en") return terms.map((t) => ({ ...t, weight: weigh(t.text) }));
  const out: WeightedTerm[] = [];
  for (const t of terms) {
    if (t.tag !== "eng") {
      out.push({ ...t, weight: weigh(t.text) });
      continue;
    }
    const alts = translateQuery(t.text, glossary, 6);
    if (alts.length === 0) continue;
    out.push({ ...t, alts, weight: Math.max(...alts.map(weigh)) });
  }
  return out;
}

/** Whether `text` mentions the term (or, for an English term, one of its Chinese renderings). */
export function termIn(text: string, t: WeightedTerm): boolean {
  return t.alts ? t.alts.some((a) => mentions(text, a)) : mentions(text, t.text);
}

/** Weighted share (0..1) of the terms that `text` mentions; 0 when there are no terms. */
export function coverage(text: string, terms: WeightedTerm[]): number {
  let total = 0;
  let hit = 0;
  for (const t of terms) {
    total += t.weight;
    if (termIn(text, t)) hit += t.weight;
  }
  return total > 0 ? hit / total : 0;
}

/** The text a passage is matched on: its heading path (title › section › item) and its own text. */
export function passageText(p: Citation): string {
  return `${p.title}\n${p.headingPath.join("\n")}\n${p.quote}`;
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

