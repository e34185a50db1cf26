/**
 * The one heading recogniser: the numbered structure a paragraph opens with (第一章, 一、, （一）,
 * 第五条, 1., （1）) and the heading phrase that follows it. The ingest reads a document's outline
 * with it; the answer layer uses what the ingest stored (each chunk's `heading` span) or, for text
 * without one, `isHeadingSentence`.
 */
import { parseChineseNumber } from "./numerals.ts";
import { endOfMarks, type Bounds } from "./sentences.ts";

/** Numbered structure at the start of a paragraph, from the outermost level in. */
export const MARKERS = [
  { kind: "chapter", rank: 0, re: /^第([一二三四五六七八九十百零〇两\d]+)([编章节]|部分)/u },
  { kind: "cn", rank: 1, re: /^([一二三四五六七八九十百]+)、/u },
  { kind: "paren-cn", rank: 2, re: /^[（(]([一二三四五六七八九十百]+)[）)]/u },
  { kind: "article", rank: 2, re: /^第([一二三四五六七八九十百零〇两\d]+)条/u },
  { kind: "arabic", rank: 3, re: /^(\d{1,3})[.．、](?![\d．.])/u },
  { kind: "paren-arabic", rank: 4, re: /^[（(](\d{1,3})[）)]/u },
] as const;

export type MarkerKind = (typeof MARKERS)[number]["kind"];

export interface Marker {
  kind: MarkerKind;
  rank: number;
  /** The number as written ("12", "三", "第五条" → "五"). */
  label: string;
  value: number;
  /** The marker text itself, e.g. "12." or "（三）". */
  text: string;
}

/** The numbered marker a paragraph starts with, if any. */
export function markerAt(paragraph: string): Marker | undefined {
  for (const m of MARKERS) {
    const hit = m.re.exec(paragraph);
    if (hit) {
      const value = parseChineseNumber(hit[1]);
      if (value > 0) return { kind: m.kind, rank: m.rank, label: hit[1], value, text: hit[0] };
    }
  }
  return undefined;
}

/** A heading as a chunk carries it: the text for its heading path and its span in the paragraph. */
export interface Heading {
  heading: string;
  /** [start, end) of the heading in the paragraph, its closing mark included when it is a whole sentence. */
  span: Bounds;
}

/** Longest item lead kept whole in a heading path; a longer one is cut at a comma or shortened with …. */
const MAX_LEAD = 40;
const SHORT_LEAD = 30;

/** An item's heading: its marker + lead phrase up to the first sentence end ("12.建设清洁能源强省"). */
export function itemHeading(paragraph: string, m: Marker): Heading {
  const rest = paragraph.slice(m.text.length);
  const end = rest.search(/[。！？；]/u);
  let lead = end === -1 ? rest : rest.slice(0, end);
  let shown = lead;
  let whole = true;
  if (lead.length > MAX_LEAD) {
    whole = false;
    const comma = lead.search(/[，：:]/u);
    lead = comma > 0 && comma <= MAX_LEAD ? lead.slice(0, comma) : lead.slice(0, SHORT_LEAD);
    shown = comma > 0 && comma <= MAX_LEAD ? lead : `${lead}…`;
  }
  const leadEnd = m.text.length + lead.length;
  const spanEnd = whole && end !== -1 ? endOfMarks(paragraph, leadEnd) : leadEnd;
  // "第五条 市园林……": a law's article number is set apart from its text, as it is printed.
  const heading = (m.kind === "article" ? `${m.text} ${shown.trim()}` : `${m.text}${shown}`).trim();
  return { heading, span: [0, spanEnd] };
}

/** Longest section heading line that stands alone (longer ones are body text that opens with a number). */
const MAX_SECTION_LINE = 80;

/**
 * A section heading paragraph (一、…, 第二章…): the whole line when it is only a heading (no sentence
 * end inside, at most 80 characters), else its first sentence.
 */
export function sectionHeading(paragraph: string): Heading & { headingOnly: boolean } {
  const firstEnd = paragraph.search(/[。！？]/u);
  if (firstEnd === -1 || firstEnd === paragraph.length - 1) {
    return { heading: paragraph.replace(/[。！？]$/u, ""), headingOnly: paragraph.length <= MAX_SECTION_LINE, span: [0, paragraph.length] };
  }
  return { heading: paragraph.slice(0, firstEnd), headingOnly: false, span: [0, endOfMarks(paragraph, firstEnd)] };
}

/**
 * A sentence that only carries a heading: a marker and a short phrase, e.g. "12.建设清洁能源强省。" or
 * "（三）加强组织领导。" (for text without a stored heading span; a chunk's own is in `chunk.heading`).
 */
export function isHeadingSentence(s: string): boolean {
  if ([...s].length > 32) return false;
  const t = s.trim();
  const m = markerAt(t);
  return !!m && /^\s*\S{1,30}[。；]?$/u.test(t.slice(m.text.length));
}
