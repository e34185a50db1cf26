/**
 * The seed booklet (a PDF-to-text dump) through load → clean → split → chunk, without building an index.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chunkArticle, DEFAULT_CHUNK_OPTIONS } from "../ingest/chunk-article.ts";
import { cleanText } from "../ingest/clean-text.ts";
import { loadCorpusFile } from "../ingest/load-file.ts";
import { splitArticles } from "../ingest/split-articles.ts";
import type { Chunk } from "../vectors/types.ts";

const CORPUS = path.resolve(import.meta.dirname, "../corpus");
const FILE = fs.readdirSync(CORPUS).find((f) => f.endsWith(".txt"))!;
const raw = fs.readFileSync(path.join(CORPUS, FILE), "utf8");
const loaded = await loadCorpusFile(path.join(CORPUS, FILE));
const { articles, warnings } = splitArticles(cleanText(loaded.text), FILE);
const chunks = articles.flatMap((a) => chunkArticle(a));
const OPINION = "中共辽宁省委关于深入贯彻落实习近平总书记在新时代推动东北全面振兴座谈会上重要讲话精神奋力谱写中国式现代化辽宁新篇章的意见";

test("the booklet holds exactly 12 articles, titles joined from their broken lines", () => {
  assert.equal(loaded.encoding, "utf-8");
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    articles.map((a) => a.title),
    [
      "习近平在中共中央政治局第九次集体学习时强调铸牢中华民族共同体意识 推进新时代党的民族工作高质量发展",
      "中共中央政治局召开会议 审议《关于进一步推动新时代东北全面振兴取得新突破若干政策措施的意见》中共中央总书记习近平主持会议",
      "习近平主持召开中央全面深化改革委员会第三次会议强调 全面推进美丽中国建设 健全自然垄断环节监管体制机制 李强王沪宁蔡奇出席",
      "中央金融工作会议在北京举行 习近平李强作重要讲话 赵乐际王沪宁蔡奇丁薛祥李希出席",
      OPINION,
      "中国共产党辽宁省第十三届委员会第六次全体会议公报",
      "扣打造新时代“六地”展现更大担当和作为——一论贯彻落实省委十三届六次全会精神",
      "扭住科技创新“牛鼻子” 提升产业体系现代化水平——二论贯彻落实省委十三届六次全会精神",
      "扛起首要担当 打造现代化大农业发展先行地——三论贯彻落实省委十三届六次全会精神",
      "增强前沿意识开放意识 打造东北亚开放合作枢纽地——四论贯彻落实省委十三届六次全会精神",
      "推动人口高质量发展 支撑辽宁全面振兴——五论贯彻落实省委十三届六次全会精神",
      "奋力谱写中国式现代化辽宁新篇章",
    ],
  );
  assert.equal(new Set(articles.map((a) => a.id)).size, 12);
});

test("the adoption line is kept as the opinion's and the communique's date", () => {
  const dated = articles.filter((a) => a.date);
  assert.equal(dated.length, 2);
  for (const a of dated) {
    assert.equal(a.date, "（2023年11月7日中国共产党辽宁省第十三届委员会第六次全体会议通过）");
    assert.ok(a.text.startsWith(a.date!));
  }
});

test("cleaning loses no Chinese character of the dump", () => {
  const han = (s: string) => s.match(/\p{Script=Han}/gu)?.length ?? 0;
  const kept = articles.reduce((n, a) => n + han(a.title) + han(a.text), 0);
  assert.equal(kept, han(raw));
});

test("the opinion has sections 一、…八、 and items 1.…40.; item 12 is whole and in place", () => {
  const opinion = articles.find((a) => a.title === OPINION)!;
  const own = chunks.filter((c) => c.articleId === opinion.id);
  const items = [...new Set(own.filter((c) => c.itemNo).map((c) => c.itemNo))];
  assert.deepEqual(items, Array.from({ length: 40 }, (_, i) => String(i + 1)));
  const sections = [...new Set(own.map((c) => c.section).filter(Boolean))];
  assert.deepEqual(sections.map((s) => s!.split("、")[0]), ["一", "二", "三", "四", "五", "六", "七", "八"]);

  const item12 = own.filter((c) => c.itemNo === "12");
  assert.equal(item12.length, 1);
  const [c] = item12;
  assert.ok(c.text.replace(/^12\./, "").startsWith("建设清洁能源强省"), c.text.slice(0, 20));
  assert.ok(c.text.endsWith("先进储能装备研发和制造基地。"), c.text.slice(-20));
  assert.deepEqual(c.headingPath, [OPINION, "三、以科技创新推动产业创新，加快构建具有辽宁特色优势的现代化产业体系", "12.建设清洁能源强省"]);
  assert.ok(c.text.includes("风光火核储一体化能源基地"), "a line break inside a word is joined");
});

test("long items are split at sentence ends with an overlap; other passages stay within bounds", () => {
  const parts = chunks.filter((c) => c.part);
  assert.ok(parts.length > 0);
  let overlapping = 0;
  const byItem = new Map<string, Chunk[]>();
  for (const c of parts) byItem.set(`${c.articleId}#${c.itemNo}`, [...(byItem.get(`${c.articleId}#${c.itemNo}`) ?? []), c]);
  for (const group of byItem.values()) {
    group.sort((a, b) => a.part!.index - b.part!.index);
    assert.deepEqual(group.map((c) => c.part!.index), Array.from({ length: group[0].part!.of }, (_, i) => i + 1));
    for (let i = 1; i < group.length; i++) {
      assert.ok(group[i].start <= group[i - 1].end + 1, "no text is skipped between parts");
      if (group[i].start < group[i - 1].end) overlapping++;
    }
  }
  assert.ok(overlapping > 0, "parts repeat the previous part's last sentence");
  for (const c of chunks) {
    assert.match(c.text, /[。！？；”）]$/u, `chunk ends at a sentence end: …${c.text.slice(-15)}`);
    assert.ok(c.text.length <= 700, `chunk of ${c.text.length} chars`);
  }
  const plain = chunks.filter((c) => !c.itemNo);
  const sizable = plain.filter((c) => c.text.length >= 150).length;
  assert.ok(sizable / plain.length > 0.8, "passages without items are mostly 200–600 characters");
});

test("no chunk holds a page number line or a space between CJK characters; offsets slice the article text", () => {
  const byId = new Map(articles.map((a) => [a.id, a]));
  for (const c of chunks) {
    assert.doesNotMatch(c.text, /(^|\n)\s*\d{1,3}\s*(\n|$)/u, c.id);
    assert.doesNotMatch(c.text, /[\p{Script=Han}，。、：；“”（）《》][ \u3000\t]+[\p{Script=Han}，。、：；“”（）《》]/u, c.text);
    assert.doesNotMatch(c.text, /\f/);
    assert.equal(byId.get(c.articleId)!.text.slice(c.start, c.end), c.text);
    assert.equal(c.title, byId.get(c.articleId)!.title);
    assert.equal(c.headingPath[0], c.title);
  }
  const all = chunks.map((c) => c.text).join("\n");
  assert.ok(all.includes("LNG 接收站"), "a space between Latin and CJK is kept");
  assert.ok(all.includes("2028年第十五届全国冬季运动会"), "digit–CJK spacing normalised");
  assert.ok(all.includes("学习运用浙江“千万工程”经验"), "a word broken at a page start is joined");
});

test("ids are stable: the same text gives the same ids on another run", () => {
  const again = splitArticles(cleanText(raw), FILE).articles.flatMap((a) => chunkArticle(a));
  assert.deepEqual(again.map((c: Chunk) => c.id), chunks.map((c) => c.id));
  assert.equal(new Set(chunks.map((c) => c.id)).size, chunks.length);
});

test("the passage bound splits nothing of the booklet: its passages are at most 600 characters, its longest sentence a fraction of the bound", () => {
  const unbounded = articles.flatMap((a) => chunkArticle(a, { maxPassageChars: Infinity }));
  assert.deepEqual(chunks.map((c) => [c.id, c.start, c.end]), unbounded.map((c) => [c.id, c.start, c.end]));
  assert.ok(Math.max(...chunks.map((c) => c.text.length)) <= 600);
  assert.ok(Math.max(...chunks.flatMap((c) => c.sentences.map(([s, e]) => e - s))) < DEFAULT_CHUNK_OPTIONS.maxPassageChars / 3);
});

test("each item's first chunk stores its heading span: the item's heading sentence, as its heading path names it", () => {
  const openers = chunks.filter((c) => c.itemNo && (!c.part || c.part.index === 1));
  assert.equal(openers.length, 40);
  for (const c of openers) {
    assert.ok(c.heading, c.headingPath.at(-1));
    assert.equal(c.text.slice(...c.heading).replace(/[。！？；]$/u, ""), c.headingPath.at(-1));
    assert.deepEqual(c.heading, c.sentences[0]);
  }
  assert.ok(chunks.filter((c) => !openers.includes(c)).every((c) => c.heading === undefined));
});
