/**
 * Fuzzing the text pipeline (cleaner → article splitter → chunker) with generated inputs: random Unicode,
 * lone surrogates, NUL bytes, CRLF, form feeds, huge lines, page numbers mixed into policy-like text.
 * Nothing may throw, and nothing may be lost: every non-whitespace character the cleaner is not meant to
 * remove survives in order, and every chunk slices its article's text back to itself.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { chunkArticle, DEFAULT_CHUNK_OPTIONS } from "../ingest/chunk-article.ts";
import { sentenceBounds } from "../text/sentences.ts";
import { cleanText } from "../ingest/clean-text.ts";
import { splitArticles } from "../ingest/split-articles.ts";
import type { Article } from "../vectors/types.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

// ---- generators -------------------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n));
const awkward = fc.constantFrom("\0", "\r\n", "\r", "\n", "\f", "\t", "\u3000", "\u00a0", "\ufeff", "\u200b", "\u2028", " ", "\n\n", "\f\n");
const han = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((n) => String.fromCharCode(n));
const policyPiece = fc.constantFrom(
  "一、总体要求", "（三）加强组织领导", "12.建设清洁能源强省。", "第五条", "第二章 总则", "(2)", "。", "，", "；", "：",
  "“", "”", "《辽宁省条例》", "2023年11月7日", "LNG 接收站", "- 13 -", "13", "第 4 页", "4 / 63", "　　", "    ",
);
/** Pieces of every kind glued together, so layouts and markers meet junk in every combination. */
const fragment = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 2, arbitrary: loneSurrogate },
  { weight: 4, arbitrary: awkward },
  { weight: 4, arbitrary: fc.array(han, { maxLength: 40 }).map((a) => a.join("")) },
  { weight: 4, arbitrary: policyPiece },
);
const messyText = fc.array(fragment, { maxLength: 120 }).map((parts) => parts.join(""));
/** Lines shaped like the seed dump: indented, wrapped, page numbers between pages. */
const dumpLike = fc
  .tuple(
    fc.array(
      fc.oneof(
      fc.array(han, { minLength: 10, maxLength: 28 }).map((a) => `    ${a.join("")}。 `),
      fc.array(han, { minLength: 26, maxLength: 28 }).map((a) => a.join("")),
      fc.integer({ min: 1, max: 999 }).map((n) => `${n} `),
      policyPiece,
      fc.constant(""),
    ),
      { maxLength: 80 },
    ),
    fc.constantFrom("\n", "\r\n", "\n\n"),
  )
  .map(([lines, eol]) => lines.join(eol));

/** Policy-shaped layout text (the cleaner's output format): titles, dates, sections, numbered items, gaps, page breaks. */
const sentence = fc.tuple(fc.array(han, { minLength: 1, maxLength: 60 }), fc.constantFrom("。", "；", "！", "", "，")).map(([a, end]) => a.join("") + end);
const layoutLine = fc.oneof(
  { weight: 1, arbitrary: fc.array(han, { minLength: 2, maxLength: 30 }).map((a) => a.join("")) }, // title-like
  { weight: 1, arbitrary: fc.constantFrom("（2023年11月7日中国共产党辽宁省第十三届", "委员会第六次全体会议通过）", "2023年11月7日") },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("一、", "二、", "三、", "第一章", "第二章", "（一）", "（二）", "（三）", "第一条", "第二条", "1.", "2.", "3.", "（1）", "（2）"), fc.array(sentence, { minLength: 1, maxLength: 6 })).map(([m, ss]) => m + ss.join("")) },
  { weight: 4, arbitrary: fc.array(sentence, { minLength: 1, maxLength: 30 }).map((ss) => ss.join("")) },
  { weight: 2, arbitrary: fc.constantFrom("", "", "\f") },
  { weight: 1, arbitrary: messyText },
);
const layoutText = fc.array(layoutLine, { maxLength: 60 }).map((lines) => lines.join("\n"));

// ---- the oracle: what cleanText promises to remove ---------------------------------------------

/** Page-number lines as the cleaner documents them: "13", "- 13 -", "第 13 页", "13 / 63". */
const PAGE_NUMBER = /^(?:[-—–－~]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-—–－~])?$|^\d{1,4}\s*\/\s*\d{1,4}$/u;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;

/** The input's characters that must survive cleaning: all but whitespace, zero-width marks and page-number lines. */
function mustSurvive(raw: string): string {
  return raw
    .replace(ZERO_WIDTH, "")
    .replace(/\r\n?/g, "\n")
    .split(/[\n\f]/)
    .filter((line) => !PAGE_NUMBER.test(line.trim()))
    .join("")
    .replace(/\s+/gu, "");
}
const nonWhitespace = (s: string) => s.replace(/\s+/gu, "");

