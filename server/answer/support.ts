/**
 * How well a passage supports one sentence of a model's answer, from 0 to 1: the one measure behind
 * "supported by its cited passage" and behind giving an unmarked sentence the passage most like it.
 *  - A Chinese sentence: the share of its character bigrams (letters and digits, punctuation left out)
 *    that occur in the passage. A sentence copied or lightly shortened from the passage scores near 1;
 *    one that only shares the topic's common words (发展, 推进) stays low. A sentence going round in
 *    circles (10.10.10…, one title listed twelve times) counts at least one bigram per REPEAT_SPAN
 *    characters, so its few distinct bigrams cannot make it look supported.
 *  - An English sentence over Chinese passages: the weighted share of its content terms the passage
 *    mentions, English words rendered through the index's glossary, as the question analysis weighs a
 *    question's terms (analysis.ts). Without a glossary an English sentence cannot be checked: 0.
 */
import type { Chunk } from "../../vectors/types.ts";
import type { Glossary } from "../../vectors/query-translation.ts";
import { textLanguage } from "../../vectors/language.ts";
import { segmenterFor, type Segmenter } from "../../vectors/segmenter.ts";
import { analyzeQuestion } from "./analysis.ts";
import { coverage, passageText, weighted } from "./evidence.ts";
import { bigrams } from "./match.ts";
import type { Citation } from "./types.ts";

/** A passage supports a sentence when it scores at least this (half the sentence's bigrams or terms). */
export const SUPPORTED = 0.5;
/** Ordinary Chinese has a new bigram at almost every character; a sentence is owed one per this many. */
const REPEAT_SPAN = 3;

export interface SupportContext {
  /** The index's chunks: term rarity for English sentences. */
  chunks?: readonly Chunk[];
  glossary?: Glossary;
  /** The index's segmenter (a stock one when absent; English sentences barely need it). */
  seg?: Segmenter;
}

/** Share of the sentence's bigrams found in `text` (a sentence repeating the question is no claim). */
export function bigramContainment(sentence: string, text: string): number {
  const grams = bigrams(sentence);
  if (grams.size === 0) return 0;
  const inText = bigrams(text);
  let hit = 0;
  for (const g of grams) if (inText.has(g)) hit++;
  return hit / grams.size;
}

/** Each passage's bigrams, computed once per passage object (an answer checks many sentences against it). */
const passageGrams = new WeakMap<Citation, Set<string>>();

/** A measure bound to one context: the sentence's features are computed once, then scored per passage. */
export function supportOf(sentence: string, ctx: SupportContext = {}): (passage: Citation) => number {
  if (textLanguage(sentence) === "en") {
    const terms = weighted(
      analyzeQuestion(sentence, { seg: ctx.seg ?? segmenterFor([]), chunks: ctx.chunks ?? [], glossary: ctx.glossary }),
    );
    // One matched word is no evidence for a whole English sentence.
    if (terms.length < 2) return () => 0;
    return (p) => coverage(passageText(p), terms);
  }
  const grams = bigrams(sentence);
  if (grams.size === 0) return () => 0;
  const owed = Math.max(grams.size, [...sentence.replace(/[^\p{L}\p{N}]/gu, "")].length / REPEAT_SPAN);
  return (p) => {
    let inPassage = passageGrams.get(p);
    if (!inPassage) passageGrams.set(p, (inPassage = bigrams(p.quote)));
    let hit = 0;
    for (const g of grams) if (inPassage.has(g)) hit++;
    return hit / owed;
  };
}
