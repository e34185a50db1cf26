/**
 * The terms BM25 indexes for a text: jieba words (with their search-mode sub-words), character
 * bigrams (so 风光火核储 and 强省 match however jieba splits them) and ASCII words, lowercased.
 * Stopwords break the text into runs; bigrams never straddle a stopword, so "省有" or "有哪" from
 * "强省有哪些措施" never count.
 */
import type { Segmenter } from "./segmenter.ts";
import { isStopword } from "./stopwords.ts";

export interface LexicalOptions {
  words: boolean;
  bigrams: boolean;
  unigrams: boolean;
}

export const DEFAULT_LEXICAL: LexicalOptions = { words: true, bigrams: true, unigrams: true };

const CJK_CHAR = /[\u3400-\u9fff]/;
const ASCII_WORD = /^[a-z0-9][a-z0-9.+-]*$/;

export function lexicalTokens(seg: Segmenter, text: string, opts: LexicalOptions = DEFAULT_LEXICAL): string[] {
  const out: string[] = [];
  let run = "";
  const flush = () => {
    if (opts.unigrams) for (const ch of run) out.push(ch);
    if (opts.bigrams) for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    run = "";
  };
  for (const word of seg.cut(text)) {
    if (isStopword(word)) {
      flush();
      continue;
    }
    if (ASCII_WORD.test(word)) {
      flush();
      out.push(word);
      continue;
    }
    if (!CJK_CHAR.test(word)) {
      flush();
      continue;
    }
    if (opts.words && word.length > 1) {
      // A two-character word is already its own bigram; count it once.
      if (!(opts.bigrams && word.length === 2)) out.push(word);
      for (const sub of seg.subwords(word)) if (!(opts.bigrams && sub.length === 2)) out.push(sub);
    }
    for (const ch of word) if (CJK_CHAR.test(ch)) run += ch;
  }
  flush();
  return out;
}
