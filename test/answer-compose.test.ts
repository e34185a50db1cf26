/**
 * The extractive composer on passages made up here (a tiny corpus of its own, read with the real
 * index's segmenter and CC-CEDICT facts): verbatim sentences with their [n], an item's measures for a
 * broad question, only the focus when the question narrows the item, the slot's sentence first, each
 * slot of a two-part question, each article of a two-subject question, the sentence listing named items.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { composeExtractive } from "../server/answer/extractive.ts";
import type { AnswerContext } from "../server/answer/analysis.ts";
import { splitSentences } from "../server/answer/sentences.ts";
import type { Citation } from "../server/answer/types.ts";
import type { Chunk } from "../vectors/types.ts";
import { sentenceBounds } from "../text/sentences.ts";
import { sharedIndex } from "./support/shared-index.ts";

const passage = (n: number, articleId: string, title: string, heading: string | undefined, quote: string): Citation => ({
  n,
  chunkId: `c${n}`,
  articleId,
  title,
  headingPath: heading ? [title, heading] : [title],
  ...(heading ? { itemNo: heading.split(".")[0] } : {}),
  quote,
  start: 0,
  end: quote.length,
});

const PLAN = "《关于加快开放发展的意见》";
const zone = passage(1, "plan", PLAN, "5.加快开发区建设",
  "5.加快开发区建设。推动开发区体制机制创新，优化开发区布局。建设一批专业化物流园区，完善冷链配送体系。扩建港口码头，提升港口集疏运能力。培育跨境电商等新业态。");
const talent = passage(2, "plan", PLAN, "6.加大人才引进力度", "6.加大人才引进力度。完善人才公寓等配套政策。支持青年人才创新创业。");
const forum = passage(3, "forum", "《国际物流论坛在大连举行》", undefined,
  "国际物流论坛9月18日在大连举行。市长周明远主持开幕式。副省长吴立新作主旨演讲。来自二十个国家的代表出席论坛。");
const expo = passage(4, "expo", "《装备制造博览会在沈阳开幕》", undefined, "装备制造博览会5月20日在沈阳开幕。博览会设置智能制造、新能源装备、工业软件三个展区。");
const ALL = [zone, talent, forum, expo];

let ctx: AnswerContext | undefined;
async function context(): Promise<AnswerContext> {
  if (ctx) return ctx;
  const index = await sharedIndex();
  const chunks: Chunk[] = ALL.map((p) => ({ id: p.chunkId, articleId: p.articleId, title: p.title, headingPath: p.headingPath, text: p.quote, start: 0, end: p.quote.length, sentences: sentenceBounds(p.quote) }));
  ctx = { seg: index.segmenter, chunks, facts: index.wordFacts };
  return ctx;
}

/** A context whose corpus is just these passages, read with the real index's segmenter and word facts. */
async function contextOf(passages: Citation[]): Promise<AnswerContext> {
  const index = await sharedIndex();
  const chunks: Chunk[] = passages.map((p) => ({ id: p.chunkId, articleId: p.articleId, title: p.title, headingPath: p.headingPath, text: p.quote, start: 0, end: p.quote.length, sentences: sentenceBounds(p.quote) }));
  return { seg: index.segmenter, chunks, facts: index.wordFacts };
}

const compose = async (q: string, passages: Citation[] = ALL) => composeExtractive(q, passages, { lang: "zh", context: await context() });

/** Each cited sentence is verbatim in the passage its marker names. */
function assertVerbatim(answer: string, passages: Citation[]): void {
  for (const line of answer.split("\n").slice(1)) {
    for (const m of line.replace(/^- /, "").replace(/^《[^》]+》[^：]*：/, "").matchAll(/([^\[\]]+?)\[(\d+)\]/g)) {
      const cited = passages.find((p) => p.n === Number(m[2]))!;
      assert.ok(cited.quote.includes(m[1].trim().replace(/^……/, "")), `"${m[1]}" is not verbatim in [${m[2]}]`);
    }
  }
}

test("sentences split at 。！？； keeping the mark, with exact offsets; list items stay apart", () => {
  const text = "一是加强领导；二是强化保障。真的吗？好！\n（一）第一项\n（二）第二项";
  const s = splitSentences(text);
  assert.deepEqual(s.map((x) => x.text), ["一是加强领导；", "二是强化保障。", "真的吗？", "好！", "（一）第一项", "（二）第二项"]);
  for (const x of s) assert.equal(text.slice(x.start, x.end), x.text);
});

