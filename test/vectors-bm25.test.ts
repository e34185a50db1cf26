/** BM25 and the Chinese keyword tokens it indexes: edge cases and the matching users rely on. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Bm25Index } from "../vectors/bm25.ts";
import { lexicalTokens } from "../vectors/lexical-tokens.ts";
import { learnCorpusTerms, segmenterFor } from "../vectors/segmenter.ts";

const seg = segmenterFor([]);
const docs = [
  "12.建设清洁能源强省。积极发挥清洁能源在保障安全、降碳减排中的作用，推进风光火核储一体化发展。",
  "22.加快建设东北海陆大通道。优化中欧班列开行路线，加强与全球主要经济体的通道联系。",
  "27.完善生育支持政策。持续降低生育、养育、教育成本。",
];
const index = Bm25Index.build(docs.map((d) => lexicalTokens(seg, d)));
const search = (q: string) => index.search(lexicalTokens(seg, q), 10);

test("an empty query, a query of only question words and a query of unseen terms return nothing", () => {
  assert.deepEqual(search(""), []);
  assert.deepEqual(lexicalTokens(seg, "有哪些？是什么，如何、吗"), []);
  assert.deepEqual(search("请问有哪些是什么"), []);
  assert.deepEqual(search("量子计算机"), []);
  assert.deepEqual(search("   "), []);
});

test("question words weigh nothing: adding them does not change the ranking or the scores", () => {
  const plain = search("清洁能源强省措施");
  const asked = search("清洁能源强省有哪些措施？");
  assert.deepEqual(asked, plain);
  assert.equal(plain[0].doc, 0);
});

test("character bigrams match what jieba splits differently: 强省, 风光火核储, 中欧班列", () => {
  assert.equal(search("强省")[0]?.doc, 0);
  assert.equal(search("风光火核储")[0]?.doc, 0);
  assert.equal(search("中欧班列")[0]?.doc, 1);
  // no bigram straddles a stopword: 省有 / 有哪 never become terms
  const tokens = lexicalTokens(seg, "强省有哪些措施");
  assert.ok(!tokens.includes("省有") && !tokens.includes("有哪"), tokens.join(" "));
});

test("ASCII words are lowercased and matched", () => {
  const idx = Bm25Index.build([lexicalTokens(seg, "推进5G网络建设"), lexicalTokens(seg, "建设GDP统计")]);
  assert.equal(idx.search(lexicalTokens(seg, "gdp"), 5)[0]?.doc, 1);
});

test("scores rank rarer matching terms higher, and the index round-trips through JSON", () => {
  const hits = search("生育 建设");
  assert.equal(hits[0].doc, 2, "生育 occurs in one passage only, 建设 in two");
  const copy = Bm25Index.fromJSON(JSON.parse(JSON.stringify(index.toJSON())));
  assert.deepEqual(copy.search(lexicalTokens(seg, "中欧班列 生育"), 5), index.search(lexicalTokens(seg, "中欧班列 生育"), 5));
  assert.throws(() => Bm25Index.fromJSON({} as never));
});

test("the corpus teaches jieba its own terms: quoted terms and recurring heading phrases", () => {
  const texts = ["促进“一圈一带两区”区域协调发展。加快形成新质生产力。", "新质生产力是关键。“一圈一带两区”建设提速。"];
  const terms = learnCorpusTerms(texts, ["8.加快形成新质生产力"]);
  assert.ok(terms.includes("一圈一带两区"), terms.join(" "));
  assert.ok(terms.includes("新质生产力"), terms.join(" "));
  const learned = segmenterFor(terms);
  assert.ok(learned.cut("加快形成新质生产力").includes("新质生产力"));
  assert.ok(!seg.cut("加快形成新质生产力").includes("新质生产力"), "the stock dictionary splits it");
});
