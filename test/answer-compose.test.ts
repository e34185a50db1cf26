/**
 * The extractive composer and the refusal check on passages built here (the real corpus is
 * exercised in answer-corpus.test.ts): verbatim sentences with their [n], lists for 有哪些,
 * refusal when the asked-for figure or date is absent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { composeExtractive } from "../server/answer/extractive.ts";
import { assessEvidence, refusalText } from "../server/answer/refusal.ts";
import { questionKind } from "../server/answer/question-kind.ts";
import { phraseCoverage } from "../server/answer/phrase.ts";
import { mentions, questionTerms } from "../server/answer/terms.ts";
import type { Citation } from "../server/answer/types.ts";
import type { Chunk } from "../vectors/types.ts";
import { sentenceBounds } from "../text/sentences.ts";

const p = (n: number, heading: string, quote: string): Citation => ({
  n,
  chunkId: `chunk-${n}`,
  articleId: "opinion",
  title: "《关于加快发展的意见》",
  headingPath: ["《关于加快发展的意见》", heading],
  quote,
  start: 0,
  end: quote.length,
});

const energy = p(
  1,
  "12.建设清洁能源强省",
  "12.建设清洁能源强省。加快建设风光火核储一体化能源基地，构建新型电力系统。支持沿海地区建设海上风电基地。稳步推进徐大堡核电基地建设。发展壮大氢能产业集群。推进抽水蓄能电站项目建设。",
);
const grain = p(2, "17.提升保障国家粮食安全能力", "17.提升保障国家粮食安全能力。严格落实耕地保护和粮食安全责任制。加大黑土地保护力度。");
const meeting = p(3, "会议", "中央金融工作会议10月30日至31日在北京举行。何立峰作总结讲话。会议强调，金融是国民经济的血脉。");

test("a 有哪些 question gets a short list of verbatim sentences, each with its [n]", () => {
  const answer = composeExtractive("辽宁清洁能源强省有哪些措施", [energy, grain], { lang: "zh" });
  const lines = answer.split("\n");
  assert.match(lines[0], /^根据《关于加快发展的意见》.*：$/);
  const bullets = lines.filter((l) => l.startsWith("- "));
  assert.ok(bullets.length >= 3 && bullets.length <= 6, answer);
  for (const b of bullets) {
    const m = b.match(/^- (.+?)\[(\d+)\]$/);
    assert.ok(m, b);
    const cited = [energy, grain][Number(m[2]) - 1];
    assert.ok(cited.quote.includes(m[1].replace(/^……/, "")), `not verbatim from [${m[2]}]: ${m[1]}`);
  }
  for (const measure of ["风光火核储", "海上风电", "徐大堡", "氢能"]) assert.ok(answer.includes(measure), measure);
  assert.ok(!answer.includes("12.建设清洁能源强省。"), "the item's heading is not repeated as a point");
});

test("a fact question gets a few sentences, the one holding the asked-for person first in mind", () => {
  const answer = composeExtractive("中央金融工作会议上谁作总结讲话", [meeting], { lang: "zh" });
  assert.ok(answer.includes("何立峰作总结讲话。[3]"), answer);
  assert.ok(!answer.includes("\n- "), "not a list");
});

/** The cited sentences of an answer (text before each [n]), without the lead line. */
const citedSentences = (answer: string) =>
  answer
    .split("\n")
    .slice(1)
    .flatMap((line) => line.replace(/^- /, "").split(/\[\d+\]/))
    .map((x) => x.trim())
    .filter(Boolean);

/** A plenum communique and an unrelated article, both naming 省委 and 书记 in many places. */
const plenum = {
  ...p(1, "全会", "全会听取了省委副书记、省长钱立新受省委常委会委托作的说明。省委副书记、省长钱立新就《中共辽宁省委关于推进发展的意见（讨论稿）》作说明。省委书记郑明远作了讲话。出席全会的有省委委员80人。"),
  articleId: "communique",
};
const commentary = {
  ...p(2, "评论", "中共辽宁省委关于推进发展的意见，是辽宁省委书记处和全省上下共同的行动纲领，必将激发干部群众的干劲。"),
  articleId: "commentary",
};

test("a who-question naming a title answers with the name under that exact title, in one short sentence", () => {
  const answer = composeExtractive("辽宁省委书记是谁", [commentary, plenum], { lang: "zh" });
  const cited = citedSentences(answer);
  assert.deepEqual(cited, ["省委书记郑明远作了讲话。"], answer);
});

