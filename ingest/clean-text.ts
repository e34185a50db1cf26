/**
 * Raw layout text (a PDF-to-text dump, a plain .txt, converted HTML/Markdown) → clean paragraphs.
 *
 * Output ("layout text"), read by splitArticles:
 *   - one paragraph per line, lines inside a paragraph joined (no space between CJK characters);
 *   - an empty line where the source left extra space (two empty lines for a large gap);
 *   - a line holding only "\f" where a page break falls between two paragraphs.
 * Removed: page-number lines, form feeds, page-start and indent spaces, stray spaces inside CJK text.
 * The layout is measured, not assumed: double-spaced dumps, trailing-space paragraph ends, indents
 * and line widths are read from the file itself.
 */
import { markerAt } from "../text/headings.ts";
import { displayWidth, isCjk, isLatinOrDigit, PARAGRAPH_END_CHAR } from "./text-shape.ts";

interface Line {
  text: string;
  indent: number;
  trailing: boolean;
}

type Item = { kind: "text"; line: Line } | { kind: "blank" } | { kind: "page" };

/** A line that is only a page number: "13", "- 13 -", "第 13 页", "13 / 63". */
const PAGE_NUMBER = /^(?:[-—–－~]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-—–－~])?$|^\d{1,4}\s*\/\s*\d{1,4}$/u;

export interface CleanOptions {
  /** Each line is already one paragraph (converted HTML/Markdown): do not join lines. */
  paragraphLines?: boolean;
}

export function cleanText(raw: string, options: CleanOptions = {}): string {
  const items = readLines(raw);
  const lines = items.flatMap((it) => (it.kind === "text" ? [it.line] : []));
  if (lines.length === 0) return "";
  const measured = measureLayout(items, lines);
  const layout: Layout = options.paragraphLines ? { ...measured, doubleSpaced: false, baseBlanks: 0, wrapped: false } : measured;

  const out: string[] = [];
  let para: Line[] = [];
  let prev: Line | undefined;
  let blanks = 0;
  let page = true; // the file start counts as a page start
  const flush = () => {
    if (para.length) out.push(normalizeParagraph(joinLines(para)));
    para = [];
  };
  for (const it of items) {
    if (it.kind === "blank") {
      blanks++;
      continue;
    }
    if (it.kind === "page") {
      page = true;
      continue;
    }
    const line = it.line;
    // In a double-spaced dump two text lines with nothing between them are the seam between two pages.
    const seam = prev !== undefined && layout.doubleSpaced && blanks === 0;
    const pageBreak = page || seam;
    const gap = pageBreak ? 0 : Math.min(2, blanks - layout.baseBlanks);
    const starts = prev === undefined || gap > 0 || startsParagraph(prev, line, layout);
    if (starts) {
      flush();
      if (out.length) {
        if (pageBreak) out.push("\f");
        for (let g = 0; g < gap; g++) out.push("");
      }
    }
    para.push(line);
    prev = line;
    blanks = 0;
    page = false;
  }
  flush();
  return out.join("\n");
}

function readLines(raw: string): Item[] {
  const text = raw
    .replace(/^\ufeff/, "")
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
    .replace(/\r\n?/g, "\n")
    .replace(/\u00a0/g, " ");
  const items: Item[] = [];
  for (const physical of text.split("\n")) {
    const parts = physical.split("\f");
    parts.forEach((part, i) => {
      if (i > 0) items.push({ kind: "page" });
      const trimmed = part.trim();
      if (trimmed === "") {
        if (parts.length === 1) items.push({ kind: "blank" });
        return;
      }
      if (PAGE_NUMBER.test(trimmed)) {
        items.push({ kind: "page" });
        return;
      }
      const lead = /^[ \t\u3000]*/.exec(part)![0];
      let indent = 0;
      for (const ch of lead) indent += ch === "\t" ? 4 : ch === "\u3000" ? 2 : 1;
      items.push({ kind: "text", line: { text: trimmed, indent, trailing: /[ \t\u3000]$/.test(part) } });
    });
  }
  // Blank lines next to a page number belong to the page footer, not to the text.
  for (let i = 0; i < items.length; i++) {
    if (items[i].kind !== "page") continue;
    for (let j = i - 1; j >= 0 && items[j].kind === "blank"; j--) items[j] = { kind: "page" };
    for (let j = i + 1; j < items.length && items[j].kind === "blank"; j++) items[j] = { kind: "page" };
  }
  return items;
}

interface Layout {
  doubleSpaced: boolean;
  /** Blank lines that normally separate two lines of text (1 in a double-spaced dump). */
  baseBlanks: number;
  /** Lines are wrapped at a width (a dump), rather than one paragraph per line. */
  wrapped: boolean;
  width: number;
  bodyIndent: number;
  /** Trailing whitespace marks a paragraph end (only when it is rare enough to carry meaning). */
  trailingMarksEnd: boolean;
}

