/**
 * Reads, checks and renumbers the citation markers of an answer as it streams:
 *  - the forms real models write are all read: [1], 【1】, ［1］, [^1], [资料1], [1,2], [1、2], [1-3],
 *    [1][2], and （1）/(1) right after words when a mark, a line end or another marker follows
 *    (（1）加快… opens an enumerated point and stays text);
 *  - a marker pointing at no passage the generator was given is dropped;
 *  - kept markers are renumbered 1.. in order of first use and written [a][b], so the text the client
 *    sees already matches the final citation list.
 * A marker may arrive split across chunks ("[" then "3]"), so text after an opening bracket is held
 * back until the bracket closes or clearly is not a marker.
 *
 * Text a generator vouches for (`literal` pieces: quotes from the documents) is never read for markers;
 * bracketed numbers in it are written escaped (\[2\], as Markdown shows "[2]") so that no later reader —
 * the page, an API client, the checks below — takes a document's footnote for a citation.
 */
import { splitSentences } from "../../text/sentences.ts";
import type { AnswerEvent, Citation, GeneratedPiece } from "./types.ts";

/** Words models put inside a marker for "passage" ([资料1], [Passage 2], 【来源3】): the names our prompts give passages. */
const LABEL = String.raw`(?:资料|来源|段落|passage|source)\s*[:：]?\s*`;
const NUMBER = String.raw`(?:${LABEL})?\d{1,3}`;
const LIST = String.raw`${NUMBER}(?:\s*[,，、;；\-–~]\s*${NUMBER})*`;
/** A square-bracket marker at the start of the text: [1], 【1】, ［1］, [^1], [资料1], [1, 2], [1-3]. */
const SQUARE = new RegExp(String.raw`^[\[【［]\s*\^?\s*(${LIST})\s*[\]】］]`, "i");
/** A parenthesised number: a marker only where the text after it says so (see isParenMarker). */
const PAREN = /^[(（]\s*(\d{1,2}(?:\s*[,，、]\s*\d{1,2})*)\s*[)）]/;
/** What may still grow into a marker: an opening bracket and the characters a marker holds. */
const OPENING = /^[\[【［(（][\s\d^,，、;；\-–~:：资料来源段落passgeourcPASGEOURC]*$/;
/** Longest prefix worth holding back while waiting for a marker to close. */
const MAX_PENDING = 24;
/** After a parenthesised number: a mark, a line end or another marker makes it a citation. */
const AFTER_PAREN_MARKER = /^(?:[。，,；;！!？?、.：:\s]|[\[【［(（]|$)/;

/** A bracketed number in document text, escaped so it reads as text ("见注\[2\]"). */
export function escapeBrackets(text: string): string {
  return text.replace(/\[(\s*\d[\d\s,，、\-–]*)\]/g, "\\[$1\\]");
}

/** A document text as the reader sees it: escaped brackets back to plain ones. */
export function unescapeBrackets(text: string): string {
  return text.replace(/\\([[\]])/g, "$1");
}

export class MarkerFilter {
  private pending = "";
  /** The end of the text handed out so far (a parenthesised number at a line start numbers a point). */
  private recent = "\n";
  /** Passage number (as given to the generator) → number in the answer. */
  private readonly renumber = new Map<number, number>();
  /** How many of the cited passages newlyCited() has handed out. */
  private reported = 0;

  constructor(private readonly passageCount: number) {}

  /** Feeds a chunk of model text; returns what can be shown now. */
  push(chunk: string): string {
    this.pending += chunk;
    return this.out(this.drain(false));
  }

  /** Feeds any piece of a generator's stream (see GeneratedPiece). */
  feed(piece: GeneratedPiece): string {
    if (typeof piece === "string") return this.push(piece);
    const held = this.drain(true);
    this.pending = "";
    if ("literal" in piece) return this.out(held + escapeBrackets(piece.literal));
    return this.out(held + this.rewrite([piece.cite]));
  }

  /** Flushes whatever is held back at the end of the stream. */
  end(): string {
    return this.out(this.drain(true));
  }

  /** Passage numbers (1-based, as given to the generator) in order of first use. */
  used(): number[] {
    return [...this.renumber.keys()];
  }

  /** The passages first cited since the last call (numbered as in the answer), for the stream's `cites`. */
  newlyCited(passages: Citation[]): Citation[] {
    const all = this.citations(passages);
    const fresh = all.slice(this.reported);
    this.reported = all.length;
    return fresh;
  }

  /** The cited passages, renumbered in order of first use. */
  citations(passages: Citation[]): Citation[] {
    return this.used().map((orig) => ({ ...passages[orig - 1], n: this.renumber.get(orig)! }));
  }

  private out(text: string): string {
    if (text) this.recent = (this.recent + text).slice(-16);
    return text;
  }

  private drain(final: boolean): string {
    let out = "";
    let s = this.pending;
    const before = () => (this.recent + out).slice(-16);
    while (s.length) {
      const open = s.search(/[\[【［(（\\]/);
      if (open < 0) {
        out += s;
        s = "";
        break;
      }
      out += s.slice(0, open);
      s = s.slice(open);
      if (s[0] === "\\") {
        // An escaped bracket (\[) is text, as in Markdown.
        if (s.length < 2 && !final) break;
        out += s.slice(0, 2);
        s = s.slice(2);
        continue;
      }
      const square = s.match(SQUARE);
      if (square) {
        out += this.rewrite(numbersOf(square[1]));
        s = s.slice(square[0].length);
        continue;
      }
      const paren = s.match(PAREN);
      if (paren) {
        const after = s.slice(paren[0].length);
        if (!after && !final) break; // what follows decides
        const nums = numbersOf(paren[1]);
        if (isParenMarker(before(), after, nums, this.passageCount)) {
          out += this.rewrite(nums);
          s = after;
          continue;
        }
      }
      // Could this still become a marker once more text arrives?
      if (!final && s.length < MAX_PENDING && OPENING.test(s)) break;
      out += s[0];
      s = s.slice(1);
    }
    this.pending = s;
    return out;
  }

  private rewrite(nums: number[]): string {
    let out = "";
    for (const k of nums) {
      if (!Number.isInteger(k) || k < 1 || k > this.passageCount) continue; // points at nothing: dropped
      if (!this.renumber.has(k)) this.renumber.set(k, this.renumber.size + 1);
      const tag = `[${this.renumber.get(k)}]`;
      if (!out.includes(tag)) out += tag;
    }
    return out;
  }
}

/** "1, 3", "资料1、资料2", "2-4" → [1, 3], [1, 2], [2, 3, 4] (a range of at most 10). */
function numbersOf(inner: string): number[] {
  const nums: number[] = [];
  const bare = inner.replace(new RegExp(LABEL, "gi"), "");
  for (const part of bare.split(/\s*[,，、;；]\s*/)) {
    const range = part.split(/\s*[-–~]\s*/).map(Number);
    if (range.length === 2 && range[1] >= range[0] && range[1] - range[0] < 10) {
      for (let k = range[0]; k <= range[1]; k++) nums.push(k);
    } else nums.push(range[0]);
  }
  return nums;
}

/**
 * （1）/(1) is a citation when it follows words (not a line start, a bullet or a colon, where it numbers
 * a point), a mark, a line end or another marker comes after it, and every number is a passage given.
 */
function isParenMarker(before: string, after: string, nums: number[], passageCount: number): boolean {
  if (/(?:^|[\n:：]|^\s*[-*•])\s*$/.test(before) || /\n\s*[-*•]\s*$/.test(before)) return false;
  if (!AFTER_PAREN_MARKER.test(after)) return false;
  return nums.every((k) => k >= 1 && k <= passageCount);
}

/**
 * Sentences of an answer that carry no [n]: what a reader cannot check. A marker right after a
 * sentence's closing mark belongs to that sentence (the shared sentence rule keeps it there).
 * Lead lines (ending in a colon), list headings and very short fragments are not claims and are left out.
 */
export function uncitedSentences(answer: string): string[] {
  const out: string[] = [];
  for (const rawLine of answer.split("\n")) {
    const line = rawLine.trim().replace(/^[-*•]\s+|^\d+[.)]\s+/, "");
    if (!line || /[：:]$/.test(line) || /^#/.test(line)) continue;
    for (const s of splitSentences(line)) {
      const t = s.text;
      if ([...t.replace(/\[\d+\]/g, "")].length < 6) continue;
      if (!/\[\d+\]/.test(t)) out.push(t);
    }
  }
  return out;
}

/** A `token` event; `cites` only when the piece cites a passage for the first time. */
export function tokenEvent(text: string, cites: Citation[]): AnswerEvent {
  return cites.length ? { type: "token", text, cites } : { type: "token", text };
}
