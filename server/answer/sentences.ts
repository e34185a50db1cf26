/**
 * Splits a passage into sentences with their offsets, so an answer can quote them verbatim.
 * Boundaries: 。！？； (and !?; followed by a space), kept with the sentence together with any closing
 * quote or bracket after them; line breaks end a sentence too, so list items stay separate.
 */
export interface Sentence {
  text: string;
  /** Offsets in the passage: passage.slice(start, end) === text. */
  start: number;
  end: number;
}

const MARK = /[。！？；!?;]/;
const CLOSER = /[”’」』）)】"'》]/;

export function splitSentences(passage: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    // Trim whitespace at both ends but keep offsets exact.
    let s = start;
    let e = end;
    while (s < e && /\s/.test(passage[s])) s++;
    while (e > s && /\s/.test(passage[e - 1])) e--;
    if (e > s) out.push({ text: passage.slice(s, e), start: s, end: e });
    start = end;
  };
  for (let i = 0; i < passage.length; i++) {
    const ch = passage[i];
    if (ch === "\n") {
      push(i + 1);
      continue;
    }
    if (!MARK.test(ch)) continue;
    // ASCII marks only end a sentence before whitespace or the end (not in 3.5 or URLs).
    if (/[!?;]/.test(ch) && i + 1 < passage.length && !/\s/.test(passage[i + 1])) continue;
    let end = i + 1;
    while (end < passage.length && CLOSER.test(passage[end])) end++;
    push(end);
    i = end - 1;
  }
  push(passage.length);
  return out;
}

/** A sentence that only carries an item's heading, e.g. "12.建设清洁能源强省。" or "（三）加强组织领导。". */
export function isHeadingSentence(s: string): boolean {
  return /^\s*(?:[（(]?[一二三四五六七八九十百\d]+[)）]?[.．、]?|第[一二三四五六七八九十百\d]+[条章节])\s*\S{1,30}[。；]?$/.test(s) &&
    /^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[.．、]|第[一二三四五六七八九十百\d]+[条章节])/.test(s) &&
    [...s].length <= 32;
}
