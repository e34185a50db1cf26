/**
 * The one sentence rule, used by the ingest (passage cuts, each chunk's stored sentence offsets),
 * the answer layer (quoting sentences verbatim) and the answer checks (uncited sentences).
 *
 * A sentence ends
 *  - after 。！？； — a run of marks (？！) stays together, and so do the closing quotes and
 *    brackets after it (。” ？）) and the citation markers right after those (。[1], supported. [2]);
 *  - after ASCII . ! ? ; only before whitespace or the end of the text (3.5, a.b, 12.建设 and
 *    “1. ” list numbers do not end one);
 *  - at a line break (so list items and headings stay apart).
 * Whitespace at either end stays outside the sentence; offsets are exact: text.slice(start, end).
 */

/** A sentence with its offsets in the text it came from. */
export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/** [start, end) of one sentence. */
export type Bounds = [start: number, end: number];

const CJK_END = new Set(["。", "！", "？", "；"]);
const ASCII_END = new Set([".", "!", "?", ";"]);
/** Closing quotes and brackets that belong to the sentence they follow. */
const CLOSERS = new Set(["”", "’", "」", "』", "）", ")", "】", '"', "'", "》"]);
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

/** A lone "." after a list number or an initial (1. 2. a. J.) numbers a line or abbreviates: no sentence end. */
function isListDot(text: string, at: number, from: number): boolean {
  let k = at;
  while (k > from && !isSpace(text[k - 1])) k--;
  return /^(?:\d{1,3}|[A-Za-z])$/.test(text.slice(k, at));
}

/** Citation markers after a sentence end ([1], [2][3], with spaces before): where they end, or `at`. */
function markersEnd(text: string, at: number, to: number): number {
  let end = at;
  for (;;) {
    let k = end;
    while (k < to && text[k] !== "\n" && isSpace(text[k])) k++;
    if (text[k] !== "[") return end;
    let d = k + 1;
    while (d < to && d - k <= 3 && text[d] >= "0" && text[d] <= "9") d++;
    if (d === k + 1 || text[d] !== "]") return end;
    end = d + 1;
  }
}

/**
 * Where the run of sentence marks starting at `at` ends, closing quotes and brackets included
 * (。” → after ”, ？！ → after ！); `at` itself when there is no mark there.
 */
export function endOfMarks(text: string, at: number, to = text.length): number {
  let end = at;
  while (end < to && (CJK_END.has(text[end]) || ASCII_END.has(text[end]))) end++;
  if (end === at) return at;
  while (end < to && CLOSERS.has(text[end])) end++;
  return end;
}

/** The sentences of text[from, to) as [start, end) offsets into `text`. Linear in the length. */
export function sentenceBounds(text: string, from = 0, to = text.length): Bounds[] {
  const out: Bounds[] = [];
  let start = from;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text[s])) s++;
    while (e > s && isSpace(text[e - 1])) e--;
    if (e > s) out.push([s, e]);
    start = end;
  };
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === "\n") {
      push(i + 1);
      continue;
    }
    const cjk = CJK_END.has(ch);
    if (!cjk && !ASCII_END.has(ch)) continue;
    let end = endOfMarks(text, i, to);
    let anyCjk = false;
    for (let k = i; k < end && !anyCjk; k++) anyCjk = CJK_END.has(text[k]);
    // ASCII marks alone end a sentence only before whitespace or the end.
    if (!anyCjk && ((end < to && !isSpace(text[end])) || (end === i + 1 && ch === "." && isListDot(text, i, from)))) {
      i = end - 1;
      continue;
    }
    end = markersEnd(text, end, to);
    push(end);
    i = end - 1;
  }
  push(to);
  return out;
}

/** The sentences of a text, each with its text and offsets. */
export function splitSentences(text: string): Sentence[] {
  return sentenceBounds(text).map(([start, end]) => ({ text: text.slice(start, end), start, end }));
}
