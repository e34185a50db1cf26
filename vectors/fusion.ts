/**
 * Reciprocal Rank Fusion (Cormack et al. 2009) of ranked lists, with a weight per list:
 *   score(d) = Σ_list weight / (k0 + rank_list(d))
 * Scores of different signals are not comparable; ranks are.
 */
import type { FusionWeights } from "./types.ts";

export type { FusionWeights };

export const DEFAULT_FUSION: FusionWeights = { dense: 1, bm25: 1, k0: 60 };

export interface Fused {
  id: string;
  score: number;
  ranks: { dense?: number; bm25?: number };
}

/** Lists are ids best first (duplicates after the first occurrence are ignored). */
export function reciprocalRankFusion(lists: { dense: readonly string[]; bm25: readonly string[] }, w: FusionWeights = DEFAULT_FUSION): Fused[] {
  const fused = new Map<string, Fused>();
  for (const signal of ["dense", "bm25"] as const) {
    const weight = w[signal];
    lists[signal].forEach((id, i) => {
      let f = fused.get(id);
      if (!f) fused.set(id, (f = { id, score: 0, ranks: {} }));
      if (f.ranks[signal] !== undefined) return;
      f.ranks[signal] = i + 1;
      f.score += weight / (w.k0 + i + 1);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b));
}

function bestRank(f: Fused): number {
  return Math.min(f.ranks.dense ?? Infinity, f.ranks.bm25 ?? Infinity);
}

/** Parses "dense=0.5,bm25=1,k0=60" (HYBRID_WEIGHTS); unknown or bad parts are ignored. */
export function parseFusionWeights(spec: string | undefined, base: FusionWeights = DEFAULT_FUSION): FusionWeights {
  const w = { ...base };
  for (const part of (spec ?? "").split(/[,;\s]+/)) {
    const m = /^(dense|bm25|k0)\s*[=:]\s*([0-9.]+)$/.exec(part.trim());
    if (m && Number.isFinite(Number(m[2]))) w[m[1] as keyof FusionWeights] = Number(m[2]);
  }
  return w;
}
