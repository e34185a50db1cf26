/**
 * The shared text model (text/): one sentence rule, one heading recogniser, Chinese numerals, the
 * passage length bound, and reading a stored passage's sentences without splitting it again.
 * The sentence cases are those both former splitters (ingest's and the answer layer's) handled.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { boundedSpans } from "../text/bounded.ts";
import { isHeadingSentence, itemHeading, markerAt, sectionHeading } from "../text/headings.ts";
import { formatChineseNumber, parseChineseNumber } from "../text/numerals.ts";
import { isPassageHeading, passageSentences } from "../text/passages.ts";
import { sentenceBounds, splitSentences } from "../text/sentences.ts";
import { toCitations } from "../server/answer/pipeline.ts";
import { sharedIndex } from "./support/shared-index.ts";

const texts = (t: string) => splitSentences(t).map((s) => s.text);

test("sentences end at 。！？； keeping the mark, with exact offsets; line breaks end them too", () => {
  const text = "一是加强领导；二是强化保障。真的吗？好！\n（一）第一项\n（二）第二项";
  const s = splitSentences(text);
  assert.deepEqual(s.map((x) => x.text), ["一是加强领导；", "二是强化保障。", "真的吗？", "好！", "（一）第一项", "（二）第二项"]);
  for (const x of s) assert.equal(text.slice(x.start, x.end), x.text);
});

test("closing quotes and brackets, runs of marks and citation markers stay with their sentence", () => {
  assert.deepEqual(texts("他说：“要坚持。”随后散会。（完。）下一句"), ["他说：“要坚持。”", "随后散会。", "（完。）", "下一句"]);
  assert.deepEqual(texts("真的吗？！当然。"), ["真的吗？！", "当然。"]);
  assert.deepEqual(texts("建设海上风电基地。[1]发展氢能。[2][3] 后文"), ["建设海上风电基地。[1]", "发展氢能。[2][3]", "后文"]);
  assert.deepEqual(texts("Offshore wind is supported. [1] Hydrogen is not cited."), ["Offshore wind is supported. [1]", "Hydrogen is not cited."]);
});

test("ASCII marks end a sentence only before whitespace or the end: figures, URLs and list numbers stay whole", () => {
  assert.deepEqual(texts("增长3.5%以上。访问a.com?x=1;y=2 查看"), ["增长3.5%以上。", "访问a.com?x=1;y=2 查看"]);
  assert.deepEqual(texts("Really? Yes! First; second."), ["Really?", "Yes!", "First;", "second."]);
  assert.deepEqual(texts("1. Build ports. 2. Open routes"), ["1. Build ports.", "2. Open routes"]);
  assert.deepEqual(texts("He said \"stop!\" Then left."), ["He said \"stop!\"", "Then left."]);
});

test("whitespace and blank lines stay outside sentences; a range is split as if it were the whole text", () => {
  const text = "  甲句。\n\n  乙句；丙句  \n";
  assert.deepEqual(sentenceBounds(text).map(([s, e]) => text.slice(s, e)), ["甲句。", "乙句；", "丙句"]);
  const article = "前文。1.第一项。内容很多；还有内容。后文。";
  const from = article.indexOf("1.");
  const to = article.indexOf("后文");
  assert.deepEqual(sentenceBounds(article, from, to).map(([s, e]) => article.slice(s, e)), ["1.第一项。", "内容很多；", "还有内容。"]);
  assert.deepEqual(sentenceBounds(""), []);
});

test("a 1M-character run without marks is one sentence, found in linear time", () => {
  const run = "政".repeat(1_000_000);
  assert.deepEqual(sentenceBounds(run), [[0, 1_000_000]]);
});

test("markers: sections, items, articles and chapters with their numbers; figures are not markers", () => {
  const kinds = (p: string) => {
    const m = markerAt(p);
    return m && [m.kind, m.value, m.text];
  };
  assert.deepEqual(kinds("三、以科技创新推动产业创新"), ["cn", 3, "三、"]);
  assert.deepEqual(kinds("（十二）加强组织领导"), ["paren-cn", 12, "（十二）"]);
  assert.deepEqual(kinds("第二十五条 市政府负责"), ["article", 25, "第二十五条"]);
  assert.deepEqual(kinds("第二章 总则"), ["chapter", 2, "第二章"]);
  assert.deepEqual(kinds("12.建设清洁能源强省"), ["arabic", 12, "12."]);
  assert.deepEqual(kinds("(3)完善机制"), ["paren-arabic", 3, "(3)"]);
  assert.equal(markerAt("3.5亿元投资"), undefined);
  assert.equal(markerAt("2023年11月"), undefined);
});

test("an item's heading: marker + lead phrase, and its span in the paragraph", () => {
  const p = "12.建设清洁能源强省。积极发挥清洁能源优势。";
  const h = itemHeading(p, markerAt(p)!);
  assert.equal(h.heading, "12.建设清洁能源强省");
  assert.equal(p.slice(...h.span), "12.建设清洁能源强省。");
  const law = "第五条 市园林绿化主管部门负责本市绿化工作。";
  assert.equal(itemHeading(law, markerAt(law)!).heading, "第五条 市园林绿化主管部门负责本市绿化工作");
  const long = "（一）坚持以习近平新时代中国特色社会主义思想为指导全面贯彻党的二十大精神，深入落实各项部署。";
  const lh = itemHeading(long, markerAt(long)!);
  assert.equal(lh.heading, "（一）坚持以习近平新时代中国特色社会主义思想为指导全面贯彻党的二十大精神");
  assert.equal(long.slice(...lh.span), lh.heading, "cut at the comma: the span ends there too");
  const run = "1." + "政".repeat(100);
  const rh = itemHeading(run, markerAt(run)!);
  assert.equal(rh.heading, `1.${"政".repeat(30)}…`);
  assert.equal(rh.span[1], 32);
});

test("a section heading: the whole line when it stands alone, else its first sentence", () => {
  assert.deepEqual(sectionHeading("一、总体要求"), { heading: "一、总体要求", headingOnly: true, span: [0, 6] });
  const p = "二、主要任务。要抓好落实。";
  assert.deepEqual(sectionHeading(p), { heading: "二、主要任务", headingOnly: false, span: [0, 7] });
});

test("heading sentences: a marker and a short phrase, nothing longer", () => {
  assert.ok(isHeadingSentence("12.建设清洁能源强省。"));
  assert.ok(isHeadingSentence("（三）加强组织领导。"));
  assert.ok(isHeadingSentence("第五条 总则"));
  assert.ok(!isHeadingSentence("加快建设风光火核储一体化能源基地。"));
  assert.ok(!isHeadingSentence("12.建设清洁能源强省，积极发挥清洁能源优势，加快建设风光火核储一体化能源基地。"));
});

test("Chinese numerals: parsed (一 … 九百九十九, 两, 〇) and written (1 … 99)", () => {
  assert.deepEqual(["一", "十", "十二", "二十", "两百零五", "九十九", "一百二十三", "12", "甲"].map(parseChineseNumber), [1, 10, 12, 20, 205, 99, 123, 12, 0]);
  for (let n = 1; n < 100; n++) assert.equal(parseChineseNumber(formatChineseNumber(n)), n);
  assert.equal(formatChineseNumber(15), "十五");
  assert.equal(formatChineseNumber(23), "二十三");
});

test("stored sentence offsets are used as they are; passages without them (or with stale ones) are split", () => {
  const quote = "甲句。乙句。丙句。";
  // Offsets that splitting would not give (one stored "sentence" spans two): proof they are read, not recomputed.
  assert.deepEqual(passageSentences({ quote, sentences: [[0, 6], [6, 9]] }).map((s) => s.text), ["甲句。乙句。", "丙句。"]);
  assert.deepEqual(passageSentences({ text: quote }).map((s) => s.text), ["甲句。", "乙句。", "丙句。"]);
  assert.deepEqual(passageSentences({ quote, sentences: [[0, 3], [3, 99]] }).map((s) => s.text), ["甲句。", "乙句。", "丙句。"]);
  const item = { text: "12.建设清洁能源强省。加快建设基地。", sentences: [[0, 11], [11, 19]] as [number, number][], heading: [0, 11] as [number, number] };
  const [head, body] = passageSentences(item);
  assert.deepEqual([isPassageHeading(item, head), isPassageHeading(item, body)], [true, false]);
  // A stored passage without a heading span opens with none, whatever its first sentence looks like.
  assert.equal(isPassageHeading({ text: "1.总则。", sentences: [[0, 5]] }, { text: "1.总则。", start: 0, end: 5 }), false);
  assert.equal(isPassageHeading({ text: "1.总则。" }, { text: "1.总则。", start: 0, end: 5 }), true);
});

test("a long run is bounded: cut at sentence ends, else clause marks, else a fixed size, offsets exact", () => {
  const check = (text: string, max: number) => {
    const pieces = boundedSpans(text, 0, text.length, max);
    for (const [s, e] of pieces) assert.ok(e - s <= max && e > s, `piece ${s}-${e} within ${max}`);
    // Nothing is lost but whitespace between pieces.
    assert.equal(pieces.map(([s, e]) => text.slice(s, e)).join("").replace(/\s/g, ""), text.replace(/\s/g, ""));
    return pieces.map(([s, e]) => text.slice(s, e));
  };
  assert.deepEqual(check("甲乙丙丁。戊己庚辛。壬癸。", 10), ["甲乙丙丁。戊己庚辛。", "壬癸。"]);
  assert.deepEqual(check("甲乙丙丁，戊己庚辛、壬癸子丑：寅卯。", 10), ["甲乙丙丁，戊己庚辛、", "壬癸子丑：寅卯。"]);
  assert.deepEqual(check("甲".repeat(25), 10), ["甲".repeat(10), "甲".repeat(10), "甲".repeat(5)]);
  assert.deepEqual(check("短文。", 10), ["短文。"]);
  // A character outside the BMP (two UTF-16 units) is never cut in half.
  const wide = "𠀀".repeat(8);
  for (const piece of check(wide, 5)) assert.ok(!/[\ud800-\udbff]$/.test(piece) && !/^[\udc00-\udfff]/.test(piece), piece);
});

test("the index's chunks carry their sentences to the citations, the same ones splitting the quote gives", async () => {
  const index = await sharedIndex();
  const hits = await index.search("辽宁清洁能源强省有哪些措施", { k: 5 });
  const citations = toCitations(hits);
  assert.ok(citations.length > 0);
  for (const c of citations) {
    assert.deepEqual(c.sentences, sentenceBounds(c.quote), c.chunkId);
    assert.deepEqual(passageSentences(c), splitSentences(c.quote));
  }
  const item = citations.find((c) => c.headingPath.at(-1) === "12.建设清洁能源强省")!;
  assert.equal(item.quote.slice(...item.heading!), "12.建设清洁能源强省。");
  // Parts merged back into their item (item 6 is split in four) get the merged text's sentences and the item's heading.
  const merged = (await index.search("贯彻落实习近平总书记重要讲话精神的目标任务", { k: 10, mergeParts: true })).map((h) => h.chunk);
  const whole = merged.find((c) => c.headingPath.at(-1) === "6.贯彻落实习近平总书记重要讲话精神的目标任务")!;
  assert.ok(whole.text.length > 1000, `${whole.text.length} characters: the four parts merged`);
  for (const chunk of merged) assert.deepEqual(chunk.sentences, sentenceBounds(chunk.text), chunk.id);
  assert.equal(whole.text.slice(...whole.heading!), "6.贯彻落实习近平总书记重要讲话精神的目标任务。");
});
