/**
 * The check a model's finished answer gets, sentence by sentence, after its markers were read and
 * renumbered while streaming (citations.ts):
 *  - a marker belongs to the sentence it stands in or right after, and is written at that sentence's
 *    end: "能源[1]发展。" → "能源发展。[1]"; a marker opening a line ("[1] …", "资料[1]：…") labels the
 *    sentence after it;
 *  - a claim is supported when a passage it cites scores at least SUPPORTED (support.ts); markers to
 *    passages that do not support it are removed;
 *  - a claim with no supporting marker gets the given passage most like it, if that one supports it;
 *    otherwise it keeps no marker and is reported as uncited;
 *  - markers are renumbered in order of first use, the citation list with them.
 * Too little supported (below MIN_SUPPORTED_SHARE of the claims) and the pipeline answers extractively.
 * Lead lines (ending in a colon), headings, fragments under MIN_CLAIM characters and sentences that
 * only repeat the question (ECHO of its bigrams) are not claims.
 */
import { splitSentences } from "./sentences.ts";
import { bigramContainment, SUPPORTED, supportOf, type SupportContext } from "./support.ts";
import type { Citation, CitationCheck } from "./types.ts";

/** Below this share of supported claims the model's answer is replaced by the extractive one. */
export const MIN_SUPPORTED_SHARE = 0.5;
/** Fewer characters than this (markers aside) is a fragment, not a claim. */
const MIN_CLAIM = 6;
/** A sentence this much made of the question's bigrams restates it (small models echo the question). */
const ECHO = 0.8;

export interface ReviewOptions extends SupportContext {
  /** The question answered: a sentence restating it claims nothing. */
  question: string;
  /** The passages cited by the text's [n] (as MarkerFilter.citations returns them). */
  cited: Citation[];
  /** Every passage the model was given, in the order it was given them. */
  passages: Citation[];
}

export interface Review {
  answer: string;
  citations: Citation[];
  uncited: string[];
  check: CitationCheck;
}

/** A line's text and the passages its sentences cite, before the final numbering. */
type Part = string | { cites: Citation[]; spaced?: boolean };

const MARKER = /[ \t]*\[(\d{1,3})\]/g;
const LINE_PREFIX = /^\s*(?:[-*•]|\d{1,3}[.)])\s+/;
/** Markers opening a line's text, optionally after the word a model uses for a passage: "[1] …", "资料[2]：…". */
const LABEL = /^(?:(?:资料|来源|段落|passage|source)\s*)?((?:\[\d{1,3}\]\s*)+)[:：]?\s*/i;

export function reviewCitations(text: string, opts: ReviewOptions): Review {
  const byNumber = new Map(opts.cited.map((c) => [c.n, opts.passages.find((p) => p.chunkId === c.chunkId) ?? c]));
  const counts = { sentences: 0, marked: 0, supportedAsCited: 0, attached: 0, unsupported: 0 };
  const uncited: string[] = [];
  const parts: Part[] = [];

  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (i > 0) parts.push("\n");
    const prefix = /^\s*#/.test(line) ? line : (line.match(LINE_PREFIX)?.[0] ?? "");
    if (prefix === line) return void parts.push(line);
    let body = line.slice(prefix.length);
    parts.push(prefix);

    // Markers labelling the line, then every other marker, each remembered where it stood.
    const label = body.match(LABEL);
    const labelCites = label ? [...label[1].matchAll(/\[(\d{1,3})\]/g)].map((m) => Number(m[1])) : [];
    if (label) body = body.slice(label[0].length);
    const stripped: string[] = [];
    const marks: { at: number; n: number }[] = [];
    let last = 0;
    let length = 0;
    for (const m of body.matchAll(MARKER)) {
      stripped.push(body.slice(last, m.index));
      length += m.index! - last;
      marks.push({ at: length, n: Number(m[1]) });
      last = m.index! + m[0].length;
    }
    stripped.push(body.slice(last));
    const plain = stripped.join("");

    const sentences = splitSentences(plain);
    if (sentences.length === 0) {
      const cites = [...new Set([...labelCites, ...marks.map((m) => m.n)])].map((n) => byNumber.get(n)).filter(isCitation);
      if (cites.length) parts.push({ cites });
      return;
    }
    // A marker belongs to the last sentence that starts before it (the first, for a label).
    const own: number[][] = sentences.map(() => []);
    own[0].push(...labelCites);
    for (const m of marks) {
      let k = 0;
      while (k + 1 < sentences.length && sentences[k + 1].start < m.at) k++;
      own[k].push(m.n);
    }

    let at = 0;
    sentences.forEach((s, k) => {
      parts.push(plain.slice(at, s.end));
      at = s.end;
      // Latin text takes its markers after a space ("… bases. [1]"), Chinese right after the mark.
      const spaced = /[\x21-\x7e]$/.test(s.text);
      const push = (cites: Citation[]) => parts.push({ cites, spaced });
      const cited = [...new Set(own[k])].map((n) => byNumber.get(n)).filter(isCitation);
      const claim =
        !/[：:]$/.test(s.text) && [...s.text.replace(/\s/g, "")].length >= MIN_CLAIM && bigramContainment(s.text, opts.question) < ECHO;
      if (!claim) {
        if (cited.length) push(cited);
        return;
      }
      counts.sentences++;
      const score = supportOf(s.text, opts);
      if (cited.length) counts.marked++;
      const supporting = cited.filter((p) => score(p) >= SUPPORTED);
      if (supporting.length) {
        counts.supportedAsCited++;
        push(supporting);
        return;
      }
      let best: Citation | undefined;
      let bestScore = 0;
      for (const p of opts.passages) {
        const v = score(p);
        if (v > bestScore) [best, bestScore] = [p, v];
      }
      if (best && bestScore >= SUPPORTED) {
        counts.attached++;
        push([best]);
      } else {
        counts.unsupported++;
        uncited.push(s.text);
      }
    });
    parts.push(plain.slice(at));
  });

  // Number the cited passages in order of first use.
  const numbers = new Map<string, number>();
  const citations: Citation[] = [];
  const answer = parts
    .map((part) => {
      if (typeof part === "string") return part;
      return (part.spaced ? " " : "") + part.cites
        .map((p) => {
          let n = numbers.get(p.chunkId);
          if (n === undefined) {
            n = numbers.size + 1;
            numbers.set(p.chunkId, n);
            citations.push({ ...p, n });
          }
          return `[${n}]`;
        })
        .join("");
    })
    .join("");

  const supportedShare = counts.sentences ? (counts.supportedAsCited + counts.attached) / counts.sentences : 0;
  return { answer, citations, uncited, check: { ...counts, supportedShare, fellBack: false } };
}

function isCitation(p: Citation | undefined): p is Citation {
  return p !== undefined;
}

/** Whether too little of a checked answer is supported to show it (MIN_SUPPORTED_SHARE). */
export function tooLittleSupported(check: CitationCheck): boolean {
  return check.supportedShare < MIN_SUPPORTED_SHARE;
}
