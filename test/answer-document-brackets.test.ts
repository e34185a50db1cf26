/**
 * A document's own bracketed number (a footnote such as "附件[2]") quoted by the extractive answer stays
 * a verbatim part of the quote: it is not read as a citation marker, does not renumber or point at
 * another passage, and the page shows it as text (issue #13).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { answer } from "../server/answer/pipeline.ts";
import { extractivePieces } from "../server/answer/extractive-pieces.ts";
import { createExtractiveGenerator } from "../server/answer/generator.ts";
import type { Chunk } from "../vectors/types.ts";
import type { Citation, PassageIndex } from "../server/answer/types.ts";
import { parseMarkdown } from "../web/src/markdown.ts";
import { sentenceBounds } from "../text/sentences.ts";
import { SearchIndexRetriever } from "../vectors/retriever.ts";

const chunk = (id: string, item: string, text: string): Chunk => ({
  id,
  articleId: "a1",
  title: "《生态保护实施意见》",
  headingPath: ["《生态保护实施意见》", item],
  itemNo: item.split(".")[0],
  text,
  start: 0,
  end: text.length,
  sentences: sentenceBounds(text),
});

const CHUNKS = [
  chunk("c1", "5.开展生态保护红线评估", "5.开展生态保护红线评估。各地要按照附件[2]所列标准开展生态保护红线评估，确保生态功能不降低。"),
  chunk("c2", "6.推进节能降碳", "6.推进节能降碳。严格控制高耗能、高排放项目盲目发展。"),
];
const index: PassageIndex = {
  // The same retriever the real index hands out, over a search that returns these two passages.
  retriever: (opts) => new SearchIndexRetriever(async () => CHUNKS.map((c, i) => ({ chunk: c, score: 1 - i / 10, ranks: { bm25: i + 1 } })), opts),
  core: { chunks: CHUNKS },
};

test("a footnote number inside a quoted sentence is text, and the citation points at the quoted passage", async () => {
  const r = await answer({ question: "生态保护红线评估按照什么标准开展" }, { index, generator: createExtractiveGenerator() });
  assert.equal(r.refused, false);
  assert.ok(r.answer.includes("各地要按照附件\\[2\\]所列标准开展生态保护红线评估"), r.answer);
  assert.deepEqual(r.citations.map((c) => c.chunkId), ["c1"], "only the quoted passage is cited");
  assert.deepEqual(r.uncited, []);

  // The page shows the quote verbatim and one citation chip, [1], pointing at item 5.
  const inline = parseMarkdown(r.answer).flatMap((b) => (b.kind === "paragraph" ? b.lines.flat() : b.kind === "list" ? b.items.flat() : b.content));
  const text = inline.map((x) => (x.kind === "text" ? x.text : "")).join("");
  assert.ok(text.includes("各地要按照附件[2]所列标准开展生态保护红线评估"), text);
  assert.deepEqual(inline.filter((x) => x.kind === "cite").map((x) => (x.kind === "cite" ? x.n : 0)), [1]);
});

test("the composer's markers are told from a document's brackets by what they quote", () => {
  const p = (n: number, quote: string): Citation => ({ n, chunkId: `c${n}`, articleId: "a", title: "t", headingPath: ["t"], quote, start: 0, end: quote.length });
  const passages = [p(1, "依照第[1]项执行。另见附件[3]。"), p(2, "乙项内容。"), p(3, "丙项内容。")];
  // A footnote with the quoted passage's own number, and one with another passage's number.
  assert.deepEqual(extractivePieces("根据资料：\n- 依照第[1]项执行。[1]\n- ……另见附件[3]。[1]乙项内容。[2]", passages), [
    { literal: "根据资料：\n- 依照第[1]项执行。" },
    { cite: 1 },
    { literal: "\n- ……另见附件[3]。" },
    { cite: 1 },
    { literal: "乙项内容。" },
    { cite: 2 },
  ]);
  // Two markers after one quote are both markers.
  assert.deepEqual(extractivePieces("乙项内容。[2][3]", passages), [{ literal: "乙项内容。" }, { cite: 2 }, { cite: 3 }]);
});
