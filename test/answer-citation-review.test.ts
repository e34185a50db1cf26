/**
 * The check a model's finished answer gets (citation-review.ts), on made-up answers over made-up
 * passages: markers moved to their sentence's end, lines labelled by a marker, unmarked sentences given
 * the passage most like them, unsupported ones left uncited, numbering in order of first use, and the
 * share that decides the extractive fallback. English sentences are judged through the real index's glossary.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MarkerFilter } from "../server/answer/citations.ts";
import { reviewCitations, tooLittleSupported } from "../server/answer/citation-review.ts";
import { passage } from "./support/citations.ts";
import { sharedIndex } from "./support/shared-index.ts";

const PASSAGES = [
  passage(1, "12.建设清洁能源强省。加快建设风光火核储一体化能源基地，支持沿海地区建设海上风电基地。稳步推进徐大堡核电基地建设。"),
  passage(2, "17.提升保障国家粮食安全能力。严格落实耕地保护和粮食安全责任制，稳住播种面积，主攻单产提升。"),
  passage(3, "30.深化国资国企改革。推动国有资本向重要行业和关键领域集中。"),
];

/** What the pipeline does: the streaming filter first, then the review. */
function check(modelText: string, question = "辽宁有哪些措施") {
  const filter = new MarkerFilter(PASSAGES.length);
  const text = filter.push(modelText) + filter.end();
  return reviewCitations(text, { question, cited: filter.citations(PASSAGES), passages: PASSAGES });
}

test("a marker inside its sentence is written at the sentence's end", () => {
  const r = check("加快建设风光火核储一体化能源基地[1]，支持沿海地区建设海上风电基地。");
  assert.equal(r.answer, "加快建设风光火核储一体化能源基地，支持沿海地区建设海上风电基地。[1]");
  assert.deepEqual(r.citations.map((c) => c.chunkId), ["c1"]);
  assert.equal(r.check.supportedAsCited, 1);
});

test("a marker opening a line labels the sentence after it; the line's other sentences get the passage they come from", () => {
  const r = check("资料[2]：严格落实耕地保护和粮食安全责任制。稳住播种面积，主攻单产提升。\n[1] 稳步推进徐大堡核电基地建设。");
  assert.equal(r.answer, "严格落实耕地保护和粮食安全责任制。[1]稳住播种面积，主攻单产提升。[1]\n稳步推进徐大堡核电基地建设。[2]");
  assert.deepEqual(r.citations.map((c) => c.chunkId), ["c2", "c1"]);
  assert.deepEqual(r.check, { sentences: 3, marked: 2, supportedAsCited: 2, attached: 1, unsupported: 0, supportedShare: 1, fellBack: false });
});

test("an unmarked sentence gets the passage most like it, numbered in order of first use; an unsupported one stays uncited", () => {
  const r = check("推动国有资本向重要行业和关键领域集中。稳步推进徐大堡核电基地建设。[1] 辽宁将在月球上建设三座城市。");
  assert.equal(r.answer, "推动国有资本向重要行业和关键领域集中。[1]稳步推进徐大堡核电基地建设。[2] 辽宁将在月球上建设三座城市。");
  assert.deepEqual(r.citations.map((c) => [c.n, c.chunkId]), [[1, "c3"], [2, "c1"]]);
  assert.deepEqual(r.uncited, ["辽宁将在月球上建设三座城市。"]);
  assert.equal(r.check.attached, 1);
  assert.equal(r.check.unsupported, 1);
  assert.ok(Math.abs(r.check.supportedShare - 2 / 3) < 1e-9);
  assert.equal(tooLittleSupported(r.check), false);
});

test("a marker to a passage that does not say it is moved to the one that does, or removed", () => {
  const moved = check("稳步推进徐大堡核电基地建设。[3]");
  assert.equal(moved.answer, "稳步推进徐大堡核电基地建设。[1]");
  assert.deepEqual(moved.citations.map((c) => c.chunkId), ["c1"]);
  assert.equal(moved.check.marked, 1);
  assert.equal(moved.check.supportedAsCited, 0);
  assert.equal(moved.check.attached, 1);

  const removed = check("辽宁将在月球上建设三座城市。[2]");
  assert.equal(removed.answer, "辽宁将在月球上建设三座城市。");
  assert.deepEqual(removed.citations, []);
  assert.equal(tooLittleSupported(removed.check), true);
});

test("junk is not supported: loops, digits going round, markers to nothing; an echo of the question is no claim", () => {
  const loop = check("《关于建设海上风电基地的意见》、".repeat(12) + "[1]");
  assert.equal(loop.check.unsupported, 1, "a title listed twelve times says little, however often its bigrams match");
  const digits = check("[1] 10.10.10.10.10.10.10.10.10.10.10.10.10.10.10.10.10.10");
  assert.equal(digits.check.supportedShare, 0);
  const nothing = check("Lorem ipsum dolor sit amet. [9][12]");
  assert.deepEqual(nothing.citations, []);
  assert.equal(tooLittleSupported(nothing.check), true);

  const echo = check("辽宁清洁能源强省有哪些措施。\n稳步推进徐大堡核电基地建设。[1]", "辽宁清洁能源强省有哪些措施");
  assert.equal(echo.check.sentences, 1, "the restated question is not counted");
  assert.equal(echo.check.supportedShare, 1);
});

test("lead lines and list bullets are kept; each point is checked on its own", () => {
  const r = check("主要措施如下：\n- 加快建设风光火核储一体化能源基地。[1]\n- 主攻单产提升[2]。\n- 建设月球城市。");
  assert.equal(r.answer, "主要措施如下：\n- 加快建设风光火核储一体化能源基地。[1]\n- 主攻单产提升。[2]\n- 建设月球城市。");
  assert.equal(r.check.sentences, 3);
  assert.deepEqual(r.uncited, ["建设月球城市。"]);
});

test("an English sentence is supported through the index's glossary", async () => {
  const index = await sharedIndex();
  const passages = [passage(1, PASSAGES[0].quote), passage(2, PASSAGES[1].quote)];
  const review = (text: string) => {
    const filter = new MarkerFilter(passages.length);
    const filtered = filter.push(text) + filter.end();
    return reviewCitations(filtered, { question: "What are the measures?", cited: filter.citations(passages), passages, glossary: index.glossary, chunks: index.core.chunks });
  };
  const r = review("Coastal areas are supported in building offshore wind power bases. [2]");
  assert.equal(r.answer, "Coastal areas are supported in building offshore wind power bases. [1]", "moved to the passage that says it");
  assert.equal(r.citations[0].chunkId, "c1");
  assert.equal(review("The moon will get three new cities and a train to Mars. [1]").check.unsupported, 1);
});