test("a broad question about an item gets the item's measures as a list, verbatim, the heading not repeated", async () => {
  const answer = await compose("开发区建设有哪些措施");
  const bullets = answer.split("\n").filter((l) => l.startsWith("- "));
  assert.equal(bullets.length, 4, answer);
  assert.match(answer.split("\n")[0], /^根据《关于加快开放发展的意见》（5\.加快开发区建设），主要有以下几点：$/);
  assert.ok(!answer.includes("5.加快开发区建设。"), "the heading is no point");
  assertVerbatim(answer, ALL);
});

test("a question naming the item and narrowing it to a focus gets only the focus's sentences", async () => {
  const answer = await compose("开发区建设中港口方面有什么安排");
  assert.ok(answer.includes("扩建港口码头"), answer);
  assert.ok(!answer.includes("冷链") && !answer.includes("跨境电商"), `the other measures stay out:\n${answer}`);
});

test("a who-question leads with the sentence naming the person who did what it asks", async () => {
  const answer = await compose("论坛上谁作了主旨演讲");
  assert.match(answer.split("\n")[1], /^副省长吴立新作主旨演讲。\[3\]/, answer);
});

test("a two-part question gets a sentence for each slot", async () => {
  const answer = await compose("物流论坛是哪天举行的，谁主持了开幕式");
  assert.ok(answer.includes("9月18日") && answer.includes("周明远"), answer);
});

test("a question about two events in two articles is answered from each, both cited", async () => {
  const answer = await compose("物流论坛和装备制造博览会分别在哪里举行");
  assert.ok(answer.includes("大连") && answer.includes("沈阳"), answer);
  assert.ok(answer.includes("[3]") && answer.includes("[4]"), answer);
  assertVerbatim(answer, ALL);
});

test("a question for a number of named things gets the sentence listing them", async () => {
  const answer = await compose("博览会设置了哪三个展区");
  assert.ok(answer.includes("智能制造、新能源装备、工业软件"), answer);
  assert.equal(answer.split("\n").length, 2, "one sentence, no list padding");
});

test("an English question gets an English lead over the verbatim Chinese sentences", async () => {
  const answer = composeExtractive("Who gave the keynote speech at the forum?", [forum], { lang: "en", context: await context() });
  assert.match(answer, /^According to/);
  assertVerbatim(answer, [forum]);
});

test("a question naming a province is answered from the article about it, not from one naming it in passing", async () => {
  const local = passage(1, "jilin", "《中共吉林省委关于推动高质量发展的意见》", "9.守住安全底线",
    "9.守住安全底线。稳妥处置地方金融机构风险，深化农村信用社改革。加强安全生产监管。");
  const national = passage(2, "national", "《全国金融工作会议在北京召开》", undefined,
    "会议强调，要防范化解金融风险，健全金融监管体系。要及时处置中小金融机构风险。要加强外汇市场管理。");
  const speakers = passage(3, "national", "《全国金融工作会议在北京召开》", undefined, "北京市、吉林省、湖北省负责同志作交流发言。");
  const more = [4, 5, 6].map((n) => passage(n, "national", "《全国金融工作会议在北京召开》", undefined, `会议指出，金融是国民经济的血脉，第${n}项工作要抓好。`));
  const passages = [national, local, speakers, ...more];
  const index = await sharedIndex();
  // The national article is long: the rest of it, not retrieved, never names the province.
  const rest = [7, 8, 9, 10, 11].map((n) => passage(n, "national", national.title, undefined, `会议要求，第${n}方面的工作要落实到位。`));
  const chunks: Chunk[] = [...passages, ...rest].map((p) => ({ id: p.chunkId, articleId: p.articleId, title: p.title, headingPath: p.headingPath, text: p.quote, start: 0, end: p.quote.length, sentences: sentenceBounds(p.quote) }));
  const answer = composeExtractive("吉林怎么防范金融机构风险", passages, { lang: "zh", context: { seg: index.segmenter, chunks, facts: index.wordFacts } });
  assert.match(answer, /稳妥处置地方金融机构风险/, answer);
  assert.doesNotMatch(answer, /中小金融机构/, answer);
  assertVerbatim(answer, passages);
});