function assertNothingLost(raw: string): void {
  const cleaned = cleanText(raw);
  assert.equal(typeof cleaned, "string");
  assert.equal(nonWhitespace(cleaned), mustSurvive(raw));
}

// ---- properties --------------------------------------------------------------------------------

test("cleanText keeps every non-whitespace character of random Unicode, in order, and never throws", () => {
  fc.assert(fc.property(messyText, assertNothingLost), { numRuns: RUNS });
});

test("cleanText keeps the text of dump-like input (wrapped lines, indents, page numbers, CRLF)", () => {
  fc.assert(fc.property(dumpLike, assertNothingLost), { numRuns: RUNS });
});

test("cleanText removes the page-number lines it promises to remove, and carriage returns", () => {
  const raw = "    第一段文字，内容很长很长很长。 \r\n\f\r\n- 13 -\r\n第 14 页\n13 / 63\n    第二段文字。 \n";
  const cleaned = cleanText(raw);
  assert.doesNotMatch(cleaned, /13|14|63/);
  assert.match(cleaned, /第一段文字，内容很长很长很长。/);
  assert.match(cleaned, /第二段文字。/);
  assert.doesNotMatch(cleaned, /\r/);
});

test("cleanText survives huge lines and huge inputs without losing text", () => {
  const hugeLine = "政策".repeat(200_000); // one 400k-character line, no break anywhere
  assertNothingLost(hugeLine);
  const manyLines = Array.from({ length: 20_000 }, (_, i) => (i % 50 === 49 ? `${i}` : `    第${i}行内容，测试文本。`)).join("\n");
  assertNothingLost(manyLines);
  assertNothingLost("\0".repeat(10_000) + "\f".repeat(10_000) + "\r\n".repeat(10_000));
});

// ---- splitter: every paragraph of the cleaned text ends up in an article (title, date or body) --

const SOURCE = "fuzz-input.txt";
const SKIPPED = /^.*?: "([\s\S]*)" has no text after its title; skipped$/;

/**
 * The articles' text, in order, must be the cleaned text's: titles (except the file-named article that
 * collects text before the first title), dates and bodies. A title with no text under it is dropped
 * with a warning; such titles are allowed to be missing, at their place, and nothing else.
 */
function assertSplitKeepsText(layout: string, fromCleaner: boolean): Article[] {
  const { articles, warnings } = splitArticles(layout, SOURCE);
  const want = nonWhitespace(layout);
  const got = nonWhitespace(
    articles.map((a, i) => (i === 0 && a.title === "fuzz-input" ? "" : a.title) + a.text).join(""),
  );
  const skipped = warnings.flatMap((w) => SKIPPED.exec(w)?.[1] ?? []).map(nonWhitespace);
  let w = 0;
  let g = 0;
  for (const title of skipped) {
    let p = want.indexOf(title, w);
    while (p !== -1 && want.slice(w, p) !== got.slice(g, g + p - w)) p = want.indexOf(title, p + 1);
    assert.notEqual(p, -1, `skipped title ${JSON.stringify(title)} not found where text is missing`);
    g += p - w;
    w = p + title.length;
  }
  assert.equal(got.slice(g), want.slice(w));
  for (const a of articles) {
    assert.ok(a.title.trim().length > 0, "every article has a title");
    // The cleaner marks page breaks as lines of their own; those must not leak into article text.
    if (fromCleaner) assert.ok(!a.text.includes("\f"), "page-break marks do not leak into article text");
  }
  return articles;
}

test("splitArticles puts every character of the cleaned text into some article, in order", () => {
  fc.assert(fc.property(layoutText, (t) => void assertSplitKeepsText(t, false)), { numRuns: RUNS });
  fc.assert(fc.property(fc.oneof(messyText, dumpLike), (raw) => void assertSplitKeepsText(cleanText(raw), true)), { numRuns: RUNS });
});

// ---- chunker: chunks slice their article; text not in any chunk is a heading carried in a path --

