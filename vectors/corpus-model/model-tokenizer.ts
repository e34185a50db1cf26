/**
 * The trained model's tokenizer: a vocabulary of the corpus's jieba words, its characters and its
 * ASCII words, written as a standard tokenizer.json that transformers.js 3.8 runs as
 *   normalizer  NFKC → Lowercase
 *   pre-token   Split(invert): ASCII words | runs of known CJK characters | any other single character
 *   model       WordPiece with an empty continuing prefix = greedy longest-match segmentation
 * `ModelTokenizer.tokenize` does the same in TypeScript so the trainer sees exactly the tokens the
 * model will see at query time (a test checks the two agree on the whole corpus).
 */
import { normalizeText } from "../segmenter.ts";

export const PAD = "[PAD]";
export const UNK = "[UNK]";

const CJK_CHAR = /^[\u3400-\u9fff]$/u;
/** Longest pre-token piece (see the pattern below). */
export const MAX_PIECE = 32;

function escapeForClass(ch: string): string {
  return /[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch;
}

export class ModelTokenizer {
  readonly ids: Map<string, number>;
  private readonly maxLen: number;
  private readonly pattern: RegExp;
  readonly patternSource: string;

  /** `vocab[0]` must be [PAD], `vocab[1]` [UNK]. */
  constructor(readonly vocab: readonly string[]) {
    if (vocab[0] !== PAD || vocab[1] !== UNK) throw new Error("vocab must start with [PAD], [UNK]");
    this.ids = new Map(vocab.map((t, i) => [t, i]));
    // A loop, not Math.max(...vocab): spreading 100k+ entries into one call overflows the stack.
    let maxLen = 1;
    for (let i = 2; i < vocab.length; i++) maxLen = Math.max(maxLen, [...vocab[i]].length);
    this.maxLen = maxLen;
    const cjk = [...new Set(vocab.slice(2).filter((t) => CJK_CHAR.test(t)))].sort();
    // Runs are capped at MAX_PIECE characters: transformers.js's WordPiece is cubic in a piece's length,
    // so one 2,000-character run of CJK in a question would block the server for a minute.
    this.patternSource = `[a-z0-9]{1,${MAX_PIECE}}|[${cjk.map(escapeForClass).join("")}]{1,${MAX_PIECE}}|\\S`;
    this.pattern = new RegExp(this.patternSource, "gu");
  }

  preTokenize(text: string): string[] {
    return normalizeText(text).match(this.pattern) ?? [];
  }

  /** Greedy longest match from the left; a piece that cannot be covered becomes one [UNK] (as WordPiece does). */
  private wordPiece(piece: string, out: number[]): void {
    const chars = [...piece];
    const ids: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = Math.min(chars.length, start + this.maxLen);
      let id: number | undefined;
      for (; end > start; end--) {
        id = this.ids.get(chars.slice(start, end).join(""));
        if (id !== undefined) break;
      }
      if (id === undefined) {
        out.push(1);
        return;
      }
      ids.push(id);
      start = end;
    }
    out.push(...ids);
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const piece of this.preTokenize(text)) this.wordPiece(piece, out);
    return out;
  }

  /** tokenizer.json content for transformers.js / HF tokenizers. */
  toTokenizerJson(): object {
    return {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: [PAD, UNK].map((content, id) => ({
        id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
      })),
      normalizer: { type: "Sequence", normalizers: [{ type: "NFKC" }, { type: "Lowercase" }] },
      pre_tokenizer: { type: "Split", pattern: { Regex: this.patternSource }, behavior: "Isolated", invert: true },
      post_processor: null,
      decoder: null,
      model: {
        type: "WordPiece",
        unk_token: UNK,
        continuing_subword_prefix: "",
        max_input_chars_per_word: 100000,
        vocab: Object.fromEntries(this.vocab.map((t, i) => [t, i])),
      },
    };
  }

  static tokenizerConfig(): object {
    return {
      tokenizer_class: "PreTrainedTokenizer",
      model_max_length: 100000,
      pad_token: PAD,
      unk_token: UNK,
      clean_up_tokenization_spaces: false,
      do_lower_case: true,
    };
  }
}