test("with a pretrained model, the sentence it finds closest leads, though its cosines differ by hundredths", async () => {
  const { analyzeQuestion } = await import("../server/answer/analysis.ts");
  const { assessEvidence } = await import("../server/answer/evidence.ts");
  const c = await context();
  const q = "年轻人想自己开公司，有什么扶持";
  const a = analyzeQuestion(q, c);
  const e = assessEvidence(a, [talent], c);
  const first = (closest: string) => {
    // e5-like cosines: all within 0.88–0.92, the closest sentence a few hundredths above the rest.
    const semantic = e.sentences.map((s) => (s.text.includes(closest) ? 0.92 : 0.89));
    const answer = composeExtractive(q, [talent], { lang: "zh", context: c, analysis: a, evidence: e, semantic });
    return answer.split("\n").slice(1).join("");
  };
  assert.match(first("青年人才"), /^[^。]*青年人才/);
  assert.match(first("人才公寓"), /^[^。]*人才公寓/);
});

test("a further passage joins a focused list only with its sentences on the focus, a compound's parts counting", async () => {
  const energy = passage(1, "plan", PLAN, "7.建设清洁能源强省",
    "7.建设清洁能源强省。完善风电、光伏规划布局。稳步推进核电基地建设。发挥副产氢能资源丰富等优势，发展壮大氢能产业集群。推进抽水蓄能电站建设。");
  const industry = passage(2, "plan", PLAN, "8.培育新兴产业",
    "8.培育新兴产业。制定实施新兴产业培育行动计划。重点打造新材料、机器人、氢能等产业集群。布局一批颠覆性技术研发应用。");
  const passages = [energy, industry];
  const answer = composeExtractive("氢能产业要怎么发展", passages, { lang: "zh", context: await contextOf(passages) });
  assert.match(answer, /发展壮大氢能产业集群/, answer);
  assert.match(answer, /氢能等产业集群/, `the other item's sentence on hydrogen joins:\n${answer}`);
  assert.doesNotMatch(answer, /行动计划|颠覆性|核电|风电/, `nothing off the focus:\n${answer}`);
  assertVerbatim(answer, passages);
});

test("a question for a category's members gets the sentence on its topic, not one listing other things with the category's word", async () => {
  const meeting = passage(1, "west", "《全国西部振兴工作会议召开》", undefined,
    "会议指出，西部地区资源条件较好，产业基础比较雄厚，区位优势独特，发展潜力巨大。今年要充分发挥比较优势、后发优势，推动全国高质量发展。");
  const answer = composeExtractive("会议认为西部地区产业有哪些优势", [meeting], { lang: "zh", context: await contextOf([meeting]) });
  assert.match(answer, /资源条件较好/, answer);
  assert.doesNotMatch(answer, /后发优势/, answer);
});

test("a question for a category's members gets the sentence listing kinds of its head noun, not one listing other things on its topic", async () => {
  const meeting = passage(1, "parks", "《全省物流工作会议召开》", undefined,
    "会议要求高标准建设国际物流园区，完善仓储、运输、配送等服务。会议提出，高标准建设大连港口国际物流产业园、沈阳空港物流园、营口冷链物流示范区。");
  const answer = composeExtractive("全省要高标准建设哪些国际物流园区", [meeting], { lang: "zh", context: await contextOf([meeting]) });
  assert.match(answer, /沈阳空港物流园/, answer);
  assert.doesNotMatch(answer, /仓储/, answer);
});

test("an open count answered by parallel sentences gets all of them, a connective before the first no obstacle", async () => {
  const plan = passage(1, "ports", "《港口发展评论》", undefined,
    "为此，我们要在“联”上发力，打通铁路、公路、水运通道；在“转”上发力，推动港口转型升级；在“融”上发力，促进港产城融合发展。要加快建设物流园区、冷链基地、保税仓库。");
  const other = passage(2, "news", "《港口新闻》", undefined, "港口建设加快推进。");
  const answer = composeExtractive("评论说港口要在哪几个方面发力？", [plan], { lang: "zh", context: await contextOf([plan, other]) });
  for (const point of ["“联”", "“转”", "“融”"]) assert.match(answer, new RegExp(point), answer);
  assert.doesNotMatch(answer, /冷链基地/, answer);
});

test("a long sentence is never cut before the asked value it holds", async () => {
  const plan = passage(1, "plants", "《制造业发展评论》", undefined,
    "大连“智造工程”为我们提供了一份可复制的样本，要学习运用“智造工程”经验，持续推进工厂数字化、网络化、智能化改造，分类建设智能工厂、数字车间、示范产线和工业互联网平台，打造具有北方特色、国内领先的先进制造业集群。");
  // (The other passages make the corpus: a place in every passage of it would be its setting, no answer.)
  const answer = composeExtractive("建设智能工厂是借鉴哪里的经验？", [plan], { lang: "zh", context: await contextOf([plan, ...ALL]) });
  assert.match(answer, /大连/, answer);
});

