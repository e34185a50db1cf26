/** Reciprocal Rank Fusion of the dense and BM25 lists, and its configuration (HYBRID_WEIGHTS). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFusionWeights, reciprocalRankFusion, DEFAULT_FUSION } from "../vectors/fusion.ts";

test("a passage both signals rank well beats one that only a single signal likes", () => {
  const fused = reciprocalRankFusion({ dense: ["a", "b", "c"], bm25: ["d", "b", "c"] });
  assert.deepEqual(fused.map((f) => f.id), ["b", "c", "a", "d"]);
  assert.deepEqual(fused[0].ranks, { dense: 2, bm25: 2 });
  assert.deepEqual(fused.find((f) => f.id === "d")?.ranks, { bm25: 1 });
  assert.equal(new Set(fused.map((f) => f.id)).size, fused.length, "each passage once");
});

test("weights decide which signal leads; duplicates inside one list count once", () => {
  const lists = { dense: ["x", "x", "y"], bm25: ["y", "x"] };
  assert.equal(reciprocalRankFusion(lists, { dense: 1, bm25: 0.1, k0: 5 })[0].id, "x");
  assert.equal(reciprocalRankFusion(lists, { dense: 0.1, bm25: 1, k0: 5 })[0].id, "y");
  const x = reciprocalRankFusion(lists, { dense: 1, bm25: 0, k0: 5 }).find((f) => f.id === "x")!;
  assert.equal(x.score, 1 / 6);
  assert.deepEqual(reciprocalRankFusion({ dense: [], bm25: [] }), []);
});

test("HYBRID_WEIGHTS parses, ignoring what it does not understand", () => {
  assert.deepEqual(parseFusionWeights("dense=0.5, bm25=2;k0:10"), { dense: 0.5, bm25: 2, k0: 10 });
  assert.deepEqual(parseFusionWeights("dense=abc,rerank=3,bm25=0.7"), { ...DEFAULT_FUSION, bm25: 0.7 });
  assert.deepEqual(parseFusionWeights(undefined), DEFAULT_FUSION);
});
