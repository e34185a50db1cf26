/**
 * The page's pure pieces, run in node: answer markdown parsing, the SSE reader, source labels,
 * finding a cited passage in its article, the article's headings, when to show the searched question,
 * and the stored chat list.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMarkdown, parseInline, citedNumbers, citedAloneInListItems } from "../web/src/markdown.ts";
import { createSseParser, readSse } from "../web/src/sse.ts";
import { answerAsText, locatePassage, sourceLabel } from "../web/src/sources.ts";
import { ConversationStore, newConversation, titleFrom } from "../web/src/conversations.ts";
import type { Citation } from "../web/src/api-types.ts";
import { findHeadings } from "../web/src/article-text.ts";
import { understoodAs } from "../web/src/message-view.ts";

test("markdown: the citations a list item names on its own (a refusal's list of leads)", () => {
  const refusal = "资料中没有找到答案。\n以下段落最为接近，可供参考：\n- 《甲》 [1]\n- 《乙》 › 6.目标任务 [2]\n- **《丙》** [3]";
  assert.deepEqual([...citedAloneInListItems(refusal)].sort(), [1, 2, 3]);
  // Cited in prose, or together with another passage in one item: not an item of its own.
  assert.deepEqual([...citedAloneInListItems("文件提到了X，但没有给出Y。[1]")], []);
  assert.deepEqual([...citedAloneInListItems("- 甲和乙 [1][2]\n- 丙 [3]")], [3]);
});

test("markdown: paragraphs, bullet and numbered lists, bold and citation markers", () => {
  const blocks = parseMarkdown("措施如下：\n\n- **建设**清洁能源强省[1]\n- 推进一体化[1][2]\n\n1. 第一 [3, 4]\n2. 第二\n\n结语。");
  assert.deepEqual(
    blocks.map((b) => b.kind),
    ["paragraph", "list", "list", "paragraph"],
  );
  const bullets = blocks[1];
  assert.ok(bullets.kind === "list" && !bullets.ordered && bullets.items.length === 2);
  assert.deepEqual(bullets.items[0], [
    { kind: "bold", children: [{ kind: "text", text: "建设" }] },
    { kind: "text", text: "清洁能源强省" },
    { kind: "cite", n: 1 },
  ]);
  assert.deepEqual(bullets.items[1].filter((p) => p.kind === "cite"), [{ kind: "cite", n: 1 }, { kind: "cite", n: 2 }]);
  const numbered = blocks[2];
  assert.ok(numbered.kind === "list" && numbered.ordered);
  assert.deepEqual(numbered.items[0].filter((p) => p.kind === "cite"), [{ kind: "cite", n: 3 }, { kind: "cite", n: 4 }]);
});

test("markdown: a document's own item numbers (12.建设…) and HTML stay plain text", () => {
  const blocks = parseMarkdown("12.建设清洁能源强省。<img src=x onerror=alert(1)> **未闭合");
  assert.equal(blocks.length, 1);
  assert.ok(blocks[0].kind === "paragraph");
  assert.deepEqual(blocks[0].lines[0], [{ kind: "text", text: "12.建设清洁能源强省。<img src=x onerror=alert(1)> **未闭合" }]);
  assert.deepEqual(parseInline("见[第1条]与[12]"), [{ kind: "text", text: "见[第1条]与" }, { kind: "cite", n: 12 }]);
  assert.deepEqual(citedNumbers("a[2] b[1][2] c[3、1]"), [2, 1, 3]);
});

test("SSE: messages split across chunks and CRLF line ends are reassembled", async () => {
  const parser = createSseParser();
  assert.deepEqual(parser.push('event: token\ndata: {"text":"清'), []);
  assert.deepEqual(parser.push('洁"}\r\n\r\n: keep-alive\n\nevent: done\ndata: {"a":1}\ndata: {"b":2}\n'), [
    { event: "token", data: '{"text":"清洁"}' },
  ]);
  assert.deepEqual(parser.end(), [{ event: "done", data: '{"a":1}\n{"b":2}' }]);

  // Multi-byte characters split between network chunks decode intact.
  const bytes = new TextEncoder().encode('event: token\ndata: {"text":"能源"}\n\n');
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += 5) c.enqueue(bytes.slice(i, i + 5));
      c.close();
    },
  });
  const got = [];
  for await (const m of readSse(body)) got.push(m);
  assert.deepEqual(got, [{ event: "token", data: '{"text":"能源"}' }]);
});

const cite: Citation = {
  n: 1,
  chunkId: "c1",
  articleId: "a1",
  title: "《关于清洁能源的意见》",
  headingPath: ["《关于清洁能源的意见》", "三、以科技创新推动产业创新", "12.建设清洁能源强省"],
  itemNo: "12",
  quote: "12.建设清洁能源强省。",
  start: 5,
  end: 16,
};

test("sources: labelled title › section › item without repeating the title, and copied with the answer", () => {
  assert.equal(sourceLabel(cite), "《关于清洁能源的意见》 › 三、以科技创新推动产业创新 › 12.建设清洁能源强省");
  assert.equal(sourceLabel({ title: "《意见》", headingPath: ["二、任务"] }), "《意见》 › 二、任务");
  assert.equal(
    answerAsText("要建设清洁能源强省[1]。\n", [cite], "来源"),
    "要建设清洁能源强省[1]。\n\n来源：\n[1] 《关于清洁能源的意见》 › 三、以科技创新推动产业创新 › 12.建设清洁能源强省",
  );
});

test("passage location: offsets when they match, else the quote's place, else nothing", () => {
  const text = "前言一二三。12.建设清洁能源强省。后文";
  const at = { start: 6, end: 6 + cite.quote.length };
  assert.equal(text.slice(at.start, at.end), cite.quote);
  assert.deepEqual(locatePassage(text, { ...cite, ...at }), at);
  // Stale offsets (e.g. an answer stored before a re-ingest) fall back to finding the quote.
  assert.deepEqual(locatePassage(text, { ...cite, start: 0, end: 3 }), at);
  assert.equal(locatePassage(text, { ...cite, quote: "不存在的段落" }), undefined);
});

class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

test("stored chats: newest first, deleted ones gone, damaged storage reads as empty", () => {
  const storage = new MemoryStorage();
  const store = new ConversationStore(storage);
  const a = { ...newConversation(), title: titleFrom("第一个问题"), updatedAt: 1 };
  const b = { ...newConversation(), title: titleFrom("  第二个\n问题  "), updatedAt: 2 };
  store.save(a);
  store.save(b);
  store.setCurrentId(a.id);
  assert.deepEqual(store.list().map((c) => c.title), ["第二个 问题", "第一个问题"]);
  store.remove(a.id);
  assert.deepEqual(store.list().map((c) => c.id), [b.id]);
  assert.equal(store.currentId(), undefined);
  assert.equal(titleFrom("问".repeat(40)).length, 31);
  storage.setItem("policy-qa.conversations.v1", "{not json");
  assert.deepEqual(new ConversationStore(storage).list(), []);
  storage.setItem(
    "policy-qa.conversations.v1",
    JSON.stringify([{ id: "x", title: "t", updatedAt: 1, messages: [{ role: "user", content: "问" }, { role: "assistant", content: 5 }, { role: "assistant", content: "答", citations: [] }] }, { id: 3 }]),
  );
  assert.deepEqual(new ConversationStore(storage).list()[0].messages, [
    { role: "user", content: "问" },
    { role: "assistant", content: "答", citations: [] },
  ]);
});

test("article headings come from the chunks' heading paths: sections on their own line, items opening their sentence", () => {
  const title = "《某某意见》";
  const text = "前言。\n一、总体要求\n1.指导思想。坚持……。\n2.主要目标。到2025年……。\n二、重点任务\n3.建设强省。推进……。";
  const at = (s: string) => text.indexOf(s);
  const chunk = (path: string[], start: number, end: number, itemNo?: string) => ({ id: `c${start}`, headingPath: [title, ...path], start, end, itemNo });
  const chunks = [
    chunk([], 0, 3),
    chunk(["一、总体要求", "1.指导思想"], at("1.指导"), at("\n2.主要"), "1"),
    chunk(["一、总体要求", "2.主要目标"], at("2.主要"), at("\n二、"), "2"),
    // A heading the text does not hold where the chunk starts is left out rather than guessed.
    chunk(["二、重点任务", "不在原文的条目"], at("3.建设"), text.length, "3"),
  ];
  const spans = findHeadings({ title, text, chunks });
  assert.deepEqual(
    spans.map((s) => [text.slice(s.start, s.end), s.level, s.block]),
    [
      ["一、总体要求", 3, true],
      ["1.指导思想", 4, false],
      ["2.主要目标", 4, false],
      ["二、重点任务", 3, true],
    ],
  );
});

test("the searched question is shown only when it is more than the typed one respaced or repunctuated", () => {
  assert.equal(understoodAs("那粮食安全呢？", "辽宁粮食安全有哪些措施？"), "辽宁粮食安全有哪些措施？");
  assert.equal(understoodAs("辽宁清洁能源强省有哪些措施？", "辽宁清洁能源强省有哪些措施"), undefined);
  assert.equal(understoodAs("辽宁 清洁能源", "辽宁清洁能源"), undefined);
  assert.equal(understoodAs("问题", undefined), undefined, "an older server without the field");
  assert.equal(understoodAs("问题", ""), undefined);
});
