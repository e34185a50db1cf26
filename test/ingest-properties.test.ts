/**
 * Properties over generated documents: any wrapped, paginated layout of paragraphs cleans back to
 * the same paragraphs, and chunks always slice their article and end at sentence ends.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { chunkArticle, DEFAULT_CHUNK_OPTIONS } from "../ingest/chunk-article.ts";
import { sentenceBounds } from "../text/sentences.ts";
import { cleanText } from "../ingest/clean-text.ts";

const HAN = [..."发展建设推进加强经济社会改革创新全面工作重要坚持实施制度体系能力产业科技人才安全生态文化城乡区域开放合作"];
const sentence = fc
  .tuple(fc.array(fc.constantFrom(...HAN), { minLength: 4, maxLength: 30 }), fc.option(fc.array(fc.constantFrom(...HAN), { minLength: 2, maxLength: 12 }), { nil: undefined }))
  .map(([a, b]) => `${a.join("")}${b ? `，${b.join("")}` : ""}${b && b.length % 3 === 0 ? "；" : "。"}`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 5 }).map((s) => s.join("").replace(/；$/, "。"));

interface Layout {
  width: number;
  style: "indent" | "trailing-space";
  doubleSpaced: boolean;
  linesPerPage: number;
}
const layout = fc.record({
  width: fc.integer({ min: 14, max: 36 }),
  style: fc.constantFrom("indent" as const, "trailing-space" as const),
  doubleSpaced: fc.boolean(),
  linesPerPage: fc.integer({ min: 5, max: 30 }),
});

/** Lays paragraphs out as a PDF-to-text dump would: wrapped, paginated with page numbers, maybe double-spaced. */
function render(paragraphs: string[], l: Layout): string {
  const lines: string[] = [];
  for (const p of paragraphs) {
    // Wrap at the width; like a typesetter, never start a line with a punctuation mark (it stays on the line before).
    const parts: string[] = [];
    for (let i = 0; i < p.length; ) {
      let end = Math.min(p.length, i + l.width);
      while (end < p.length && /[，。；、]/.test(p[end])) end++;
      parts.push(p.slice(i, end));
      i = end;
    }
    parts.forEach((part, i) => {
      const first = i === 0 && l.style === "indent" ? "    " : "";
      const last = i === parts.length - 1 && l.style === "trailing-space" ? " " : "";
      lines.push(first + part + last);
    });
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (i > 0 && i % l.linesPerPage === 0) out.push("", `${i / l.linesPerPage}`, "");
    out.push(line);
    if (l.doubleSpaced) out.push("");
  });
  return out.join("\n");
}

test("a wrapped, paginated layout of paragraphs cleans back to exactly those paragraphs", () => {
  fc.assert(
    // At least eight lines: in a text of two or three lines, wrapping cannot be told from one paragraph per line.
    fc.property(fc.array(paragraph, { minLength: 2, maxLength: 10 }), layout, (paragraphs, l) => {
      fc.pre(paragraphs.join("").length >= l.width * 8);
      const cleaned = cleanText(render(paragraphs, l)).split("\n").filter((line) => line !== "\f" && line !== "");
      assert.deepEqual(cleaned, paragraphs);
    }),
    { numRuns: 300 },
  );
});

test("chunks slice the article text and end at sentence ends, numbered or not", () => {
  fc.assert(
    fc.property(fc.array(paragraph, { minLength: 1, maxLength: 12 }), fc.boolean(), (paragraphs, numbered) => {
      const text = paragraphs.map((p, i) => (numbered ? `${i + 1}.${p}` : p)).join("\n");
      const article = { id: "a-test", title: "测试文章", source: "t.txt", text };
      const chunks = chunkArticle(article);
      assert.ok(chunks.length > 0);
      for (const c of chunks) {
        assert.equal(text.slice(c.start, c.end), c.text);
        assert.match(c.text, /[。；]$/u);
        // 600 characters, or a little more when a short tail was merged; only a single long sentence exceeds that.
        assert.ok(c.text.length <= 780 || !/[。；]./u.test(c.text), `${c.text.length} characters`);
        assert.ok(c.text.length <= DEFAULT_CHUNK_OPTIONS.maxPassageChars, `${c.text.length} characters, above the bound`);
        // The stored sentences are the shared rule's, and every character but whitespace is in one.
        assert.deepEqual(c.sentences, sentenceBounds(c.text));
        assert.equal(c.sentences.map(([s, e]) => c.text.slice(s, e)).join("").replace(/\s/gu, ""), c.text.replace(/\s/gu, ""));
        // An item's first chunk opens with its heading: the marker and the lead sentence.
        if (numbered && (!c.part || c.part.index === 1)) {
          assert.ok(c.heading, "a numbered item's chunk carries its heading span");
          assert.equal(c.text.slice(...c.heading), c.text.slice(...c.sentences[0]));
          assert.match(c.text.slice(...c.heading), new RegExp(`^${c.itemNo}\\.`));
        } else assert.equal(c.heading, undefined);
      }
      if (numbered) assert.deepEqual([...new Set(chunks.map((c) => c.itemNo))], paragraphs.map((_, i) => String(i + 1)));
      // Every sentence of the article is in some chunk.
      const covered = new Set<number>();
      for (const c of chunks) for (let i = c.start; i < c.end; i++) covered.add(i);
      const missed = [...text].findIndex((ch, i) => ch !== "\n" && !covered.has(i));
      assert.equal(missed, -1, `character ${missed} is in no chunk`);
    }),
    { numRuns: 300 },
  );
});