test("a question for what something is gets the sentence saying what it is, not the article's other points", async () => {
  const meeting = passage(1, "logistics", "《全省物流工作会议召开》", undefined,
    "全省物流工作会议11月2日召开。会议指出，要完善物流配送体系，加快物流园区建设。会议强调，物流是经济运行的动脉，是产业竞争力的重要组成部分。要培育物流龙头企业。");
  const answer = composeExtractive("物流工作会议如何定位物流", [meeting], { lang: "zh", context: await contextOf([meeting]) });
  assert.match(answer.split("\n")[1], /^会议强调，物流是经济运行的动脉/, answer);
  assert.doesNotMatch(answer, /龙头企业|物流园区/, answer);
});

test("a quoted numbered term asked for its items is answered only by a sentence listing them, not by one naming it among others", async () => {
  const { analyzeQuestion } = await import("../server/answer/analysis.ts");
  const { assessEvidence } = await import("../server/answer/evidence.ts");
  const judge = async (quote: string) => {
    const p = passage(1, "plan", PLAN, undefined, quote);
    const ctx = await contextOf([p]);
    return assessEvidence(analyzeQuestion("意见里说的“三个短板”，具体是哪三个？", ctx), [p], ctx).itemsFound;
  };
  assert.equal(await judge("要坚持“两个毫不动摇”、“三个有利于”，补齐“三个短板”，推动高质量发展。"), false, "named among other numbered terms, never listed");
  assert.equal(await judge("补齐“三个短板”，即基础设施、公共服务、科技创新。"), true, "listed as what it is");
});

test("an unknown noun no bridge reaches counts among the things named; a known one does not", async () => {
  const { analyzeQuestion } = await import("../server/answer/analysis.ts");
  const { assessEvidence } = await import("../server/answer/evidence.ts");
  const ctx = await contextOf(ALL);
  const judge = (q: string) => assessEvidence(analyzeQuestion(q, ctx), ALL, ctx).features.nounsUnbridged;
  assert.ok(judge("开发区的锅包肉怎么做") > 0, "锅包肉 is in no passage and bridges to none");
  assert.equal(judge("开发区建设有哪些措施"), 0);
});

test("a broad question on one point of an item gets that point, though the point's characters are common ones", async () => {
  const energy = passage(1, "plan", PLAN, "7.建设清洁能源强省",
    "7.建设清洁能源强省。完善风电、光伏规划布局。稳步推进核电基地建设，加强核能供热利用。发挥副产氢能资源丰富等优势，发展壮大氢能产业集群。推进抽水蓄能电站建设。");
  const industry = passage(2, "plan", PLAN, "8.培育新兴产业", "8.培育新兴产业。制定实施新兴产业培育行动计划。布局一批电子信息和核心技术研发应用。");
  const passages = [energy, industry];
  const answer = composeExtractive("核电基地这块有什么打算", passages, { lang: "zh", context: await contextOf(passages) });
  assert.match(answer, /稳步推进核电基地建设/, answer);
  assert.doesNotMatch(answer, /风电|氢能|抽水蓄能/, `the item's other points stay out:\n${answer}`);
  assertVerbatim(answer, passages);
});

test("a question on one detail of an item gets that detail's sentence, though another of its words is the whole item's topic", async () => {
  const village = passage(1, "plan", PLAN, "3.建设宜居乡村",
    "3.建设宜居乡村。推进农村厕所革命，改善农村卫生条件。实施农村生活垃圾分类和资源化利用。建设农村公路网络。提升农村供水保障水平。");
  const city = passage(2, "plan", PLAN, "4.推进城市更新", "4.推进城市更新。完善城市垃圾转运设施。改造老旧小区。");
  const passages = [village, city, { ...talent, n: 3 }, { ...forum, n: 4 }];
  // 农村 is in every sentence of the item (its topic, though its heading says 乡村); 垃圾 in one (the detail asked).
  const answer = composeExtractive("农村的垃圾问题有什么办法", passages, { lang: "zh", context: await contextOf(passages) });
  assert.match(answer, /实施农村生活垃圾分类和资源化利用/, answer);
  assert.doesNotMatch(answer, /厕所|公路|供水/, `the item's other points stay out:\n${answer}`);
  assert.doesNotMatch(answer, /城市垃圾/, `another item naming the detail on its own topic stays out:\n${answer}`);
  assertVerbatim(answer, passages);
});

