/**
 * How well a text covers a question: the share of the question's content terms it mentions,
 * each term weighted by how rare it is in the corpus (辽宁 is everywhere, 徐大堡 is telling).
 */
import type { Chunk } from "../../vectors/types.ts";
import type { Citation } from "./types.ts";
import { mentions, questionTerms, termWeight, type Term } from "./terms.ts";

export interface WeightedTerm extends Term {
  weight: number;
}

export function weightedTerms(question: string, chunks: Chunk[] | undefined): WeightedTerm[] {
  return questionTerms(question).map((t) => ({ ...t, weight: chunks && chunks.length ? termWeight(t.text, chunks) : 1 }));
}

/** Weighted share (0..1) of the terms that `text` mentions; 0 when there are no terms. */
export function coverage(text: string, terms: WeightedTerm[]): number {
  let total = 0;
  let hit = 0;
  for (const t of terms) {
    total += t.weight;
    if (mentions(text, t.text)) hit += t.weight;
  }
  return total > 0 ? hit / total : 0;
}

/** The text a passage is matched on: its heading path (title › section › item) and its own text. */
export function passageText(p: Citation): string {
  return `${p.title}\n${p.headingPath.join("\n")}\n${p.quote}`;
}

/** "《title》 › section › item" for a passage, whether or not its heading path starts with the title. */
export function sourceLabel(p: Citation): string {
  const path = p.headingPath.filter((h) => h.trim());
  const bare = (s: string) => s.replace(/[《》\s]/g, "");
  const withTitle = path.length && bare(path[0]) === bare(p.title) ? path : [`《${bare(p.title)}》`, ...path];
  return withTitle.join(" › ");
}
