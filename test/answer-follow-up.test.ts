/** Follow-up questions rewritten into standalone ones by rule (no model configured). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isFollowUp, rewriteByRule } from "../server/answer/follow-up.ts";
import type { ChatTurn } from "../server/answer/types.ts";

const history = (...questions: string[]): ChatTurn[] =>
  questions.flatMap((q) => [
    { role: "user" as const, content: q },
    { role: "assistant" as const, content: "根据资料……。[1]" },
  ]);

test("那……呢 keeps the previous question's frame with the new topic", () => {
  const q = rewriteByRule("那粮食安全呢？", history("辽宁建设现代化海洋牧场有哪些措施"));
  assert.match(q, /粮食安全/);
  assert.match(q, /有哪些措施/);
  assert.doesNotMatch(q, /海洋牧场/);
});

test("a chain of follow-ups resolves against the last standalone question", () => {
  const q = rewriteByRule("那海洋经济呢？", history("辽宁建设现代化海洋牧场有哪些措施", "那粮食安全呢？"));
  assert.match(q, /海洋经济/);
  assert.match(q, /有哪些措施/);
  assert.doesNotMatch(q, /粮食|海洋牧场/);
});

test("这些措施 and 他 are replaced by what the previous question was about", () => {
  const q1 = rewriteByRule("这些措施中哪项涉及核电？", history("辽宁建设现代化海洋牧场有哪些措施"));
  assert.match(q1, /海洋牧场/);
  assert.match(q1, /核电/);
  const q2 = rewriteByRule("他还说了什么", history("习近平在中央政治局第九次集体学习时强调了什么"));
  assert.match(q2, /习近平/);
  assert.match(q2, /集体学习/);
});

test("English 'what about' swaps the topic of the previous question", () => {
  const q = rewriteByRule("What about food security?", history("What measures does Liaoning take for clean energy?"));
  assert.match(q, /food security/);
  assert.match(q, /measures/);
  assert.doesNotMatch(q, /clean energy/);
});

test("self-contained questions, and any question without history, are left alone", () => {
  const h = history("辽宁建设现代化海洋牧场有哪些措施");
  assert.equal(isFollowUp("辽宁如何推进美丽乡村建设？", h), false);
  assert.equal(rewriteByRule("辽宁如何推进美丽乡村建设？", h), "辽宁如何推进美丽乡村建设？");
  assert.equal(isFollowUp("那粮食安全呢？", []), false);
  assert.equal(rewriteByRule("那粮食安全呢？", []), "那粮食安全呢？");
});

test("应该, 尤其 and 其他 are not taken for references to the previous turn", () => {
  const h = history("辽宁建设现代化海洋牧场有哪些措施");
  for (const q of ["辽宁应该如何推进国资国企改革", "辽宁尤其重视哪些新兴产业", "辽宁推动其他服务业发展的要求是什么"]) {
    assert.equal(rewriteByRule(q, h), q);
  }
});

const turns = (user: string, assistant: string): ChatTurn[] => [
  { role: "user", content: user },
  { role: "assistant", content: assistant },
];

test("他 after a who-question is the person the previous answer named, not the question's topic", () => {
  const h = turns("物流论坛的开幕式是谁主持的", "根据《国际物流论坛在大连举行》：市长周明远主持开幕式。[1]");
  assert.equal(rewriteByRule("他在哪个部门任职？", h), "周明远在哪个部门任职？");
  // A title before the name works too; nothing else of the answer travels with the question.
  const t = rewriteByRule("他强调了什么？", turns("省委全会由谁主持", "省委书记郝鹏主持会议并讲话。[1]"));
  assert.equal(t, "郝鹏强调了什么？");
});

test("an answer's names are used only when the previous question asked who", () => {
  const h = turns("习近平在集体学习时强调了什么", "王延中同志就这个问题进行讲解。[1]");
  const q = rewriteByRule("他还说了什么", h);
  assert.match(q, /习近平/);
  assert.doesNotMatch(q, /王延中/);
  // A refusal names no one.
  const r = rewriteByRule("他在哪个部门任职？", turns("会议由谁主持", "资料中没有找到“会议由谁主持”的答案。"));
  assert.doesNotMatch(r, /^资料/);
  assert.match(r, /会议由谁主持/);
});

test("它/该 after a definition question is the thing defined", () => {
  const h = turns("通道经济是什么意思", "通道经济是指依托通道发展的经济形态。[1]");
  assert.equal(rewriteByRule("该如何推动？", h), "通道经济如何推动？");
  assert.equal(rewriteByRule("它有哪些特点？", turns("什么是新质生产力", "新质生产力是……[1]")), "新质生产力有哪些特点？");
});

test("a mixed English follow-up is read as English, as the language detector says (not by any Han character)", () => {
  const h = history("What did the conference say about ports?");
  assert.equal(isFollowUp("And what about 港口 fees?", h), true, "English pointers apply to a mixed question");
  const q = rewriteByRule("What about the 全会?", h);
  assert.match(q, /全会/);
  assert.match(q, /^What did the conference say about/, q);
});

test("a swapped topic keeps the verb the previous question built it with", () => {
  assert.equal(rewriteByRule("那物流园区呢？", history("辽宁怎么建设开发区")), "辽宁怎么建设物流园区？");
});

test("a question with only a verb of its own asks about the previous question's subject", () => {
  const h = history("港口论坛在哪里举办");
  assert.ok(isFollowUp("谁主持的？", h));
  assert.match(rewriteByRule("谁主持的？", h), /港口论坛/);
});

test("a follow-up with its own asking words keeps them, in the previous scope, framing clause or not", () => {
  const h = history("辽宁怎么发展冰雪旅游");
  for (const q of ["那港口方面有什么规划？", "我想知道，那港口方面有什么规划？"]) assert.equal(rewriteByRule(q, h), "辽宁港口方面有什么规划？", q);
});

test("a question made only of words most passages use (a place, 跟着, 推进) goes on from the previous question, however many", async () => {
  const { sharedIndex } = await import("./support/shared-index.ts");
  const index = await sharedIndex();
  const h = history("中央对发展冰雪经济提了什么要求");
  assert.ok(isFollowUp("辽宁省里有没有跟着推进？", h, index));
  assert.ok(!isFollowUp("辽宁怎么发展海洋经济？", h, index), "a telling word of its own stands alone");
});
