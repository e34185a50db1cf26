/**
 * One article → passages that follow its own structure. Sections (第X章, 一、) and numbered items
 * (（一）, 第X条, 1.) are read from paragraph starts (text/headings.ts); numbering must run in sequence
 * to count, so a paragraph that merely begins with "3." is not taken for an item. Each item is one
 * chunk; a long item is split at sentence ends with a one-sentence overlap. Text outside items is
 * packed by paragraphs into passages of roughly 200–600 characters, cut only at sentence ends.
 * No passage is longer than `maxPassageChars`: a longer run (one sentence of thousands of
 * characters) is cut at clause marks, else at a fixed size (text/bounded.ts).
 * Every chunk's text is article.text.slice(start, end); its heading path is title › section › item;
 * it carries its sentences' offsets and, when it opens with one, its heading's span (text/sentences.ts).
 */
import { boundedSpans } from "../text/bounded.ts";
import { itemHeading, markerAt, sectionHeading, type Marker, type MarkerKind } from "../text/headings.ts";
import { sentenceBounds } from "../text/sentences.ts";
import type { Article, Chunk } from "../vectors/types.ts";
import { chunkId } from "./ids.ts";

interface Span {
  start: number;
  end: number;
}

/** The sentences of text[start, end) as spans. */
const sentenceSpans = (text: string, start: number, end: number): Span[] => sentenceBounds(text, start, end).map(([s, e]) => ({ start: s, end: e }));

export interface ChunkOptions {
  /** Passages (and items) longer than this are split. */
  maxChars: number;
  /** Passages are not cut before they reach this size (unless the text runs out). */
  minChars: number;
  /** Target size of the parts of a split item. */
  partChars: number;
  /**
   * Hard upper bound on any passage, whatever its sentences: what a prompt or a quote may receive in
   * one piece. Above every passage the rules above make of the seed corpus (at most 600 characters;
   * its longest sentence has 337), so it only cuts runs those rules cannot (a huge unpunctuated line).
   */
  maxPassageChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 600, minChars: 200, partChars: 480, maxPassageChars: 1200 };

interface Para extends Span {
  text: string;
  marker?: Marker;
}

export function chunkArticle(article: Article, options: Partial<ChunkOptions> = {}): Chunk[] {
  const opts = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  const paras = paragraphs(article.text);
  const { itemKind, headingKinds } = structureOf(paras, article.date);
  const chunks: Chunk[] = [];
  // rank → current heading; `shown` once some chunk's heading path carries it.
  const headings = new Map<number, { heading: string; para: Para; shown: boolean }>();
  const open = (maxRank = Infinity) => [...headings.entries()].filter(([r]) => r <= maxRank).sort((a, b) => a[0] - b[0]);
  const headingPath = (maxRank?: number) => [article.title, ...open(maxRank).map(([, h]) => h.heading)];
  // Paragraph start → where the heading it opens with ends (items and sections), for each chunk's `heading`.
  const headingEnds = new Map<number, number>();
  const emit = (span: Span, path: string[], item?: { no: string; heading: string }, part?: { index: number; of: number }) => {
    for (const [, h] of open()) if (path.includes(h.heading)) h.shown = true;
    const text = article.text.slice(span.start, span.end);
    const fullPath = item ? [...path, item.heading] : path;
    const section = path.length > 1 ? path[path.length - 1] : undefined;
    const headingEnd = headingEnds.get(span.start);
    chunks.push({
      id: chunkId(article.id, fullPath, text),
      articleId: article.id,
      title: article.title,
      headingPath: fullPath,
      ...(section ? { section } : {}),
      ...(item ? { itemNo: item.no } : {}),
      ...(part ? { part } : {}),
      text,
      start: span.start,
      end: span.end,
      sentences: sentenceBounds(text),
      ...(headingEnd ? { heading: [0, Math.min(headingEnd, text.length)] as [number, number] } : {}),
    });
  };
  const bounded = (spans: Span[]): Span[] =>
    spans.flatMap((sp) => boundedSpans(article.text, sp.start, sp.end, opts.maxPassageChars).map(([start, end]) => ({ start, end })));

  let run: Para[] = []; // plain paragraphs waiting to be packed
  const flushRun = () => {
    if (run.length) for (const span of bounded(packPassages(article.text, run, opts))) emit(span, headingPath());
    run = [];
  };
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i];
    const m = p.marker;
    if (m && headingKinds.has(m.kind)) {
      flushRun();
      closeHeadings(m.rank);
      const { heading, headingOnly, span } = sectionHeading(p.text);
      headings.set(m.rank, { heading, para: p, shown: false });
      headingEnds.set(p.start, span[1]);
      if (!headingOnly) run.push(p);
      continue;
    }
    if (m && m.kind === itemKind) {
      flushRun();
      let j = i + 1;
      while (j < paras.length && !endsItem(paras[j], itemKind, headingKinds)) j++;
      const span = { start: p.start, end: paras[j - 1].end };
      const head = itemHeading(p.text, m);
      headingEnds.set(p.start, head.span[1]);
      const item = { no: m.kind === "article" ? m.text : m.label, heading: head.heading };
      const parts = bounded(span.end - span.start > opts.maxChars ? splitLong(article.text, span, opts) : [span]);
      parts.forEach((s, k) => emit(s, headingPath(), item, parts.length > 1 ? { index: k + 1, of: parts.length } : undefined));
      i = j - 1;
      continue;
    }
    run.push(p);
  }
  flushRun();
  closeHeadings(-Infinity);
  return chunks;

  /**
   * Ends the headings of rank ≥ fromRank. One with nothing under it (at the article's end, or right
   * before another heading) is in no chunk's text or path yet: it becomes a chunk of its own, so
   * search still finds it ("三、保障措施" closing an outline, or an article that is one heading).
   */
  function closeHeadings(fromRank: number) {
    for (const [rank, h] of open()) {
      if (rank < fromRank) continue;
      if (!h.shown) emit(h.para, headingPath(rank));
      headings.delete(rank);
    }
  }
}

