/**
 * The one question analysis and the slot detectors on the real index (its segmenter, corpus
 * statistics and CC-CEDICT word facts), with questions and sentences made up for the purpose.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeQuestion, answerContext, searchText, termMatch } from "../server/answer/analysis.ts";
import { dates, orgs, persons, places, quantities, slotValues } from "../server/answer/slots.ts";
import { sharedIndex } from "./support/shared-index.ts";

const context = async () => answerContext(await sharedIndex());

test("the index ships CC-CEDICT facts: proper nouns and their sort, common words, paraphrase bridges", async () => {
  const { facts } = await context();
  assert.ok(facts, "word-facts.json is read with the index");
  assert.equal(facts.kind("沈阳"), "place");
  assert.equal(facts.placeKind("沈阳"), "city");
  assert.equal(facts.placeKind("辽宁"), "province");
  assert.equal(facts.kind("习近平"), "person");
  assert.equal(facts.kind("中国人民银行"), "org");
  assert.ok(facts.isCommon("山水"), "山水 has a common-word entry");
  assert.ok(facts.bridges("到场").some(([w]) => w === "出席"), "到场 and 出席 share a sense");
});

test("a word the corpus never uses is bridged before it can count: a dictionary paraphrase, or a part the corpus uses", async () => {
  const ctx = await context();
  const a = analyzeQuestion("哪几位领导到场了", ctx);
  const arrived = a.terms.find((t) => t.text === "到场")!;
  assert.equal(arrived.known, false);
  assert.ok(arrived.alts.some((x) => x.text === "出席"), JSON.stringify(arrived.alts));
  assert.ok(termMatch("三位副主任出席会议。", arrived, ctx.seg) > 0);
  assert.deepEqual(a.unknown, [], "bridged, so not unknown");
  const plant = analyzeQuestion("核电站的建设进度如何", ctx).terms.find((t) => t.text === "核电站")!;
  assert.ok(plant.alts.some((x) => x.text === "核电" && x.via === "part"), JSON.stringify(plant.alts));
  // Glossed alike but not the same part of speech: a monetary fine (罚款, n) is no 精细 (fine, a).
  const fine = analyzeQuestion("违规要罚款吗", ctx).terms.find((t) => t.text === "罚款");
  assert.ok(!fine?.alts.some((x) => x.text === "精细"), JSON.stringify(fine?.alts));
});

test("an unknown content word no bridge reaches is marked unknown; framing words never are", async () => {
  const ctx = await context();
  const a = analyzeQuestion("请问沈阳明年的降雪量会不会创新高", ctx);
  assert.ok(a.unknown.length > 0, JSON.stringify(a.terms.map((t) => [t.text, t.known, t.alts.length])));
  for (const w of ["请问", "会不会"]) assert.ok(!a.terms.some((t) => t.text === w), w);
});

test("adjacent words the corpus writes as one phrase are one term", async () => {
  const ctx = await context();
  const a = analyzeQuestion("氢能产业集群的规模有多大", ctx);
  assert.ok(a.terms.some((t) => t.text === "氢能产业集群"), JSON.stringify(a.terms.map((t) => t.text)));
});

test("two subjects joined by 和 are split into sides, each with its own terms", async () => {
  const ctx = await context();
  const a = analyzeQuestion("集体学习和金融工作会议分别是哪天举行的", ctx);
  assert.equal(a.groups.sides.length, 2);
  assert.deepEqual(a.slots.map((s) => s.kind), ["date"]);
});

test("the sides are the noun phrases the first 和 joins; what follows a preposition is said of both, its own 和 included", async () => {
  const ctx = await context();
  const a = analyzeQuestion("物流会议和港口规划对仓储和冷链分别提了哪些要求", ctx);
  const text = (ts: { text: string }[]) => ts.map((t) => t.text);
  assert.equal(a.groups.sides.length, 2, JSON.stringify(a.groups));
  assert.ok(text(a.groups.sides[0]).includes("会议") && text(a.groups.sides[1]).includes("规划"), JSON.stringify(a.groups));
  for (const side of a.groups.sides) assert.ok(!text(side).includes("冷链"), JSON.stringify(a.groups));
  assert.ok(text(a.groups.shared).includes("冷链"), JSON.stringify(a.groups));
});

test("stated figures and dates are read from the question; ordinals are not figures", async () => {
  const ctx = await context();
  assert.deepEqual(analyzeQuestion("2030年的装机目标是多少", ctx).numbers, ["2030"]);
  assert.deepEqual(analyzeQuestion("9月18日那次会议讲了什么", ctx).numbers, ["9月18日"]);
  assert.deepEqual(analyzeQuestion("What happened at the 13th session?", ctx).numbers, []);
});

test("places: CC-CEDICT says what a word is, whatever jieba tags it; a common word is no place", async () => {
  const ctx = await context();
  const slot = { seg: ctx.seg, facts: ctx.facts };
  assert.deepEqual(places("用好山水、冰雪、温泉等资源。", slot), [], "山水 and 温泉 are common words");
  assert.deepEqual(places("加快建设交通强省。", slot), [], "强省 is no place");
  assert.ok(places("支持大连建设物流中心。", slot).includes("大连"), "大连 (tagged d) is a city");
  assert.deepEqual(places("物流中心建在沈阳，服务辽宁全省。", slot, [], "city"), ["沈阳"], "only a city answers 哪个城市");
  assert.ok(places("重点支持辽西北等地区发展。", slot).includes("辽西北"), "places named by example (X等地区)");
  // jieba splits it 太平/ns + 湾/zg, and CC-CEDICT has 太平 as a common word ("peaceful").
  assert.ok(places("新项目落户太平湾，带动周边发展。", slot).includes("太平湾"), "a place name split from its one-character suffix");
});

test("people, bodies, dates and figures in made-up sentences", async () => {
  const ctx = await context();
  const slot = { seg: ctx.seg, facts: ctx.facts };
  assert.ok(persons("副省长吴立新出席会议并讲话。", slot).includes("吴立新"));
  assert.deepEqual(persons("要建立健全高水平开放体制。", slot), [], "dictionary words jieba tags nr are not names");
  assert.ok(orgs("中国人民银行负责同志作交流发言。", slot).includes("中国人民银行"));
  assert.deepEqual(dates("论坛于9月18日至19日举行。", { day: true }), ["9月18日至19日"]);
  assert.deepEqual(dates("到2030年基本建成。", { year: true }), ["2030年"]);
  assert.deepEqual(quantities("全长120公里，投资80亿元。", ["公里"]), ["120公里"]);
  const duration = { kind: "quantity" as const, cue: "几天", at: 0, units: ["天", "日"] };
  assert.deepEqual(slotValues(duration, "论坛于9月18日举行。", slot), [], "a day is no duration");
});

test("the searched text drops the clauses that only frame the question, and keeps every other", async () => {
  const ctx = await context();
  assert.equal(searchText("麻烦帮我查一下：物流园区怎么扩建", ctx), "物流园区怎么扩建");
  assert.equal(searchText("港口集疏运体系有什么部署？请根据文件回答。", ctx), "港口集疏运体系有什么部署？");
  assert.equal(searchText("我想知道，物流园区在哪个城市", ctx), "物流园区在哪个城市");
  assert.equal(searchText("I'd like to know: which ports are named?", ctx), "which ports are named?");
  assert.equal(searchText("那港口呢？", ctx), "那港口呢？", "a follow-up is no frame");
  assert.equal(searchText("请问", ctx), "请问", "all frame: the question as it is");
});

test("a name jieba splits into characters is one term when the corpus writes it so; 哪几点 asks for points, not a time", async () => {
  const ctx = await context();
  const a = analyzeQuestion("何立峰在会上讲了什么", ctx);
  assert.ok(a.terms.some((t) => t.text === "何立峰"), JSON.stringify(a.terms.map((t) => t.text)));
  const points = analyzeQuestion("会议强调了哪几点", ctx);
  assert.deepEqual(points.slots, [], "no date slot");
  assert.ok(points.enumerate, "an open count of points");
  assert.equal(analyzeQuestion("会议几点开始", ctx).slots[0]?.kind, "date");
});

test("谁/哪个部门 + a verb asks for its doer, named with 由 even when the tagger splits the body", async () => {
  const ctx = await context();
  const a = analyzeQuestion("物流论坛是谁主办的", ctx);
  assert.equal(a.slots[0]?.verb, "主办");
  assert.deepEqual(slotValues(a.slots[0], "论坛由市商务局和港务集团主办。", ctx), ["市商务局和港务集团"]);
  const org = analyzeQuestion("哪个部门牵头建设物流园区", ctx);
  assert.equal(org.slots[0]?.verb, "牵头");
  assert.ok(slotValues(org.slots[0], "物流园区建设由省发展改革委牵头。", ctx).includes("省发展改革委"));
});

test("哪 with a measure word before the head noun asks for that sort (在哪座城市 → a city), and the head noun is no topic term", async () => {
  const ctx = await context();
  for (const q of ["那次论坛是在哪座城市办的", "那次论坛是在哪个城市办的"]) {
    const a = analyzeQuestion(q, ctx);
    assert.deepEqual(a.slots.map((s) => [s.kind, s.grain]), [["place", "city"]], q);
    assert.ok(!a.terms.some((t) => t.text === "城市"), `${q}: ${a.terms.map((t) => t.text).join(" ")}`);
  }
  // 在哪里 alone still asks any place; so does 哪个地区 (the documents name regions: 辽西北等地区).
  assert.deepEqual(analyzeQuestion("那次论坛是在哪里办的", ctx).slots.map((s) => [s.kind, s.grain]), [["place", undefined]]);
  assert.deepEqual(analyzeQuestion("冷链物流中心要建在哪个地区", ctx).slots.map((s) => [s.kind, s.grain]), [["place", undefined]]);
});

test("几个 asks how many, but 那几个/…的几个 X 是哪些 asks which ones", async () => {
  const ctx = await context();
  assert.deepEqual(analyzeQuestion("会议提出了几个重点领域", ctx).slots.map((s) => s.kind), ["quantity"]);
  for (const q of ["会议说的那几个重点领域是什么", "会议要抓的几个重点领域是哪些"]) {
    assert.ok(!analyzeQuestion(q, ctx).slots.some((s) => s.kind === "quantity"), q);
  }
});

test("怎样 asks how something is done, but 怎样的 + a noun asks what kind it is", async () => {
  const ctx = await context();
  assert.equal(analyzeQuestion("那次论坛要怎样筹办", ctx).how, true);
  assert.equal(analyzeQuestion("评论说那次论坛是一次怎样的会议", ctx).how, false);
});

test("a word the tagger glues from a framing verb and particles (搞了个) frames, and is no unknown term", async () => {
  const ctx = await context();
  const a = analyzeQuestion("为了留住人才，辽宁搞了个啥行动", ctx);
  assert.ok(a.framing.includes("搞了个"), a.framing.join(" "));
  assert.ok(!a.terms.some((t) => t.text.includes("搞")), a.terms.map((t) => t.text).join(" "));
  // A word of its own (会场: 会 is a framing word, 场 a measure) is no such glue.
  assert.ok(analyzeQuestion("论坛的会场布置有什么要求", ctx).terms.some((t) => t.text === "会场"));
});

test("a list's members are kinds of a head noun by their last character, the last one read before 等", async () => {
  const { membersOfKind } = await import("../server/answer/slots.ts");
  assert.equal(membersOfKind("高标准建设中德（沈阳）高端装备制造产业园、中日（大连）地方发展合作示范区、中俄（沈阳）经贸合作产业园。", "园区"), 3);
  assert.equal(membersOfKind("发展先进制造业、现代服务业等产业。", "产业"), 2);
  assert.equal(membersOfKind("加快在玉米、水稻、大豆、高粱等品种培育上取得突破。", "品种"), 0);
  assert.equal(membersOfKind("建设一批物流园区。", "园区"), 0);
  // Closed by 等 + the kind, a list says all its members are of it, whatever their own last characters.
  assert.equal(membersOfKind("稳步做大港口物流、仓储、冷链运输等产业。", "产业"), 3);
  assert.equal(membersOfKind("稳步做大港口物流、仓储、冷链运输等环节。", "产业"), 0);
  // …and so do two members joined by 与 or 和 before 等 + the kind; one member alone is no list.
  assert.equal(membersOfKind("大力发展冷链装备与跨境物流等优势产业。", "产业"), 2);
  assert.equal(membersOfKind("大力发展冷链装备等优势产业。", "产业"), 0);
});

test("a near miss about a quoted numbered term names the term, not the asking words that repeat part of it", async () => {
  const { assessQuestion } = await import("../server/answer/evidence.ts");
  const { topicPhrase } = await import("../server/answer/refusal.ts");
  const { sentenceBounds } = await import("../text/sentences.ts");
  const index = await sharedIndex();
  const quote = "全省要持续推动节能降耗、供热改造“两改联动”，更好发挥煤电作用。";
  const p = { n: 1, chunkId: "c1", articleId: "a", title: "《能源工作要点》", headingPath: [], quote, score: 1 } as unknown as import("../server/answer/types.ts").Citation;
  const ctx = { seg: index.segmenter, chunks: [{ id: "c1", articleId: "a", title: p.title, headingPath: [], text: quote, start: 0, end: quote.length, sentences: sentenceBounds(quote) }], facts: index.wordFacts };
  const a = analyzeQuestion("“两改联动”指的是哪两改", ctx);
  assert.equal(topicPhrase(a, assessQuestion(a, [p], ctx), [p]), "两改联动");
});

test("a numbered term is defined by the items before it, the last two joined by 和 as often as by 、", async () => {
  const { definesTerm } = await import("../server/answer/slots.ts");
  assert.ok(definesTerm("持续推动节能、供热和调峰“三项改造”，更好发挥作用。", "三项改造", 3));
  assert.ok(!definesTerm("持续推动节能和供热“三项改造”。", "三项改造", 3));
  assert.ok(!definesTerm("补齐“三项改造”的短板。", "三项改造", 3));
});

test("an English compound written with a hyphen is one term when the glossary renders it whole; others stay apart", async () => {
  const ctx = await context();
  const a = analyzeQuestion("Which port is building a high-end logistics park?", ctx);
  const term = a.terms.find((t) => t.text === "high-end");
  assert.ok(term, JSON.stringify(a.terms.map((t) => t.text)));
  assert.ok(term.alts.some((x) => x.text === "高端"), JSON.stringify(term.alts));
  assert.ok(!a.terms.some((t) => t.text === "end"), "the hyphen's halves are not terms of their own");
  const apart = analyzeQuestion("Which Sino-Foo park is planned?", ctx);
  assert.ok(apart.terms.some((t) => t.text === "sino"), JSON.stringify(apart.terms.map((t) => t.text)));
});

test("a question asking two things, each naming what of, is two questions; one leaning on the other or asking nothing more is one", async () => {
  const ctx = await context();
  const parts = (q: string) => analyzeQuestion(q, ctx).parts?.map((p) => p.question);
  assert.deepEqual(parts("国有资本经营预算制度要怎么完善？中央金融工作会议在哪里召开？"), ["国有资本经营预算制度要怎么完善？", "中央金融工作会议在哪里召开？"]);
  assert.equal(parts("中央金融工作会议是哪天召开的？由谁主持？"), undefined, "the second part leans on the first");
  assert.deepEqual(parts("国际论坛是哪天开的？国际论坛由谁主持？"), ["国际论坛是哪天开的？", "国际论坛由谁主持？"], "each names its subject, the same one");
  assert.deepEqual(parts("国有资本经营预算制度要怎么完善？中央金融工作会议在哪里召开？请根据文件回答。"), ["国有资本经营预算制度要怎么完善？", "中央金融工作会议在哪里召开？"], "a trailing request is no part and keeps none together");
  assert.equal(parts("辽宁对民营企业有什么支持？我自己开了一家小公司"), undefined, "the second part asks nothing");
  assert.equal(parts("中央金融工作会议在哪里召开"), undefined);
  assert.equal(parts("辽宁清洁能源强省有哪些措施？".repeat(3)), undefined, "the same question three times is one");
  const five = "中央金融工作会议在哪里召开？深改委会议哪天召开？全会哪天召开？政治局集体学习哪天进行？海洋牧场怎么建设？";
  assert.equal(parts(five), undefined, "more questions than a person asks at once: one text");
  assert.equal(parts(five.split("？").slice(0, 4).join("？") + "？")?.length, 4, "four are each answered");
  // A sentence ending in a question mark asks something, though no form names what (要发展什么？).
  assert.deepEqual(parts("海洋经济要发展什么？黑土地怎么保护？"), ["海洋经济要发展什么？", "黑土地怎么保护？"]);
  // 哪个 + a noun no slot knows (基地) still asks which one, with no question mark to say so.
  assert.deepEqual(parts("海洋牧场怎么建设？水产种业要建哪个基地"), ["海洋牧场怎么建设？", "水产种业要建哪个基地"]);
});

test("a stated count's items may be clauses of one sentence, each naming the counted thing, but only as many as counted", async () => {
  const { enumeration } = await import("../server/answer/slots.ts");
  const names = (clause: string) => clause.includes("物流枢纽");
  const text = "建设大连国际物流枢纽，提升营口国际物流枢纽能级，完善集疏运体系。";
  assert.deepEqual(enumeration(text, 2, names, { each: true }), ["建设大连国际物流枢纽", "提升营口国际物流枢纽能级"]);
  assert.deepEqual(enumeration(text, 2, names), [], "not without `each`");
  assert.deepEqual(enumeration(text, 3, names, { each: true }), [], "two clauses are no three items");
});

test("four or more single characters the corpus writes together are one set phrase, framing characters among them", async () => {
  const ctx = await context();
  const a = analyzeQuestion("民营企业怎样才能做大做强", ctx);
  assert.ok(a.terms.some((t) => t.text === "做大做强" && t.known), a.terms.map((t) => t.text).join(" "));
  // Characters the corpus never writes together stay apart.
  assert.ok(!analyzeQuestion("要做大做好做强吗", ctx).terms.some((t) => t.text.includes("做大做好")));
});

test("a word jieba tags as a name without a surname is a noun; a name with a surname stays a name", async () => {
  const ctx = await context();
  // jieba's dictionary files 养老 as nr.
  const care = analyzeQuestion("养老费怎么交", ctx).terms.find((t) => t.text === "养老");
  assert.ok(care, "养老 is a term");
  assert.notEqual(care.tag, "nr");
  // A name with a surname stays a name.
  assert.equal(analyzeQuestion("王延中讲了什么", ctx).terms.find((t) => t.text === "王延中")?.tag, "nr");
});
