/**
 * Checks and renumbers the [n] markers of an answer as it streams:
 *  - a marker pointing at no passage the generator was given is dropped;
 *  - kept markers are renumbered 1.. in order of first use, so the text the client sees already
 *    matches the final citation list;
 *  - [1,2], [1][2], 【1】 and [1-2] are all read, written back as [a][b].
 * A marker may arrive split across chunks ("[" then "3]"), so text after an opening bracket is
 * held back until the bracket closes or clearly is not a marker.
 */
import { splitSentences } from "../../text/sentences.ts";
import type { Citation } from "./types.ts";

const MARKER = /^[\[【]\s*(\d{1,3}(?:\s*[,，、\-–]\s*\d{1,3})*)\s*[\]】]/;
/** Longest prefix worth holding back while waiting for a marker to close. */
const MAX_PENDING = 24;

export class MarkerFilter {
  private pending = "";
  /** Passage number (as given to the generator) → number in the answer. */
  private readonly renumber = new Map<number, number>();

  constructor(private readonly passageCount: number) {}

  /** Feeds a chunk of generated text; returns what can be shown now. */
  push(chunk: string): string {
    this.pending += chunk;
    return this.drain(false);
  }

  /** Flushes whatever is held back at the end of the stream. */
  end(): string {
    return this.drain(true);
  }

  /** Passage numbers (1-based, as given to the generator) in order of first use. */
  used(): number[] {
    return [...this.renumber.keys()];
  }

  /** The cited passages, renumbered in order of first use. */
  citations(passages: Citation[]): Citation[] {
    return this.used().map((orig) => ({ ...passages[orig - 1], n: this.renumber.get(orig)! }));
  }

  private drain(final: boolean): string {
    let out = "";
    let s = this.pending;
    while (s.length) {
      const open = s.search(/[\[【]/);
      if (open < 0) {
        out += s;
        s = "";
        break;
      }
      out += s.slice(0, open);
      s = s.slice(open);
      const m = s.match(MARKER);
      if (m) {
        out += this.rewrite(m[1]);
        s = s.slice(m[0].length);
        continue;
      }
      // Could this still become a marker once more text arrives?
      if (!final && s.length < MAX_PENDING && /^[\[【]\s*(\d{1,3}(\s*[,，、\-–]\s*(\d{1,3})?)*\s*)?$/.test(s)) break;
      out += s[0];
      s = s.slice(1);
    }
    this.pending = s;
    return out;
  }

  private rewrite(inner: string): string {
    const nums: number[] = [];
    for (const part of inner.split(/\s*[,，、]\s*/)) {
      const range = part.split(/\s*[-–]\s*/).map(Number);
      if (range.length === 2 && range[1] >= range[0] && range[1] - range[0] < 10) {
        for (let k = range[0]; k <= range[1]; k++) nums.push(k);
      } else nums.push(range[0]);
    }
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