test("a further passage's paragraph joins a list with its sentences on the focus only, not whole", async () => {
  const energy = passage(1, "plan", PLAN, "7.建设清洁能源强省",
    "7.建设清洁能源强省。完善风电、光伏规划布局。发挥副产氢能资源丰富等优势，发展壮大氢能产业集群。推进抽水蓄能电站建设。");
  const communique = passage(2, "plenum", "《全会公报》", undefined,
    "全会强调，要发展壮大氢能产业，建设清洁能源强省。要深化国资国企改革。要加快建设食品工业大省。");
  const passages = [energy, communique];
  const answer = composeExtractive("氢能产业要怎么发展", passages, { lang: "zh", context: await contextOf(passages) });
  assert.match(answer, /发展壮大氢能产业集群/, answer);
  assert.doesNotMatch(answer, /国资国企|食品工业/, `the rest of the paragraph stays out:\n${answer}`);
  assertVerbatim(answer, passages);
});

test("a sentence naming the topic only in the titles of documents reviewed is no answer to what was said of it", async () => {
  const report = passage(1, "meeting", "《市政府常务会议召开》", undefined,
    "市政府常务会议3月5日召开，审议通过了《关于完善养老服务体系的意见》、《关于加快发展冷链物流的方案》。\n会议指出，完善养老服务体系，要发展社区嵌入式养老服务，扩大普惠养老床位供给。\n会议强调，要加快冷链物流建设，降低流通成本。");
  const passages = [report];
  const answer = composeExtractive("会议对养老服务体系提出了哪些要求", passages, { lang: "zh", context: await contextOf(passages) });
  assert.match(answer, /社区嵌入式养老服务/, answer);
  assert.doesNotMatch(answer, /审议通过/, `the list of documents is no requirement:\n${answer}`);
  assertVerbatim(answer, passages);
});

test("a question for a category's members gets each sentence naming kinds of it, two joined by 与 among them", async () => {
  const marine = passage(1, "plan", PLAN, "9.建设海洋经济强省",
    "9.建设海洋经济强省。大力发展海洋工程装备与船舶等优势产业。稳步做大海洋油气、矿业、化工等产业，加快发展海洋生物医药等新兴产业。全面加强海洋生态修复。");
  const passages = [marine];
  const answer = composeExtractive("具体要发展哪些海洋产业？", passages, { lang: "zh", context: await contextOf(passages) });
  assert.match(answer, /海洋工程装备与船舶/, answer);
  assert.match(answer, /海洋油气/, answer);
  assert.doesNotMatch(answer, /生态修复/, answer);
  assertVerbatim(answer, passages);
});

test("a long sentence saying the asked thing in each clause is quoted whole, not cut to its last clauses", async () => {
  const review = passage(1, "review", "《论坛综述》", undefined,
    "这是一次凝聚共识、务实合作的论坛，是一次开放包容、互利共赢、携手同行的论坛，是一次链接资源、促进投资、共谋发展的论坛，必将推动区域物流合作在更高水平上不断取得新的更大成效，惠及沿线各国人民。");
  const answer = composeExtractive("这届物流论坛被看作一次什么样的论坛？", [review], { lang: "zh", context: await contextOf([review, ...ALL]) });
  assert.match(answer, /凝聚共识/, answer);
  assert.match(answer, /共谋发展/, answer);
});

test("a question asking two things of two subjects, one in each article, gets both answered, each from its article", async () => {
  const answer = await compose("国际物流论坛由谁主持开幕式？装备制造博览会设置了哪几个展区？");
  assert.match(answer, /周明远主持开幕式。\[3\]/, answer);
  assert.match(answer, /智能制造、新能源装备、工业软件三个展区。\[4\]/, answer);
  assertVerbatim(answer, ALL);
});

test("a question on two events answers each from the article giving the asked detail, not from a commentary naming the event", async () => {
  const comment = passage(5, "comment", "《评论：开放合作再出发》", undefined, "国际物流论坛的成功举办，展现了开放合作的新气象。办好国际物流论坛，要持续优化营商环境。");
  const passages = [comment, forum, expo].map((p, i) => ({ ...p, n: i + 1 }));
  const answer = composeExtractive("国际物流论坛和装备制造博览会分别是哪天举行的？", passages, { lang: "zh", context: await contextOf(passages) });
  assert.match(answer, /9月18日/, answer);
  assert.match(answer, /5月20日/, answer);
  assertVerbatim(answer, passages);
});