function assertChunksCover(article: Article): void {
  const chunks = chunkArticle(article);
  const covered = new Uint8Array(article.text.length);
  const headings = new Set<string>();
  for (const c of chunks) {
    assert.ok(c.start >= 0 && c.start < c.end && c.end <= article.text.length, `chunk span ${c.start}-${c.end} inside the article`);
    assert.equal(article.text.slice(c.start, c.end), c.text, "a chunk's offsets slice the article text back to its text");
    assert.ok(c.text.trim().length > 0, "no empty chunk");
    assert.ok(c.text.length <= DEFAULT_CHUNK_OPTIONS.maxPassageChars, `a ${c.text.length}-character passage, above the bound`);
    assert.deepEqual(c.sentences, sentenceBounds(c.text), "the stored sentences are the shared rule's");
    if (c.heading) assert.ok(c.heading[0] === 0 && c.heading[1] <= c.text.length, "the heading span lies at the chunk's start");
    assert.equal(c.headingPath[0], article.title);
    covered.fill(1, c.start, c.end);
    for (const h of c.headingPath) headings.add(nonWhitespace(h));
  }
  let offset = 0;
  for (const line of article.text.split("\n")) {
    let lost = "";
    for (let i = 0; i < line.length; i++) if (!covered[offset + i]) lost += line[i];
    if (nonWhitespace(lost) !== "") {
      // Only a section heading may stay out of the chunks' text, and then it is in their heading paths.
      const heading = nonWhitespace(line).replace(/[。！？]$/u, "");
      assert.ok(headings.has(heading), `text in no chunk and in no heading path: ${JSON.stringify(lost.slice(0, 80))}`);
    }
    offset += line.length + 1;
  }
}

test("chunkArticle: every chunk slices its article, and no text falls outside both chunks and heading paths", () => {
  fc.assert(
    fc.property(layoutText, (t) => {
      for (const a of splitArticles(t, SOURCE).articles) assertChunksCover(a);
    }),
    { numRuns: RUNS },
  );
});

test("chunkArticle never throws on arbitrary article text, however long or strange", () => {
  const anyArticle = fc.record({ title: fc.string({ minLength: 1, maxLength: 30 }), text: fc.oneof(messyText, layoutText) });
  fc.assert(
    fc.property(anyArticle, ({ title, text }) => {
      for (const c of chunkArticle({ id: "a", title, source: SOURCE, text })) assert.equal(text.slice(c.start, c.end), c.text);
    }),
    { numRuns: RUNS },
  );
  const huge = { id: "h", title: "长文", source: SOURCE, text: "一、总则\n" + "政策".repeat(100_000) + "\n1.第一项。" + "内容。".repeat(20_000) };
  assertChunksCover(huge);
});

test("a 1M-character run without a full stop becomes bounded passages, as plain text and as one numbered item", () => {
  const run = "政策文件内容".repeat(166_667).slice(0, 1_000_000);
  const max = DEFAULT_CHUNK_OPTIONS.maxPassageChars;
  for (const text of [run, `一、总则\n1.${run}\n2.第二项。`, `${run.slice(0, 500_000)}，${run.slice(0, 500_000)}`]) {
    const [article] = splitArticles(cleanText(`长文标题\n\n${text}`), SOURCE).articles;
    const chunks = chunkArticle(article);
    assertChunksCover(article);
    assert.ok(chunks.length >= Math.ceil(1_000_000 / max), `${chunks.length} passages`);
    const item = chunks.filter((c) => c.itemNo === "1");
    if (item.length) {
      // The pieces of one item are its parts, numbered in order, and only the first opens with the heading.
      assert.deepEqual(item.map((c) => c.part?.index), item.map((_, i) => i + 1));
      assert.ok(item.every((c) => c.part?.of === item.length));
      assert.deepEqual(item.map((c) => !!c.heading), item.map((_, i) => i === 0));
    }
  }
});

// ---- the losses the fuzzing found, as fixed examples (so a regression fails every run, not by chance) --

test("a section heading with no text under it is still findable (in a chunk or a heading path)", () => {
  const text = "一、总体要求\n二、主要任务\n1.第一项内容很多。\n2.第二项内容也很多。\n三、保障措施";
  assertChunksCover({ id: "a", title: "《示例意见》", source: SOURCE, text });
});

test("an article whose only paragraph is a numbered heading still gets a chunk", () => {
  const chunks = chunkArticle({ id: "a", title: "《示例》", source: SOURCE, text: "一、加强组织领导。" });
  assert.ok(chunks.length > 0, "the article's text is in no chunk, so no search can find it");
});

test("a title dropped for having no text under it does not silently take its date line along", () => {
  // A part title with a date line and nothing under it (a booklet's divider page), then an article.
  const layout = "中央文件选编\n（2023年11月7日印发）\n\n\n关于推进某项工作的意见\n\n这是正文第一段。";
  assertSplitKeepsText(layout, true);
});
