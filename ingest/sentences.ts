/** Sentence spans inside a text, for cutting passages only at sentence ends. */
import { SENTENCE_END } from "./text-shape.ts";

export interface Span {
  start: number;
  end: number;
}

/** Sentences of text[start, end): each ends after 。！？； (with closing quotes) or at a line break. */
export function sentenceSpans(text: string, start = 0, end = text.length): Span[] {
  const spans: Span[] = [];
  let from = start;
  const push = (to: number) => {
    // Line breaks between paragraphs stay outside the sentences.
    let s = from;
    let e = to;
    while (s < e && text[s] === "\n") s++;
    while (e > s && text[e - 1] === "\n") e--;
    if (e > s) spans.push({ start: s, end: e });
    from = to;
  };
  const re = new RegExp(`${SENTENCE_END.source}|\\n`, "gu");
  re.lastIndex = start;
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    push(Math.min(end, m.index + m[0].length));
  }
  push(end);
  return spans;
}