test("a who-question about what someone did prefers the name right before that deed", () => {
  const study = p(
    4,
    "学习",
    "中央政治局的同志认真听取了讲解，并进行了讨论。研究所所长周文华同志就这个问题进行讲解，提出工作建议。习近平在听取讲解后发表了重要讲话。",
  );
  const cited = citedSentences(composeExtractive("集体学习由谁进行讲解", [study], { lang: "zh" }));
  assert.equal(cited[0], "研究所所长周文华同志就这个问题进行讲解，提出工作建议。");
  assert.ok(!cited.some((s) => s.startsWith("中央政治局的同志")), cited.join(" | "));
});

test("a when-question gets the sentence with the date, without filler that gives no date", () => {
  const conference = p(
    5,
    "会议",
    "中央金融工作会议10月30日至31日在北京举行。会议指出，加强党中央对金融工作的集中统一领导，是做好金融工作的根本保证。中央金融委员会委员等参加会议。",
  );
  const cited = citedSentences(composeExtractive("中央金融工作会议是什么时候召开的", [conference], { lang: "zh" }));
  assert.deepEqual(cited, ["中央金融工作会议10月30日至31日在北京举行。"]);
});

test("a how-many answer adds a second sentence only when it gives another figure about the subject", () => {
  const call = p(7, "号召", "全会号召，出席全会的同志要带头打好五大攻坚战，省委委员要走在前列。");
  const cited = citedSentences(composeExtractive("出席全会的省委委员有多少人", [plenum, call], { lang: "zh" }));
  assert.deepEqual(cited, ["出席全会的有省委委员80人。"]);
});

test("contiguous words of the question count for more than the same words apart", () => {
  const runs = ["辽宁省委书记"];
  assert.ok(phraseCoverage("省委书记郑明远作了讲话。", runs) > phraseCoverage("省委副书记、省长钱立新作说明。", runs));
  assert.equal(phraseCoverage("辽宁省委书记", runs), 1);
  assert.equal(phraseCoverage("无关的句子", runs), 0);
});

test("a how-question is answered with the measures of the item headed by its subject", () => {
  const answer = composeExtractive("辽宁如何建设清洁能源强省", [energy, grain], { lang: "zh" });
  assert.match(answer.split("\n")[0], /12\.建设清洁能源强省/);
  const bullets = answer.split("\n").filter((l) => l.startsWith("- "));
  assert.ok(bullets.length >= 4, answer);
  for (const measure of ["海上风电", "徐大堡", "氢能"]) assert.ok(answer.includes(measure), measure);
});

test("a how-question restated by one sentence is answered by what follows it in that passage", () => {
  const speech = p(
    6,
    "讲话",
    "习近平指出，要促进各民族广泛交往交流交融，以大团结促进现代化。这一进程必然是各民族共同奋斗的过程。要推进各民族人口流动融居，构建互嵌式社会结构。要持续深化民族团结进步创建工作。",
  );
  const answer = composeExtractive("怎样促进各民族广泛交往交流交融", [speech, grain], { lang: "zh" });
  assert.ok(answer.includes("互嵌式"), answer);
  assert.ok(answer.includes("\n- "), "a list of the passage's points");
});

test("an English 'what does X plan for Y' question gets the list treatment", () => {
  assert.equal(questionKind("What does Liaoning plan for clean energy?").list, true);
  assert.equal(questionKind("When was the conference held?").list, false);
  const answer = composeExtractive("What does Liaoning plan for clean energy?", [energy], { lang: "en" });
  assert.match(answer.split("\n")[0], /^According to .*the main points are:$/);
  assert.ok(answer.split("\n").filter((l) => l.startsWith("- ")).length >= 3, answer);
});

test("an English question gets an English lead", () => {
  const answer = composeExtractive("What measures does Liaoning take?", [energy], { lang: "en" });
  assert.match(answer, /^According to 《关于加快发展的意见》/);
});

test("what a question asks for is recognised", () => {
  assert.deepEqual(questionKind("徐大堡核电基地的总投资是多少亿元").asked, "quantity");
  assert.deepEqual(questionKind("大连新机场计划哪一年建成投用").asked, "date");
  assert.deepEqual(questionKind("谁作总结讲话").asked, "person");
  assert.equal(questionKind("辽宁要在哪些作物品种培育上取得突破").asked, "fact");
  assert.equal(questionKind("辽宁清洁能源强省有哪些措施").list, true);
  assert.equal(questionKind("要加快形成哪三个体系").enumerate, 3);
});

