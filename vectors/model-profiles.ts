/**
 * How each known embedding model family wants to be used: pooling and the prefixes its training
 * put before queries and passages. Using a model without its prefix costs it real accuracy.
 */
export interface ModelProfile {
  pooling: "mean" | "cls";
  normalize: boolean;
  queryPrefix: string;
  passagePrefix: string;
}

const PROFILES: { match: RegExp; profile: ModelProfile }[] = [
  // BAAI bge Chinese models: CLS pooling, instruction before queries only.
  { match: /bge-.*-zh|bge-zh/i, profile: { pooling: "cls", normalize: true, queryPrefix: "为这个句子生成表示以用于检索相关文章：", passagePrefix: "" } },
  { match: /bge-m3/i, profile: { pooling: "cls", normalize: true, queryPrefix: "", passagePrefix: "" } },
  { match: /bge-/i, profile: { pooling: "cls", normalize: true, queryPrefix: "Represent this sentence for searching relevant passages: ", passagePrefix: "" } },
  // e5 family (incl. multilingual-e5-*): mean pooling, "query: " / "passage: ".
  { match: /(^|\/|-)e5-|multilingual-e5/i, profile: { pooling: "mean", normalize: true, queryPrefix: "query: ", passagePrefix: "passage: " } },
];

export const DEFAULT_PROFILE: ModelProfile = { pooling: "mean", normalize: true, queryPrefix: "", passagePrefix: "" };

export function profileFor(modelId: string): ModelProfile {
  return PROFILES.find((p) => p.match.test(modelId))?.profile ?? DEFAULT_PROFILE;
}
