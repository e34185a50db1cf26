/**
 * Retrieval quality on evals/qa.jsonl: for each answerable case, the rank of the first passage
 * that contains one of its evidence snippets (whitespace ignored); hit@1, hit@5, MRR per mode,
 * Chinese and English questions apart. Reads the JSONL itself (nothing imports from evals/).
 */
import fs from "node:fs";
import type { SearchMode } from "../vectors/types.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import type { FusionWeights } from "../vectors/fusion.ts";

export interface QualityCase {
  id: string;
  question: string;
  evidence: string[];
  lang: "zh" | "en";
}

export interface Quality {
  cases: number;
  hit1: number;
  hit5: number;
  mrr: number;
  /** ids of the cases with no evidence in the top 10 */
  misses: string[];
}

const compact = (s: string) => s.normalize("NFKC").replace(/\s+/g, "");

/** Answerable single-turn cases with evidence (follow-ups need the chat's rewriting, not retrieval alone). */
export function readQualityCases(file: string): QualityCase[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .filter((c) => c.answerable && !c.history?.length && Array.isArray(c.evidence) && c.evidence.length)
    .map((c) => ({ id: c.id, question: c.question, evidence: c.evidence, lang: c.lang === "en" ? "en" : "zh" }));
}

/** Scores one retrieval mode on the cases (`fusion`: weights for this measurement only, for the tuning grid). */
export async function measureQuality(index: SearchIndex, cases: readonly QualityCase[], mode: SearchMode, k = 10, fusion?: FusionWeights): Promise<Quality> {
  let hit1 = 0;
  let hit5 = 0;
  let rr = 0;
  const misses: string[] = [];
  for (const c of cases) {
    const evidence = c.evidence.map(compact);
    const hits = await index.search(c.question, { k, mode, ...(fusion ? { fusion } : {}) });
    const rank = hits.findIndex((h) => {
      const text = compact(h.chunk.text);
      return evidence.some((e) => text.includes(e));
    });
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 5) hit5++;
    if (rank >= 0) rr += 1 / (rank + 1);
    else misses.push(c.id);
  }
  const n = cases.length || 1;
  return { cases: cases.length, hit1: hit1 / n, hit5: hit5 / n, mrr: rr / n, misses };
}
