/**
 * Every word list of server/answer/lexicon.ts, each shown doing the one job its comment names, on
 * questions and sentences made up for the purpose (none is an eval question).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AFTER_NAME, ANAPHORA, EN_FORMS, EN_PLACE_HEADS, EN_POINTERS, EN_SLOT_CUES, FRAMING_WORDS, ORG_SUFFIXES, PLACE_SUFFIXES,
  REFUSAL_OPENINGS, RELATIVE_OCCURRENCE, SLOT_HEADS, SURNAMES, TITLES, UNIT_GROUPS, UNITS, ZH_DIGITS, ZH_FORMS, ZH_POINTERS, ZH_SLOT_CUES,
} from "../server/answer/lexicon.ts";
import { analyzeQuestion, type AnswerContext } from "../server/answer/analysis.ts";
import { orgs, persons, places, quantities } from "../server/answer/slots.ts";
import { segmenterFor } from "../vectors/segmenter.ts";

// No corpus: the stock segmenter and no statistics (what the lists do, not what the corpus adds).
const bare: AnswerContext = { seg: segmenterFor([]), chunks: [] };
const kinds = (q: string) => analyzeQuestion(q, bare).slots.map((s) => s.kind);
const terms = (q: string) => analyzeQuestion(q, bare).terms.map((t) => t.text);

test("ZH_SLOT_CUES: the asking phrases give the slots asked, in order, several in one question", () => {
  assert.deepEqual(kinds("港口扩建工程什么时候开工"), ["date"]);
  assert.deepEqual(kinds("这次论坛是在何时何地举办的"), ["date", "place"]);
  assert.deepEqual(kinds("谁负责编制这份规划"), ["person"]);
  assert.deepEqual(kinds("新建的物流园占地多少亩"), ["quantity"]);
  assert.deepEqual(kinds("博览会是第几届"), ["ordinal"]);
  // 在哪些 asks which ones, not where; 好几个 says "several".
  assert.deepEqual(kinds("要在哪些行业推广"), []);
  assert.deepEqual(kinds("办事要跑好几个窗口，这个怎么改"), []);
  assert.equal(ZH_SLOT_CUES.length > 0, true);
});

test("SLOT_HEADS: the noun after 哪个/哪些 decides the slot, whole, and a place's sort", () => {
  const city = analyzeQuestion("物流园建在哪个城市？", bare).slots[0];
  assert.equal(city.kind, "place");
  assert.equal(city.grain, "city");
  assert.equal(analyzeQuestion("由哪个部门牵头", bare).slots[0].kind, "org");
  assert.equal(analyzeQuestion("哪位专家作了报告", bare).slots[0].kind, "person");
  // 哪个国家级新区 asks for a new area: 国家 is not the head.
  assert.deepEqual(kinds("要建设哪个国家级新区"), []);
  assert.ok(SLOT_HEADS["城市"]);
});

test("EN_SLOT_CUES and EN_PLACE_HEADS: English asking phrases, also in a mixed question", () => {
  assert.deepEqual(kinds("When and where was the forum held?"), ["date", "place"]);
  const mixed = analyzeQuestion("Who spoke at the 全会?", bare);
  assert.equal(mixed.language, "en");
  assert.deepEqual(mixed.slots.map((s) => s.kind), ["person"]);
  assert.equal(analyzeQuestion("Which ports will be upgraded?", bare).slots[0].grain, "port");
  assert.ok(EN_SLOT_CUES.length && EN_PLACE_HEADS.city);
});

test("ZH_FORMS / EN_FORMS: lists, methods, reasons, definitions, yes/no and broad questions", () => {
  const list = analyzeQuestion("园区有哪些配套设施", bare);
  assert.ok(list.list && !list.broad, "哪些 + a noun asks the members of a category");
  assert.ok(analyzeQuestion("园区有哪些措施", bare).broad, "有哪些措施 asks broadly");
  assert.ok(analyzeQuestion("这项工程怎么推进", bare).how);
  assert.ok(analyzeQuestion("为什么要建设物流园", bare).why);
  assert.ok(analyzeQuestion("“双循环”是什么意思", bare).definition);
  // How a thing is positioned asks what it is, and the thing stays a topic term.
  const positioned = analyzeQuestion("规划是怎么给物流园区定位的", bare);
  assert.ok(positioned.definition && positioned.terms.some((t) => t.text.includes("物流")), JSON.stringify(positioned.terms.map((t) => t.text)));
  assert.ok(analyzeQuestion("论坛是不是在春天举办", bare).yesNo);
  assert.ok(analyzeQuestion("What does the province plan for ports?", bare).broad);
  assert.ok(ZH_FORMS.list && EN_FORMS.list);
  assert.ok(ZH_FORMS.which.test("园区要建哪个基地") && ZH_FORMS.which.test("落户哪一家企业") && !ZH_FORMS.which.test("园区有哪些配套设施"), "哪个/哪一家 ask which one");
  assert.ok(EN_FORMS.which.test("Which base will be built?"));
  assert.deepEqual(terms("园区要建哪个基地"), terms("园区要建基地"), "the asking words are no topic term");
});

test("FRAMING_WORDS: a polite or planning frame adds no topic term", () => {
  const plain = terms("物流园区扩建规划");
  for (const framed of ["我想知道，物流园区扩建规划", "请问物流园区扩建规划", "能不能讲讲物流园区扩建规划", "省里打算怎么搞物流园区扩建规划"])
    assert.deepEqual(terms(framed).filter((t) => t !== "省里"), plain, framed);
  assert.ok(FRAMING_WORDS.has("打算") && FRAMING_WORDS.has("please"));
  // 指 asks what a term refers to (“两改联动”具体指哪两改), as 解释 does: it is no topic word, however it is tagged.
  assert.ok(!terms("“两改联动”具体指哪两改").includes("指"));
  assert.deepEqual(terms("I'd like to know: what ports are planned?"), terms("What ports are planned?"));
  // A verb saying only that a meeting took place is no topic term, in either language.
  assert.deepEqual(terms("港口论坛在哪里举行"), terms("港口论坛在哪里"));
  assert.deepEqual(terms("Where was the port forum held?"), terms("Where was the port forum?"));
  assert.deepEqual(terms("When did the port forum take place?"), terms("When was the port forum?"), "take place frames; place is no topic");
});

test("ZH_POINTERS / EN_POINTERS: the words a follow-up leans on", () => {
  assert.ok(ZH_POINTERS.leading.test("那港口呢"));
  assert.ok(ZH_POINTERS.trailing.test("那港口呢？"));
  assert.ok(ZH_POINTERS.person.test("他还说了什么"));
  assert.ok(!ZH_POINTERS.person.test("其他方面"), "其他 is no pointer");
  assert.ok(ZH_POINTERS.thing.test("这些措施中哪项最重要"));
  assert.ok(!ZH_POINTERS.thing.test("应该如何推进"), "应该 is no pointer");
  assert.ok(EN_POINTERS.leading.test("What about ports?") && EN_POINTERS.pronoun.test("When did it open?"));
});

test("ANAPHORA: a sentence pointing back to the one before", () => {
  assert.ok(ANAPHORA.test("某研究员就这个问题进行讲解。"));
  assert.ok(ANAPHORA.test("会上，各地代表交流了经验。"));
  assert.ok(!ANAPHORA.test("物流园区扩建工程开工。"));
});

test("TITLES, SURNAMES, AFTER_NAME: names after a title or before a verb of the meeting", () => {
  assert.deepEqual(persons("会议由市长周明远主持。", { seg: bare.seg }), ["周明远"]);
  assert.deepEqual(persons("批准吴立新辞去委员职务。", { seg: bare.seg }), ["吴立新"]);
  assert.deepEqual(persons("要实施和工作好各项任务。", { seg: bare.seg }), [], "施和工 sits across words");
  assert.ok(TITLES.includes("市长") && SURNAMES.includes("周") && AFTER_NAME.includes("主持"));
});

test("PLACE_SUFFIXES: a proper stem with a place suffix is a place; a common one is not", () => {
  assert.ok(PLACE_SUFFIXES.includes("省"));
  // Without CC-CEDICT facts no stem is known to be proper, so nothing passes for a place by suffix alone.
  assert.deepEqual(places("加快建设交通强省。", { seg: bare.seg }), []);
});

test("ORG_SUFFIXES: bodies named by a multi-character suffix, not words ending in 局 or 部", () => {
  assert.deepEqual(orgs("省统计研究所发布了数据。", { seg: bare.seg }), ["省统计研究所"]);
  assert.deepEqual(orgs("要优化产业布局。", { seg: bare.seg }), [], "布局 is no bureau");
  assert.ok(ORG_SUFFIXES.includes("研究所"));
});

test("UNITS and ZH_DIGITS: figures with their units; ordinals and dates are no counts", () => {
  assert.deepEqual(quantities("新增就业岗位3000个，投资二十亿元。"), ["3000个", "二十亿元"]);
  assert.deepEqual(quantities("第十三届会议于10月27日举行。"), []);
  assert.deepEqual(quantities("出席会议的有87人。", ["人"]), ["87人"]);
  assert.ok(UNITS.includes("公里") && ZH_DIGITS.includes("两") && ZH_DIGITS.includes("亿"));
});

test("RELATIVE_OCCURRENCE: a question about the previous one needs the evidence to say so", () => {
  const [asks, says] = RELATIVE_OCCURRENCE[0];
  assert.ok(asks.test("上一次论坛是在哪里办的"));
  assert.ok(says.test("上一届论坛在北京举办。") && !says.test("本届论坛在北京举办。"));
  assert.ok(analyzeQuestion("上一次论坛是在哪里办的", bare).relative);
});

test("REFUSAL_OPENINGS: both refusal forms are recognised as refusals", () => {
  assert.ok(REFUSAL_OPENINGS.test("资料中没有找到“某问题”的答案。"));
  assert.ok(REFUSAL_OPENINGS.test("文件提到了物流园区，但没有给出具体金额[1]。"));
  assert.ok(REFUSAL_OPENINGS.test("The documents mention the park but do not give the figure[1]."));
  assert.ok(!REFUSAL_OPENINGS.test("根据资料：物流园区占地300亩。[1]"));
});

test("ITEM_JOINERS / CONJUNCTIONS: items split at 和/与/及/以及, never inside a compound; questions' sides also at 跟/同/还有", async () => {
  const { CONJUNCTIONS, ITEM_JOINERS, ITEM_JOINER_RE } = await import("../server/answer/lexicon.ts");
  assert.deepEqual("供热和灵活性".split(ITEM_JOINER_RE), ["供热", "灵活性"]);
  assert.deepEqual("中华民族共同体理论".split(ITEM_JOINER_RE), ["中华民族共同体理论"]);
  for (const j of ITEM_JOINERS) assert.ok(CONJUNCTIONS.includes(j), j);
  assert.ok(CONJUNCTIONS.includes("跟") && !(ITEM_JOINERS as readonly string[]).includes("跟"));
});

test("UNIT_GROUPS: a question's unit finds a figure counted in another unit of its group, and no other", () => {
  const units = (q: string) => analyzeQuestion(q, bare).slots[0]?.units ?? [];
  assert.deepEqual(quantities("出席会议的有代表120人，列席15人。", units("出席的代表有几位")), ["120人", "15人"]);
  assert.deepEqual(quantities("项目建设周期为3年，投资50亿元。", units("项目要建多久")), ["3年"]);
  assert.deepEqual(quantities("出席会议的有代表120人。", units("建了几座")), []);
  assert.ok(UNIT_GROUPS.every((g) => g.every((u) => UNITS.split("|").includes(u))), "every grouped unit is a unit");
});
