/**
 * Sentences and heading of a stored passage without splitting it again: a chunk (`text`) or a
 * citation (`quote`) carries the offsets the ingest computed with the same rule (`sentences`,
 * `heading`). Passages without them (an older index, a hand-made test passage) are split here.
 */
import { isHeadingSentence } from "./headings.ts";
import { sentenceBounds, type Bounds, type Sentence } from "./sentences.ts";

/** What a passage may carry: its text (a chunk's `text` or a citation's `quote`) and the stored offsets. */
export type StoredPassage = ({ text: string } | { quote: string }) & {
  /** [start, end) of every sentence in the text, in order. */
  sentences?: readonly (readonly [number, number])[];
  /** [start, end) of the heading the text opens with (an item's 12.建设清洁能源强省。). */
  heading?: readonly [number, number];
};

const textOf = (p: StoredPassage) => ("text" in p ? p.text : p.quote);

/** Stored offsets are used only when they fit the text (a stale or foreign value is ignored, not trusted). */
function fits(bounds: readonly (readonly [number, number])[], length: number): boolean {
  let last = 0;
  for (const [s, e] of bounds) {
    if (!(s >= last && e > s && e <= length)) return false;
    last = e;
  }
  return true;
}

/** The sentence offsets of a passage: the stored ones, or split now. */
export function passageBounds(p: StoredPassage): Bounds[] {
  const text = textOf(p);
  return p.sentences && fits(p.sentences, text.length) ? p.sentences.map(([s, e]) => [s, e]) : sentenceBounds(text);
}

/** The sentences of a passage with their text and offsets, from the stored offsets when it has them. */
export function passageSentences(p: StoredPassage): Sentence[] {
  const text = textOf(p);
  return passageBounds(p).map(([start, end]) => ({ text: text.slice(start, end), start, end }));
}

/**
 * Whether a sentence of the passage only carries its heading: inside the stored heading span, or
 * (for a passage stored without one) shaped like a heading.
 */
export function isPassageHeading(p: StoredPassage, s: { start: number; end: number; text: string }): boolean {
  if (p.heading) return s.start >= p.heading[0] && s.end <= p.heading[1];
  return !p.sentences && isHeadingSentence(s.text);
}
