import { test } from "node:test";
import assert from "node:assert/strict";
import { assessEvidence } from "../server/answer/refusal.ts";
import { listsNumberedTerm, mentions } from "../server/answer/terms.ts";
import { hasEnumeration, questionKind } from "../server/answer/question-kind.ts";
import type { Glossary } from "../vectors/query-translation.ts";
import type { Citation } from "../server/answer/types.ts";

const passage = (quote: string, n = 1): Citation => ({
  n, chunkId: `c${n}`, articleId: "a", title: "测试文章", headingPath: ["测试文章"], quote, start: 0, end: quote.length,
});

test("a numbered label counts as mentioned when the text lists that many items with its head", () => {
  const five = "当前正处于难得的机遇期、政策的释放期、动能的集聚期、产业的关键期、发展的窗口期。";
  assert.ok(listsNumberedTerm(five, "五个期"));
  assert.ok(mentions(five, "五个期"));
  // Too few items, or items with another head, do not make the label.
  assert.ok(!listsNumberedTerm("正处于机遇期、释放期、窗口期。", "五个期"));
  assert.ok(!listsNumberedTerm("建设创新高地、开放枢纽、制造基地、农业强省、旅游名城、生态屏障。", "六地"));
  assert.ok(listsNumberedTerm("打造战略支撑地、创新策源地、制造新高地、农业先行地、文旅示范地、开放枢纽地。", "六地"));
  assert.ok(!listsNumberedTerm(five, "发展"));
});

test("哪“五个期” asks for a list, not a place", () => {
  const kind = questionKind("我们现在处在哪“五个期”");
  assert.equal(kind.asked, "fact");
  assert.equal(kind.enumerate, 5);
  assert.equal(questionKind("会议在哪里召开").asked, "place");
});

test("a list introduced by 即： after the term counts as enumerating it", () => {
  const text = "会议提出打造“四区”的目标，即：甲示范区、乙先行区、丙引领区、丁创新区。";
  assert.ok(hasEnumeration(text, 4, (c) => c.includes("四区")));
  // A long clause between the term and the list is not a lead-in.
  const far = "会议提出打造“四区”的目标，还要求各地认真学习领会会议精神：甲区、乙区、丙区、丁区。";
  assert.ok(!hasEnumeration(far, 4, (c) => c.includes("四区")));
});

test("an enumeration question is answered by a listing passage and refused by a mere mention", () => {
  const q = "“四区”具体指哪四个";
  const listing = [passage("会议提出打造“四区”的目标，即：甲示范区、乙先行区、丙引领区、丁创新区。")];
  assert.equal(assessEvidence(q, listing, undefined).answerable, true);
  const mention = [passage("会议提出打造“四区”的目标，要求各地抓好落实。")];
  assert.equal(assessEvidence(q, mention, undefined).answerable, false);
});

test("a sentence pointing back (就这个问题) stays on the subject of the sentence before it", () => {
  const q = "谁在第九次集体学习上进行讲解";
  const back = [passage("政治局今天进行第九次集体学习。总书记主持学习并讲话。某研究所所长王明同志就这个问题进行讲解。")];
  assert.equal(assessEvidence(q, back, undefined).answerable, true);
  // Without the pointer back, a name in an unrelated sentence is not about the session.
  const unrelated = [passage("政治局今天进行第九次集体学习。总书记主持学习并讲话。另据报道，王明同志近日到基层调研。")];
  assert.equal(assessEvidence(q, unrelated, undefined).answerable, false);
});

test("an English question's subject is judged on the words the passage itself renders", () => {
    // Loose renderings (full → 充分, provincial → 省级, members → 成员) that only another passage uses.
  const glossary: Glossary = {
    phrases: { attended: ["出席"], sixth: ["第六"], plenary: ["全会"], full: ["充分"], provincial: ["省级"], members: ["成员"] },
  };
  const q = "How many full provincial members attended the sixth plenary?";
  const passages = [
    passage("第六次全会于今日举行。出席这次全会的有，委员87人。", 1),
    passage("全会充分肯定了省级领导班子成员过去一年的工作。", 2),
  ];
  assert.equal(assessEvidence(q, passages, undefined, { glossary }).answerable, true);
  // No figure anywhere: still refused.
  const noFigure = [passage("第六次全会于今日举行。出席这次全会的有委员和候补委员。", 1), passages[1]];
  assert.equal(assessEvidence(q, noFigure, undefined, { glossary }).answerable, false);
});
