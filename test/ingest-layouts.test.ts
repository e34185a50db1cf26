/**
 * Files the tests make: a second multi-article booklet in another layout, GBK and BOM text, HTML,
 * Markdown and a PDF with Chinese text; empty, binary and unknown files are refused with a reason.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chunkArticle } from "../ingest/chunk-article.ts";
import { cleanText } from "../ingest/clean-text.ts";
import { loadCorpusFile, UnreadableFileError } from "../ingest/load-file.ts";
import { splitArticles } from "../ingest/split-articles.ts";
import type { Article, Chunk } from "../vectors/types.ts";
import { BOOKLET, encodeGbk, layoutBooklet, makePdf } from "./fixtures/ingest/make-files.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-layouts-"));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function ingestFile(name: string, bytes: Uint8Array | string): Promise<{ articles: Article[]; chunks: Chunk[] }> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  const loaded = await loadCorpusFile(file);
  const { articles } = splitArticles(cleanText(loaded.text, { paragraphLines: loaded.paragraphLines }), name);
  return { articles, chunks: articles.flatMap((a) => chunkArticle(a)) };
}

const squash = (s: string) => s.replace(/\s+/g, "");

test("a second booklet in another layout: titles, dates, structure and text come back whole", async () => {
  const raw = layoutBooklet(BOOKLET);
  assert.ok(raw.includes("\f") && raw.includes("\r\n") && raw.includes("- 2 -"), "the layout really differs from the seed's");
  const { articles, chunks } = await ingestFile("booklet-2.txt", raw);

  assert.deepEqual(articles.map((a) => a.title), BOOKLET.map((a) => a.title));
  assert.equal(articles[0].date, BOOKLET[0].date);
  assert.equal(articles[1].date, undefined);
  // Every paragraph survives intact (page breaks and wraps inside it are joined).
  BOOKLET.forEach((b, i) => {
    const paras = articles[i].text.split("\n").filter((p) => p !== articles[i].date);
    assert.deepEqual(paras.map(squash), b.paragraphs.map(squash));
  });
  for (const c of chunks) {
    assert.doesNotMatch(c.text, /- \d+ -|\f|\r/);
    assert.equal(articles.find((a) => a.id === c.articleId)!.text.slice(c.start, c.end), c.text);
  }

  // The regulation: chapters › articles (第X条).
  const reg = chunks.filter((c) => c.articleId === articles[0].id && c.itemNo);
  assert.deepEqual(reg.map((c) => c.itemNo), ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条"]);
  const art5 = reg.find((c) => c.itemNo === "第五条")!;
  assert.deepEqual(art5.headingPath, [BOOKLET[0].title, "第二章 管理职责", "第五条 市园林绿化部门负责全市城市绿化的统一管理工作"]);
  assert.ok(art5.text.endsWith("做好相关工作。"));

  // The notice: 一、 sections › （一） items; text under a section without items is its own passage.
  const notice = chunks.filter((c) => c.articleId === articles[1].id);
  const items = notice.filter((c) => c.itemNo);
  assert.deepEqual(items.map((c) => `${c.section?.split("、")[0]}/${c.itemNo}`), ["二/一", "二/二", "二/三", "三/一", "三/二"]);
  assert.deepEqual(items[0].headingPath, [BOOKLET[1].title, "二、重点任务", "（一）加强隐患排查"]);
  const general = notice.find((c) => c.section === "一、总体要求")!;
  assert.ok(general.text.startsWith("坚持人民至上") && !general.itemNo);

  // The speech has no numbered items: passages of paragraphs, 200–600 characters, cut at sentence ends.
  const speech = chunks.filter((c) => c.articleId === articles[2].id);
  assert.ok(speech.length >= 2);
  for (const c of speech) {
    assert.equal(c.itemNo, undefined);
    assert.deepEqual(c.headingPath, [BOOKLET[2].title]);
    assert.ok(c.text.length <= 600 && c.text.length >= 100, `${c.text.length}`);
    assert.match(c.text, /[。！]$/);
  }
});

test("plain text with one paragraph per line: blank lines between paragraphs, larger gaps between articles", async () => {
  const text = [
    "关于开展节能宣传周活动的通知",
    "",
    "各有关单位：",
    "",
    "为提高全社会节能意识，决定开展节能宣传周活动。现将有关事项通知如下。",
    "",
    "一、活动时间",
    "",
    "活动时间为六月第二周。",
    "",
    "",
    "",
    "关于表彰节能先进单位的决定",
    "",
    "经研究，决定对十家节能工作成绩突出的单位予以表彰。",
    "",
  ].join("\n");
  const { articles, chunks } = await ingestFile("plain.txt", text);
  assert.deepEqual(articles.map((a) => a.title), ["关于开展节能宣传周活动的通知", "关于表彰节能先进单位的决定"]);
  assert.equal(articles[0].text, "各有关单位：\n为提高全社会节能意识，决定开展节能宣传周活动。现将有关事项通知如下。\n一、活动时间\n活动时间为六月第二周。");
  assert.deepEqual(chunks.find((c) => c.text === "活动时间为六月第二周。")!.headingPath, ["关于开展节能宣传周活动的通知", "一、活动时间"]);

  // Without any title shape, the file is one article named after the file: no text is dropped.
  const untitled = await ingestFile("会议纪要.txt", "会议听取了工作汇报。\n会议要求，各单位要抓好落实。\n");
  assert.deepEqual(untitled.articles.map((a) => [a.title, a.text]), [["会议纪要", "会议听取了工作汇报。\n会议要求，各单位要抓好落实。"]]);
});

test("GBK, UTF-8 with BOM and UTF-16 text decode to the same article", async () => {
  const text = "关于推进清洁能源发展的意见\n\n　　建设风光火核储一体化能源基地，构建新型电力系统。完善风电、光伏规划布局。\n";
  const results = await Promise.all([
    ingestFile("gbk.txt", encodeGbk(text)),
    ingestFile("bom.txt", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
    ingestFile("utf16.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])),
  ]);
  assert.equal((await loadCorpusFile(path.join(dir, "gbk.txt"))).encoding, "gb18030");
  for (const { articles } of results) {
    assert.equal(articles.length, 1);
    assert.equal(articles[0].title, "关于推进清洁能源发展的意见");
    assert.equal(articles[0].text, "建设风光火核储一体化能源基地，构建新型电力系统。完善风电、光伏规划布局。");
  }
});

test("HTML and Markdown: each top heading is an article, markup and entities are gone", async () => {
  const html = `<!doctype html><html><head><title>x</title><style>p{color:red}</style></head><body>
    <h1>第一份通知</h1><p>各单位：</p><p>一、加强&nbsp;管理。要落实责任&amp;任务。</p><p>二、强化保障。确保<b>按期</b>完成。</p>
    <h1>第二份通知</h1><p>请认真贯彻执行。<br>特此通知。</p></body></html>`;
  const h = await ingestFile("notice.html", html);
  assert.deepEqual(h.articles.map((a) => a.title), ["第一份通知", "第二份通知"]);
  assert.equal(h.articles[0].text, "各单位：\n一、加强管理。要落实责任&任务。\n二、强化保障。确保按期完成。");
  assert.doesNotMatch(h.chunks.map((c) => c.text).join(""), /[<>]|&nbsp;|color/);

  const md = "# 第一篇\n\n正文第一段，**重点**内容。\n\n## 小标题\n\n1. 第一项要求。\n2. 第二项要求。\n\n# 第二篇\n\n另一篇的[正文](http://x)。\n";
  const m = await ingestFile("notes.md", md);
  assert.deepEqual(m.articles.map((a) => a.title), ["第一篇", "第二篇"]);
  assert.deepEqual(m.chunks.filter((c) => c.itemNo).map((c) => c.itemNo), ["1", "2"]);
  assert.ok(m.articles[1].text === "另一篇的正文。");
});

test("a PDF with Chinese text: title, indented paragraphs and a paragraph running over the page break", async () => {
  const pdf = await makePdf([
    [
      { text: "关于推进清洁能源强省建设的意见", size: 18 },
      { text: "一、总体要求", gapAbove: 20 },
      { text: "1.建设清洁能源强省。加快建设风光火核储一体化", indent: 2 },
      { text: "能源基地，构建新型电力系统，完善风电、光伏规划" },
      { text: "布局。" },
      { text: "2.推进储能发展。加快新型储能技术试点示范及商", indent: 2 },
      { text: "业化应用，建设先进储能装备研发和制造基地，推动" },
      { text: "1" , indent: 12, gapAbove: 40 },
    ],
    [
      { text: "抽水蓄能电站项目建设。" },
      { text: "3.完善电力市场。健全电价形成机制。", indent: 2 },
    ],
  ]);
  const { articles, chunks } = await ingestFile("energy.pdf", pdf);
  assert.deepEqual(articles.map((a) => a.title), ["关于推进清洁能源强省建设的意见"]);
  assert.deepEqual(chunks.map((c) => c.itemNo), ["1", "2", "3"]);
  assert.equal(chunks[0].text, "1.建设清洁能源强省。加快建设风光火核储一体化能源基地，构建新型电力系统，完善风电、光伏规划布局。");
  assert.equal(chunks[1].text, "2.推进储能发展。加快新型储能技术试点示范及商业化应用，建设先进储能装备研发和制造基地，推动抽水蓄能电站项目建设。");
  assert.deepEqual(chunks[1].headingPath, ["关于推进清洁能源强省建设的意见", "一、总体要求", "2.推进储能发展"]);
});

test("empty, binary, unknown-type and damaged files are refused with a reason", async () => {
  const refuse = async (name: string, bytes: Uint8Array | string, reason: RegExp) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    await assert.rejects(loadCorpusFile(path.join(dir, name)), (err: unknown) => err instanceof UnreadableFileError && reason.test(err.message));
  };
  await refuse("empty.txt", "", /empty/);
  await refuse("blank.md", " \n\n \t\n", /no text/);
  await refuse("image.txt", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), /binary/);
  await refuse("table.xlsx", "whatever", /unknown file type "\.xlsx"/);
  await refuse("broken.pdf", "%PDF-1.7\nthis is not really a pdf", /PDF/);
  await refuse("fake.pdf", "plain text named pdf", /not a PDF/);
});
