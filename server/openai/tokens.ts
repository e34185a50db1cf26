/**
 * What /v1 counts as a token, for `usage` and `max_tokens`: one Han character, one run of Latin letters
 * or digits, or one other non-space character (a punctuation mark). The answers are composed by this
 * server (verbatim passages, checked citations, a source list), not by a model's tokenizer, so the count
 * is of the text itself, the same on every path; it is close to what common tokenizers give for Chinese
 * (about one token per character) and English (about one per word).
 */
const TOKEN = /\p{Script=Han}|[\p{Script=Latin}\d]+|[^\s\p{Script=Han}\p{Script=Latin}\d]/gu;

export function countTokens(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(TOKEN)) n++;
  return n;
}

/** The longest start of `text` with at most `max` tokens; a citation marker is never cut in half. */
export function cutTokens(text: string, max: number): string {
  let n = 0;
  let end = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (++n > max) {
      // "…[1" would be a broken marker: end before it.
      const head = text.slice(0, end);
      return head.replace(/\[\d*$/, "");
    }
    end = m.index + m[0].length;
  }
  return text;
}

/** Hands out a reply's text until `max` tokens have gone, then nothing; `cut` says whether it had to stop. */
export class TokenBudget {
  private sent = "";
  cut = false;

  constructor(private readonly max?: number) {}

  /** The part of `piece` that fits. */
  take(piece: string): string {
    if (this.cut || !piece) return "";
    const whole = this.sent + piece;
    if (this.max === undefined || countTokens(whole) <= this.max) {
      this.sent = whole;
      return piece;
    }
    this.cut = true;
    const kept = cutTokens(whole, this.max);
    const extra = kept.length > this.sent.length ? kept.slice(this.sent.length) : "";
    this.sent += extra;
    return extra;
  }

  /** Everything handed out so far. */
  text(): string {
    return this.sent;
  }
}