function paragraphs(text: string): Para[] {
  const out: Para[] = [];
  let start = 0;
  for (const line of text.split("\n")) {
    const end = start + line.length;
    if (line.trim()) out.push({ start, end, text: line, marker: markerAt(line) });
    start = end + 1;
  }
  return out;
}

/** Which marker kinds are real structure here: numbered in sequence from 1. */
function structureOf(paras: Para[], date?: string) {
  const last = new Map<MarkerKind, number>();
  const count = new Map<MarkerKind, number>();
  const rankOf = new Map<MarkerKind, number>();
  for (const p of paras) {
    const m = p.marker;
    if (!m || p.text === date) continue;
    const prev = last.get(m.kind);
    if (m.value === 1 || (prev !== undefined && m.value === prev + 1)) {
      last.set(m.kind, m.value);
      count.set(m.kind, (count.get(m.kind) ?? 0) + 1);
      rankOf.set(m.kind, m.rank);
    } else p.marker = undefined;
  }
  const kinds = [...count.keys()];
  // Items are the outermost numbered level below the sections (（一）/第X条 before 1. before （1）).
  const itemCandidates = kinds.filter((k) => rankOf.get(k)! >= 2).sort((a, b) => rankOf.get(a)! - rankOf.get(b)! || count.get(b)! - count.get(a)!);
  const itemKind = itemCandidates[0];
  const itemRank = itemKind ? rankOf.get(itemKind)! : 2;
  const headingKinds = new Set(kinds.filter((k) => rankOf.get(k)! < itemRank));
  // Markers of other kinds below the item level are just part of the item's text.
  for (const p of paras) if (p.marker && p.marker.kind !== itemKind && !headingKinds.has(p.marker.kind)) p.marker = undefined;
  return { itemKind, headingKinds };
}

/** An item runs until the next item or heading, or a note in brackets such as "（以上为……）". */
function endsItem(p: Para, itemKind: MarkerKind | undefined, headingKinds: Set<MarkerKind>): boolean {
  if (p.marker && (p.marker.kind === itemKind || headingKinds.has(p.marker.kind))) return true;
  return /^[（(].*[）)]$/u.test(p.text) && markerAt(p.text) === undefined;
}

/** Packs paragraphs into passages of minChars–maxChars, cutting at paragraph ends where it can, else at sentence ends. */
function packPassages(text: string, paras: Para[], opts: ChunkOptions): Span[] {
  const out: Span[] = [];
  let cur: Span | undefined;
  const len = (s: Span) => s.end - s.start;
  const close = () => {
    if (cur) out.push(cur);
    cur = undefined;
  };
  for (const p of paras) {
    if (cur && len(cur) >= opts.minChars && p.end - cur.start > opts.maxChars) close();
    if (!cur && p.end - p.start <= opts.maxChars) {
      cur = { start: p.start, end: p.end };
      continue;
    }
    if (cur && p.end - cur.start <= opts.maxChars) {
      cur.end = p.end;
      continue;
    }
    // The paragraph does not fit whole: continue sentence by sentence.
    for (const s of sentenceSpans(text, p.start, p.end)) {
      if (cur && len(cur) >= opts.minChars && s.end - cur.start > opts.maxChars) close();
      if (cur) cur.end = s.end;
      else cur = { start: s.start, end: s.end };
    }
  }
  close();
  // A small tail joins the passage before it.
  if (out.length >= 2 && len(out[out.length - 1]) < opts.minChars / 2 && out[out.length - 1].end - out[out.length - 2].start <= opts.maxChars * 1.3) {
    const tail = out.pop()!;
    out[out.length - 1].end = tail.end;
  }
  return out;
}

/** Splits a long item into parts of about partChars at sentence ends; each part repeats the previous part's last sentence. */
function splitLong(text: string, span: Span, opts: ChunkOptions): Span[] {
  const sentences = sentenceSpans(text, span.start, span.end);
  const total = span.end - span.start;
  const target = Math.min(opts.partChars, total / Math.ceil(total / opts.partChars));
  const parts: Span[] = [];
  let first = 0;
  while (first < sentences.length) {
    let last = first;
    while (last + 1 < sentences.length && sentences[last + 1].end - sentences[first].start <= target) last++;
    // Do not leave a crumb at the end: take it into this part when it fits under maxChars.
    if (last + 1 < sentences.length && sentences[sentences.length - 1].end - sentences[last + 1].start < opts.minChars / 2 && sentences[sentences.length - 1].end - sentences[first].start <= opts.maxChars) {
      last = sentences.length - 1;
    }
    parts.push({ start: sentences[first].start, end: sentences[last].end });
    if (last + 1 >= sentences.length) break;
    // Overlap: the next part starts with this part's last sentence when that sentence is short.
    const overlap = last > first && sentences[last].end - sentences[last].start <= 120;
    first = overlap ? last : last + 1;
  }
  return parts;
}