/** A small corpus for term rarity: 会议, 金融 and 中央 are common in it, 总结讲话 is not. */
const corpus: Chunk[] = [
  energy,
  grain,
  meeting,
  p(4, "其他", "中央金融委员会召开会议，研究金融工作。"),
  p(5, "其他", "会议指出，中央要求做好金融监管。"),
].map((c) => ({ id: c.chunkId, articleId: c.articleId, title: c.title, headingPath: c.headingPath, text: c.quote, start: c.start, end: c.end, sentences: sentenceBounds(c.quote) }));

test("evidence that names the subject but lacks the asked-for figure or date is refused", () => {
  const q1 = assessEvidence("徐大堡核电基地的总投资是多少亿元", [energy, grain], corpus);
  assert.equal(q1.answerable, false);
  assert.equal(q1.reason, "quantity");
  assert.equal(assessEvidence("中央金融工作会议是什么时候召开的", [meeting], corpus).answerable, true);
  assert.equal(assessEvidence("中央金融工作会议由谁作总结讲话", [meeting], corpus).answerable, true);
  const day = assessEvidence("中央金融工作会议是哪一天召开的", [p(3, "会议", "2023年中央金融工作会议在北京举行。")], corpus);
  assert.equal(day.answerable, false, "a year alone does not answer 哪一天");
});

test("evidence that does not mention the question's key terms is refused", () => {
  const ev = assessEvidence("辽宁5G基站建设的进展如何", [energy, grain], undefined);
  assert.equal(ev.answerable, false);
  assert.equal(ev.reason, "coverage");
  assert.ok(ev.missing.includes("5G"));
});

test("the refusal says so in the question's language and lists the leads with markers", () => {
  const ev = assessEvidence("徐大堡核电基地的总投资是多少亿元", [energy], undefined);
  const zh = refusalText("徐大堡核电基地的总投资是多少亿元", ev, [energy], "zh");
  assert.match(zh, /^资料中没有找到/);
  assert.match(zh, /12\.建设清洁能源强省 \[1\]/);
  const en = refusalText("How much is invested?", ev, [energy], "en");
  assert.match(en, /^The documents do not cover/);
});

test("asking phrases and when/state words are not taken for key terms", () => {
  const texts = (q: string) => questionTerms(q).map((t) => t.text);
  const date = texts("中央深改委第三次会议是哪天开的");
  assert.ok(date.includes("深改委") && date.includes("会议"), date.join(","));
  assert.ok(!date.some((t) => /天|开/.test(t)), `no piece of 哪天开的: ${date.join(",")}`);
  const periods = texts("辽宁现在处在哪“五个期”");
  assert.deepEqual(periods.filter((t) => /现在|处在/.test(t)), []);
  assert.ok(periods.includes("辽宁"));
  // 举行 closing the question is only its predicate; 任何时候 is not an asking phrase.
  assert.deepEqual(texts("冬运会在哪里举行"), ["冬运会"]);
  assert.ok(texts("任何时候都要坚持党的领导").includes("坚持"));
});

test("a question using a date phrase is not refused for the words around it", () => {
  const ev = assessEvidence(
    "中央深改委第三次会议是哪天开的",
    [p(5, "会议", "习近平11月7日下午主持召开中央全面深化改革委员会第三次会议。")],
    undefined,
  );
  assert.equal(ev.answerable, true, `missing: ${ev.missing.join(",")}`);
});

test("abbreviations match their full forms by their characters in order, within a short span", () => {
  assert.ok(mentions("承办第十五届全国冬季运动会", "冬运会"));
  assert.ok(mentions("中央全面深化改革委员会第三次会议", "深改委"));
  assert.ok(mentions("推动文体旅融合发展", "文旅"));
  assert.equal(mentions("运动会在冬季举行", "冬运会"), false, "order matters");
  assert.equal(mentions("冬季的大型体育运动会", "冬运会"), false, "too far apart");
});

test("a mixed English question renders its English words through the glossary; codes in Chinese stay", async () => {
  const { weightedTerms } = await import("../server/answer/evidence.ts");
  const glossary = { phrases: { wind: ["风电"], "clean energy": ["清洁能源"] } };
  const mixed = weightedTerms("What does 辽宁 plan for wind?", undefined, glossary);
  assert.deepEqual(mixed.find((t) => t.text === "wind")?.alts, ["风电"]);
  assert.ok(mixed.some((t) => t.text === "辽宁" && !t.alts), "the Chinese name is kept as written");
  const chinese = weightedTerms("辽宁LNG接收站建在哪里", undefined, glossary);
  assert.ok(chinese.some((t) => t.text === "LNG" && !t.alts), "a code inside a Chinese question is not translated");
});
