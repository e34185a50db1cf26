import { test } from "node:test";
import assert from "node:assert/strict";
import { definesTerm, numberedTermQuestion, relativeOccurrence, statedNumbers, statesNumber } from "../server/answer/specifics.ts";
import { assessEvidence } from "../server/answer/refusal.ts";
import type { Citation } from "../server/answer/types.ts";

const passage = (quote: string, n = 1): Citation => ({
  n, chunkId: `c${n}`, articleId: "a", title: "测试文章", headingPath: ["测试文章"], quote, start: 0, end: quote.length,
});

test("stated figures and years are read from the question, ordinals are not", () => {
  assert.deepEqual(statedNumbers("What is the growth target for 2024?"), ["2024"]);
  assert.deepEqual(statedNumbers("the 15th National Winter Games in the 13th committee"), []);
  assert.ok(statesNumber("到2024年底", "2024"));
  assert.ok(statesNumber("二〇二四年", "2024"));
  assert.ok(!statesNumber("到20245年", "2024"));
});

test("a question about the previous or first occurrence needs evidence saying so", () => {
  const re = relativeOccurrence("上一次全国金融工作会议是哪一年召开的");
  assert.ok(re);
  assert.ok(!re.test("中央金融工作会议10月30日至31日在北京举行。"));
  assert.ok(re.test("上一次会议于2017年召开。"));
  assert.ok(relativeOccurrence("When was the previous conference held?"));
  assert.equal(relativeOccurrence("中央金融工作会议是什么时候召开的"), undefined);
});

test("a definition of a numbered term needs its items, not a mention", () => {
  assert.deepEqual(numberedTermQuestion("“两个确立”的具体内容是什么"), { term: "两个确立", count: 2 });
  assert.equal(numberedTermQuestion("红色“六地”和新时代“六地”是什么关系"), undefined);
  assert.equal(numberedTermQuestion("“压舱石”指什么"), undefined);
  assert.ok(!definesTerm("推动党员、干部深刻领悟“两个确立”的决定性意义", "两个确立", 2));
  assert.ok(!definesTerm("坚定拥护“两个确立”，坚决做到“两个维护”", "两个确立", 2));
  assert.ok(definesTerm("完善价格、补贴、保险“三位一体”的政策体系", "三位一体", 3));
  assert.ok(definesTerm("“两个确立”即确立甲的核心地位、确立乙的指导地位", "两个确立", 2));
});

test("the evidence check refuses a mention and accepts a definition", () => {
  const q = "“三个统筹”的具体内容是什么";
  const mention = [passage("要深刻把握“三个统筹”的重大意义，坚定推进各项工作。")];
  const listing = [passage("“三个统筹”是指统筹发展和安全、统筹开放和安全、统筹传统安全和非传统安全。")];
  assert.equal(assessEvidence(q, mention, undefined).answerable, false);
  assert.equal(assessEvidence(q, listing, undefined).answerable, true);
  const year = "2030年全省风电装机目标是多少";
  assert.equal(assessEvidence(year, [passage("到2025年，全省风电装机达到3000万千瓦。")], undefined).answerable, false);
  assert.equal(assessEvidence(year, [passage("到2030年，全省风电装机达到5000万千瓦。")], undefined).answerable, true);
});