function measureLayout(items: Item[], lines: Line[]): Layout {
  // What follows a line that stops mid-sentence: text directly (a wrap) or one blank line (double spacing).
  let brokenThenText = 0;
  let brokenThenBlank = 0;
  let blanks = 0;
  let prev: Line | undefined;
  for (const it of items) {
    if (it.kind === "blank") blanks++;
    else if (it.kind === "page") {
      prev = undefined;
      blanks = 0;
    } else {
      if (prev && !PARAGRAPH_END_CHAR.test(prev.text)) {
        if (blanks === 0) brokenThenText++;
        else if (blanks === 1) brokenThenBlank++;
      }
      prev = it.line;
      blanks = 0;
    }
  }
  const widths = lines.map((l) => displayWidth(l.text)).sort((a, b) => a - b);
  const width = widths[Math.floor(widths.length * 0.9)] ?? 0;
  // Wrapped text: many lines run to the same width and break mid-sentence (one paragraph per line never does).
  const brokenFull = lines.filter((l) => displayWidth(l.text) >= width * 0.85 && !/[。！？!?”」』]$/u.test(l.text)).length;
  // Or: a paragraph's indented first line runs to the full width and the next line sits on the margin.
  const margin = lines.reduce((m, l) => Math.min(m, l.indent), Infinity);
  let indentedThenMargin = 0;
  let last: Line | undefined;
  let gap = 0;
  for (const it of items) {
    if (it.kind === "text") {
      const a = last;
      if (a && gap <= 1 && a.indent >= margin + 2 && it.line.indent === margin && displayWidth(a.text) >= width * 0.85) indentedThenMargin++;
      last = it.line;
      gap = 0;
    } else if (it.kind === "blank") gap++;
    else last = undefined;
  }
  // Trailing whitespace carries meaning when only some lines have it and those look like paragraph ends.
  const trailing = lines.filter((l) => l.trailing);
  const endLike = trailing.filter((l) => PARAGRAPH_END_CHAR.test(l.text) || displayWidth(l.text) < width * 0.9).length;
  const trailingMarksEnd = trailing.length > 0 && trailing.length < lines.length && endLike >= trailing.length * 0.8;
  // Or: paragraph ends carry trailing space and the other lines all run to the full width. Wraps that
  // happen to fall after a full stop are then still told from paragraph ends.
  const unmarked = lines.filter((l) => !l.trailing);
  const unmarkedFull = unmarked.filter((l) => displayWidth(l.text) >= width * 0.85).length;
  const wrapped =
    brokenFull / lines.length >= 0.2 ||
    indentedThenMargin >= Math.max(1, lines.length * 0.1) ||
    (trailingMarksEnd && unmarkedFull >= 2 && unmarkedFull >= unmarked.length * 0.8);
  // Blank lines between wrapped lines are an artifact of the conversion; between whole paragraphs they mean a break.
  const doubleSpaced = wrapped && brokenThenBlank > brokenThenText;
  // The left margin: continuation lines sit on it, paragraph starts are indented from it.
  const bodyIndent = margin;
  return { doubleSpaced, baseBlanks: doubleSpaced ? 1 : 0, wrapped, width, bodyIndent, trailingMarksEnd };
}

/** Does `line` begin a new paragraph after `prev` (no gap between them)? */
function startsParagraph(prev: Line, line: Line, layout: Layout): boolean {
  if (!layout.wrapped) return true;
  if (line.indent >= layout.bodyIndent + 2) return true;
  const prevEnds =
    (layout.trailingMarksEnd && prev.trailing) ||
    displayWidth(prev.text) < layout.width * 0.7 ||
    (PARAGRAPH_END_CHAR.test(prev.text) && displayWidth(prev.text) < layout.width * 0.9);
  if (prevEnds) return true;
  // A numbered item starts a paragraph, but only where the previous line could have ended one.
  return markerAt(line.text) !== undefined && PARAGRAPH_END_CHAR.test(prev.text);
}

function joinLines(lines: Line[]): string {
  let s = lines[0].text;
  for (let i = 1; i < lines.length; i++) {
    const next = lines[i].text;
    const a = s[s.length - 1];
    const b = next[0];
    // Only two Latin words meet with a space; a wrap in Chinese text is not a space.
    s += isLatinOrDigit(a) && isLatinOrDigit(b) && /[A-Za-z]/.test(a + b) ? ` ${next}` : next;
  }
  return s;
}

const HAN_RUN = "\\p{Script=Han}";

/**
 * Spaces: runs collapse to one; none between CJK characters, or between CJK and digits ("2028 年" →
 * "2028年"); kept between CJK and Latin words ("LNG 接收站"). A heading-like line (short, no closing
 * punctuation) keeps the single spaces that separate its phrases ("铸牢…意识 推进…").
 */
export function normalizeParagraph(p: string): string {
  let s = p.replace(/[ \t\u3000]+/g, " ").trim();
  const headingLike = displayWidth(s) <= 80 && !/[。！？；，、：!?;,:]$/u.test(s);
  s = s.replace(new RegExp(`(?<=[${HAN_RUN}\\p{P}])\\s(?=\\d)|(?<=\\d)\\s(?=[${HAN_RUN}\\p{P}])`, "gu"), "");
  s = s.replace(/ (?=\S)/g, (m, offset: number) => {
    const a = s[offset - 1];
    const b = s[offset + 1];
    if (!isCjk(a) || !isCjk(b)) return m;
    // Next to a comma or full stop a space never separates two phrases.
    const separator = !/[，、。：；！？]/u.test(a + b);
    return headingLike && separator ? m : "";
  });
  return s;
}
