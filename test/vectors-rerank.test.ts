/**
 * Reranking with a cross-encoder folder (RERANKER_MODEL) through the same transformers.js loading.
 * No real cross-encoder can be downloaded here, so the test writes a tiny one: a BERT-style
 * sequence-classification ONNX graph whose logit counts the query's words found in the passage
 * (OneHot over a small vocabulary, query and passage told apart by token_type_ids).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import onnxProto from "onnx-proto";
import { sharedIndex } from "./support/shared-index.ts";
import { openSearchIndex } from "../vectors/search-index.ts";
import { CrossEncoder } from "../vectors/reranker.ts";
import { ModelTokenizer, PAD, UNK } from "../vectors/corpus-model/model-tokenizer.ts";
import { readSettings } from "../config/settings.ts";

const { onnx } = onnxProto;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vectors-rerank-"));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const WORDS = ["中欧班列", "海陆大通道", "清洁能源", "海上风电", "生育"];

function writeTinyCrossEncoder(root: string, id: string): ModelTokenizer {
  const chars = [...new Set(WORDS.join(""))];
  const tokenizer = new ModelTokenizer([PAD, UNK, ...WORDS, ...chars]);
  const V = tokenizer.vocab.length;
  const dir = path.join(root, id);
  fs.mkdirSync(path.join(dir, "onnx"), { recursive: true });
  const json = tokenizer.toTokenizerJson() as Record<string, unknown>;
  json.post_processor = {
    type: "TemplateProcessing",
    single: [{ Sequence: { id: "A", type_id: 0 } }],
    pair: [{ Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
    special_tokens: {},
  };
  fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify(ModelTokenizer.tokenizerConfig()));
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ model_type: "bert", architectures: ["BertForSequenceClassification"], num_labels: 1, id2label: { 0: "LABEL_0" }, label2id: { LABEL_0: 0 } }));

  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const INT = onnx.AttributeProto.AttributeType.INT;
  const INTS = onnx.AttributeProto.AttributeType.INTS;
  const tensor = (name: string, dataType: number, dims: number[], data: number[]) =>
    onnx.TensorProto.create({ name, dataType, dims, ...(dataType === F ? { floatData: data } : { int64Data: data }) });
  const io = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  });
  const node = (opType: string, input: string[], output: string, attribute: object[] = []) => ({ opType, input, output: [output], name: output, attribute });
  const weights = tokenizer.vocab.map((t) => (WORDS.includes(t) ? 1 : 0));
  const graph = onnx.GraphProto.create({
    name: "tiny_cross_encoder",
    initializer: [
      tensor("depth", I64, [1], [V]),
      tensor("onehot_values", F, [2], [0, 1]),
      tensor("word_weights", F, [V], weights),
      tensor("axis_last", I64, [1], [-1]),
      tensor("axis_seq", I64, [1], [1]),
    ],
    input: [io("input_ids", I64, ["b", "t"]), io("attention_mask", I64, ["b", "t"]), io("token_type_ids", I64, ["b", "t"])],
    output: [io("logits", F, ["b", 1])],
    node: [
      node("OneHot", ["input_ids", "depth", "onehot_values"], "onehot", [{ name: "axis", type: INT, i: -1 }]),
      node("Cast", ["attention_mask"], "mask", [{ name: "to", type: INT, i: F }]),
      node("Cast", ["token_type_ids"], "types", [{ name: "to", type: INT, i: F }]),
      node("Mul", ["mask", "types"], "passage_mask"),
      node("Sub", ["mask", "passage_mask"], "query_mask"),
      node("Unsqueeze", ["passage_mask", "axis_last"], "passage_mask3"),
      node("Unsqueeze", ["query_mask", "axis_last"], "query_mask3"),
      node("Mul", ["onehot", "passage_mask3"], "passage_onehot"),
      node("Mul", ["onehot", "query_mask3"], "query_onehot"),
      node("ReduceSum", ["passage_onehot", "axis_seq"], "passage_counts", [{ name: "keepdims", type: INT, i: 0 }]),
      node("ReduceMax", ["query_onehot"], "query_has", [{ name: "axes", type: INTS, ints: [1] }, { name: "keepdims", type: INT, i: 0 }]),
      node("Mul", ["passage_counts", "query_has"], "overlap"),
      node("Mul", ["overlap", "word_weights"], "weighted"),
      node("ReduceSum", ["weighted", "axis_last"], "logits", [{ name: "keepdims", type: INT, i: 1 }]),
    ],
  });
  const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: "", version: 13 }], graph });
  fs.writeFileSync(path.join(dir, "onnx", "model.onnx"), onnx.ModelProto.encode(model).finish());
  return tokenizer;
}

const modelsDir = path.join(tmp, "models");
const RERANKER = "test-org/tiny-cross-encoder";
writeTinyCrossEncoder(modelsDir, RERANKER);

test("the cross-encoder scores query–passage pairs through transformers.js", async () => {
  const ce = await CrossEncoder.load({ id: RERANKER, root: modelsDir, allowRemote: false });
  const scores = await ce.score("中欧班列和海陆大通道", ["优化中欧班列开行路线，中欧班列集结中心", "建设海陆大通道", "完善生育支持政策"]);
  assert.deepEqual(scores, [2, 1, 0]);
  await ce.dispose();
});

test("rerank mode reorders the hybrid candidates by the cross-encoder's scores", async () => {
  const shared = await sharedIndex();
  const settings = { ...readSettings({}).embedding, modelsDir, reranker: RERANKER };
  const index = await openSearchIndex(shared.dir, { settings, log: (m) => assert.fail(m) });
  const query = "海上风电 清洁能源";
  const reranked = await index.search(query, { k: 5, mode: "rerank" });
  const hybrid = await index.search(query, { k: 20, mode: "hybrid" });
  const count = (text: string) => ["海上风电", "清洁能源"].reduce((n, w) => n + text.replace(/\s+/g, "").split(w).length - 1, 0);
  // The passage with the most occurrences of the query's words among the hybrid candidates comes first.
  const best = Math.max(...hybrid.map((h) => count(`${h.chunk.headingPath.join(" › ")}\n${h.chunk.text}`)));
  assert.equal(reranked[0].score, best);
  assert.ok(reranked.every((h, i) => i === 0 || reranked[i - 1].score >= h.score));
  assert.ok(reranked.every((h) => hybrid.some((x) => x.chunk.id === h.chunk.id)), "rerank only reorders the hybrid candidates");
});

test("a configured but missing reranker is reported and rerank falls back to the hybrid order", async () => {
  const shared = await sharedIndex();
  const messages: string[] = [];
  const settings = { ...readSettings({}).embedding, modelsDir, reranker: "BAAI/bge-reranker-absent" };
  const index = await openSearchIndex(shared.dir, { settings, log: (m) => messages.push(m) });
  assert.match(messages.join("\n"), /bge-reranker-absent.*not found: looked in .*BAAI\/bge-reranker-absent/);
  const q = "中欧班列";
  assert.deepEqual(
    (await index.search(q, { mode: "rerank" })).map((h) => h.chunk.id),
    (await index.search(q, { mode: "hybrid" })).map((h) => h.chunk.id),
  );
});
