/**
 * An upper bound on passage length. A run of text longer than the bound (a 1M-character line
 * without a full stop) is cut into pieces of at most `max` characters: at sentence ends where it
 * can, else at clause marks (，、：), else at a fixed size; offsets stay exact and nothing is lost
 * but the whitespace between pieces.
 */
import { sentenceBounds, type Bounds } from "./sentences.ts";

const CLAUSE_MARKS = new Set(["，", "、", "：", ",", ":"]);

/** Splits [s, e) after each clause mark. */
function clauses(text: string, s: number, e: number): Bounds[] {
  const out: Bounds[] = [];
  let from = s;
  for (let i = s; i < e; i++) {
    if (CLAUSE_MARKS.has(text[i])) {
      out.push([from, i + 1]);
      from = i + 1;
    }
  }
  if (from < e) out.push([from, e]);
  return out;
}

/** Fixed-size pieces of [s, e), never cutting a surrogate pair in two. */
function fixed(text: string, s: number, e: number, max: number): Bounds[] {
  const out: Bounds[] = [];
  for (let from = s; from < e; ) {
    let to = Math.min(e, from + max);
    const code = text.charCodeAt(to - 1);
    if (to < e && to - 1 > from && code >= 0xd800 && code <= 0xdbff) to--;
    out.push([from, to]);
    from = to;
  }
  return out;
}

/**
 * text[from, to) in pieces of at most `max` characters (one piece when it already fits), each made
 * of whole sentences where possible, else of whole clauses, else cut at `max`.
 */
export function boundedSpans(text: string, from: number, to: number, max: number): Bounds[] {
  if (to - from <= max) return [[from, to]];
  // Units no longer than max: sentences, a long sentence in clauses, a long clause cut at max.
  const units: Bounds[] = [];
  for (const [s, e] of sentenceBounds(text, from, to)) {
    if (e - s <= max) units.push([s, e]);
    else for (const [cs, ce] of clauses(text, s, e)) {
      if (ce - cs <= max) units.push([cs, ce]);
      else units.push(...fixed(text, cs, ce, max));
    }
  }
  const pieces: Bounds[] = [];
  for (const [s, e] of units) {
    const last = pieces[pieces.length - 1];
    if (last && e - last[0] <= max) last[1] = e;
    else pieces.push([s, e]);
  }
  return pieces;
}
