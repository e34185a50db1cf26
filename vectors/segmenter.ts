/**
 * Chinese word segmentation with @node-rs/jieba, plus the corpus's own terms.
 * The stock dictionary splits 新质生产力 or 一圈一带两区; the ingest learns such terms from the
 * corpus (quoted terms, heading phrases that recur in the text) and stores them in the index folder
 * as a jieba user dictionary, which every reader of that index loads.
 */
import fs from "node:fs";
import path from "node:path";
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { isStopword } from "./stopwords.ts";

export const LEXICON_FILE = "lexicon.txt";

/** Frequency given to learned terms: high enough that jieba keeps them whole. */
const LEARNED_FREQ = 3000;

const CJK = /[\u3400-\u9fff]/;
const CJK_ONLY = /^[\u3400-\u9fff]+$/;

export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

export class Segmenter {
  readonly terms: readonly string[];
  private readonly jieba: Jieba;
  private readonly subwordCache = new Map<string, string[]>();

  constructor(terms: readonly string[] = []) {
    this.terms = terms;
    this.jieba = Jieba.withDict(dict);
    if (terms.length) this.jieba.loadDict(Buffer.from(terms.map((t) => `${t} ${LEARNED_FREQ}`).join("\n")));
  }

  /** Precise-mode words (jieba `cut` with HMM), text normalized (NFKC, lowercase). */
  cut(text: string): string[] {
    return this.jieba.cut(normalizeText(text), true);
  }

  /**
   * Words with jieba's part-of-speech tags (nr person, ns place, nt organisation, t time, m numeral,
   * n noun, v verb, x unknown …; a learned corpus term has none). With `hmm` (the default) unseen
   * words are guessed, which finds names but may glue a name to the verb after it. The text is not
   * normalized, so the words are the text's own characters.
   */
  tag(text: string, hmm = true): { word: string; tag: string }[] {
    return this.jieba.tag(text, hmm);
  }

  /** The shorter dictionary words inside a long word (search mode), e.g. 电力系统 → 电力, 系统. */
  subwords(word: string): string[] {
    let subs = this.subwordCache.get(word);
    if (!subs) {
      subs = word.length > 2 ? this.jieba.cutForSearch(word, true).filter((w) => w !== word && w.length > 1) : [];
      this.subwordCache.set(word, subs);
    }
    return subs;
  }
}

// Building a jieba instance loads the 5 MB dictionary (~250 ms), so recent ones are shared. Only a
// few are kept — the plain one, the served index's and a new build's — since every reindex brings a
// new lexicon; an evicted segmenter lives on in the index that holds it until that index is dropped.
const CACHED = 3;
const cache = new Map<string, Segmenter>();

export function segmenterFor(terms: readonly string[]): Segmenter {
  const key = terms.join("\n");
  let seg = cache.get(key);
  if (seg) cache.delete(key);
  else seg = new Segmenter(terms);
  cache.set(key, seg); // most recently used last
  while (cache.size > CACHED) cache.delete(cache.keys().next().value!);
  return seg;
}

export function writeLexicon(dir: string, terms: readonly string[]): void {
  fs.writeFileSync(path.join(dir, LEXICON_FILE), terms.join("\n") + "\n");
}

export function readLexicon(dir: string): string[] {
  return fs.readFileSync(path.join(dir, LEXICON_FILE), "utf8").split("\n").map((l) => l.trim()).filter(Boolean);
}

/**
 * Terms the corpus defines for itself:
 *  - quoted terms 「…」 “…” 《…》 『…』 of 2–12 characters;
 *  - phrases inside headings made of 2–3 adjacent jieba words (2–8 characters) that occur at least
 *    twice in the whole corpus (强省, 新质生产力 …), so a recurring phrase stays one token.
 */
export function learnCorpusTerms(texts: readonly string[], headings: readonly string[]): string[] {
  const base = segmenterFor([]);
  const corpus = normalizeText(texts.join("\n"));
  const terms = new Set<string>();
  for (const m of corpus.matchAll(/[「“《『‘]([^「“《『‘」”》』’\n]{2,12})[」”》』’]/g)) {
    const term = m[1].trim();
    if (CJK.test(term) && !/[，。、；：？！,.;:?!\s]/.test(term)) terms.add(term);
  }
  const counted = new Map<string, number>();
  const occurrences = (phrase: string): number => {
    let n = counted.get(phrase);
    if (n === undefined) {
      n = 0;
      for (let i = corpus.indexOf(phrase); i >= 0 && n < 2; i = corpus.indexOf(phrase, i + 1)) n++;
      counted.set(phrase, n);
    }
    return n;
  };
  for (const heading of new Set(headings)) {
    for (const segment of normalizeText(heading).split(/[^\u3400-\u9fff]+/)) {
      const words = base.cut(segment);
      for (let i = 0; i < words.length; i++) {
        for (let span = 2; span <= 3 && i + span <= words.length; span++) {
          const parts = words.slice(i, i + span);
          if (parts.some((w) => isStopword(w) || !CJK_ONLY.test(w))) continue;
          const phrase = parts.join("");
          if (phrase.length >= 2 && phrase.length <= 8 && occurrences(phrase) >= 2) terms.add(phrase);
        }
      }
    }
  }
  return [...terms].sort();
}
