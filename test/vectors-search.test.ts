/**
 * Retrieval on the real corpus (one index built by the ingest, shared by the test run): the
 * questions users ask find the right numbered item, in every mode the API offers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedIndex } from "./support/shared-index.ts";
import { openSearchIndex } from "../vectors/search-index.ts";
import { readSettings } from "../config/settings.ts";
import { itemKey } from "../vectors/item-groups.ts";
import type { SearchHit } from "../vectors/types.ts";

const OPINION = /中共辽宁省委关于.*的意见/;

function describe(hits: SearchHit[]): string {
  return hits.map((h, i) => `${i + 1}. ${h.chunk.headingPath.at(-1)?.slice(0, 24)}`).join(" | ");
}

function isOpinionItem(h: SearchHit, no: string): boolean {
  return OPINION.test(h.chunk.title) && h.chunk.itemNo === no;
}

test("辽宁清洁能源强省有哪些措施 → the opinion's item 12 first", async () => {
  const index = await sharedIndex();
  const hits = await index.search("辽宁清洁能源强省有哪些措施", { k: 5 });
  assert.ok(isOpinionItem(hits[0], "12"), describe(hits));
  assert.match(hits[0].chunk.headingPath.at(-1) ?? "", /建设清洁能源强省/);
  assert.equal(hits[0].ranks.bm25, 1);
  assert.ok(hits[0].ranks.dense !== undefined, "the dense signal ranked it too");
});

test("中欧班列 → the opinion's item 22 in the top 3, in hybrid, BM25 and dense modes", async () => {
  const index = await sharedIndex();
  for (const mode of ["hybrid", "bm25", "dense"] as const) {
    const hits = await index.search("中欧班列", { k: 3, mode });
    assert.ok(hits.slice(0, 3).some((h) => isOpinionItem(h, "22")), `${mode}: ${describe(hits)}`);
  }
});

test("the same numbered item is never returned twice, and split parts can be merged back verbatim", async () => {
  const index = await sharedIndex();
  const split = index.core.chunks.find((c) => c.part && c.part.of > 1);
  assert.ok(split, "the corpus has long items split in parts");
  const siblings = index.core.chunks.filter((c) => itemKey(c) === itemKey(split));
  const query = split.headingPath.at(-1)!.replace(/^\d+\./, "");
  for (const mode of ["hybrid", "bm25", "dense"] as const) {
    const hits = await index.search(query, { k: 20, mode });
    const keys = hits.map((h) => itemKey(h.chunk));
    assert.equal(new Set(keys).size, keys.length, `${mode}: duplicate item in ${describe(hits)}`);
  }
  const [merged] = await index.search(query, { k: 1, mergeParts: true });
  assert.equal(itemKey({ ...merged.chunk, part: split.part }), itemKey(split));
  const article = index.article(merged.chunk.articleId)!;
  assert.equal(article.text.slice(merged.chunk.start, merged.chunk.end), merged.chunk.text);
  assert.equal(merged.chunk.start, Math.min(...siblings.map((c) => c.start)));
  assert.equal(merged.chunk.end, Math.max(...siblings.map((c) => c.end)));
});

test("results carry the passage verbatim, ranks per signal, and respect k", async () => {
  const index = await sharedIndex();
  const hits = await index.search("数字金融五篇大文章", { k: 7 });
  assert.equal(hits.length, 7);
  for (const h of hits) {
    const article = index.article(h.chunk.articleId)!;
    assert.equal(article.text.slice(h.chunk.start, h.chunk.end), h.chunk.text);
    assert.equal(index.chunk(h.chunk.id), h.chunk);
    assert.ok(h.ranks.dense !== undefined || h.ranks.bm25 !== undefined);
  }
  assert.ok(hits.every((h, i) => i === 0 || hits[i - 1].score >= h.score), "best first");
  assert.equal((await index.search("金融", { k: 500 })).length, Math.min(50, index.core.chunks.length));
  assert.deepEqual(await index.search("   "), []);
  assert.deepEqual(await index.search("有哪些是什么", { mode: "bm25" }), []);
});

test("the retriever is a LangChain BaseRetriever whose Documents carry the chunk", async () => {
  const index = await sharedIndex();
  const docs = await index.retriever({ k: 3 }).invoke("中欧班列");
  assert.equal(docs.length, 3);
  assert.equal(docs[0].pageContent, docs[0].metadata.chunk.text);
  assert.equal(docs[0].metadata.chunkId, docs[0].metadata.chunk.id);
  assert.ok(docs.some((d) => d.metadata.itemNo === "22"));
});

test("English question, offline: dictionary translation lets the keyword search find the article", async () => {
  const index = await sharedIndex();
  const hits = await index.search("What does Liaoning plan for offshore wind power in coastal areas?", { k: 5 });
  assert.ok(hits.some((h) => h.chunk.text.replace(/\s+/g, "").includes("海上风电")), describe(hits));
});

test("the glossary the index loaded is exposed: English words map to words of the corpus", async () => {
  const index = await sharedIndex();
  const wind = index.glossary?.phrases["wind power"] ?? index.glossary?.phrases["wind"];
  assert.ok(wind?.length, `glossary entries: ${Object.keys(index.glossary?.phrases ?? {}).length}`);
  assert.ok(wind.some((w) => index.core.chunks.some((c) => c.text.includes(w))), wind.join(","));
});

test("close() waits for the search in progress, then releases the models; later searches answer by keywords", async () => {
  const index = await openSearchIndex((await sharedIndex()).dir, { settings: readSettings({}).embedding });
  const running = index.search("辽宁清洁能源强省有哪些措施", { k: 5 });
  const closed = index.close();
  const hits = await running;
  assert.ok(hits[0].ranks.dense !== undefined, "the search begun before close used the dense signal");
  await closed;
  await index.close(); // idempotent
  const after = await index.search("辽宁清洁能源强省有哪些措施", { k: 5 });
  assert.ok(isOpinionItem(after[0], "12"), describe(after));
  assert.ok(after.every((h) => h.ranks.dense === undefined), "no dense signal once closed");
  assert.deepEqual(await index.search("中欧班列", { mode: "dense" }), []);
});
