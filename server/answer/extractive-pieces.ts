/**
 * The extractive composer's text as stream pieces: its own [n] markers as `cite`s, everything else —
 * the quoted sentences above all — as `literal` text that no one reads for markers. So a document's
 * own bracketed number ("……见附件[2]。") stays a verbatim part of the quote instead of becoming a
 * citation to passage 2.
 *
 * The composer writes each quote followed by its passage's [n] (see extractive.ts). A [k] in its text
 * is its marker when the text since its previous marker (a bullet and a leading …… aside) is a
 * verbatim part of passage k; of the readings that work, the one whose quote runs longest wins, so a
 * footnote inside a quote of that same passage stays text. A [k] right after a marker is one too.
 */
import type { Citation, GeneratedPiece } from "./types.ts";

const BRACKETED = /\[(\d{1,3})\]/g;
const LINE_PREFIX = /^\s*(?:[-*•]|\d{1,3}[.)])\s+/;

export function extractivePieces(text: string, passages: Citation[]): GeneratedPiece[] {
  const out: GeneratedPiece[] = [];
  const literal = (s: string) => {
    if (!s) return;
    const prev = out[out.length - 1];
    if (prev && typeof prev === "object" && "literal" in prev) prev.literal += s;
    else out.push({ literal: s });
  };
  text.split("\n").forEach((line, i) => {
    if (i > 0) literal("\n");
    const found = [...line.matchAll(BRACKETED)].map((m) => ({ at: m.index!, end: m.index! + m[0].length, n: Number(m[1]) }));
    let from = 0;
    for (let c = 0; c < found.length; c++) {
      const m = found[c];
      if (m.at < from) continue;
      const quotes = (to: number, n: number) => isQuoteOf(line.slice(from, to), passages[n - 1]);
      const afterMarker = m.at === from && from > 0 && typeof out[out.length - 1] === "object" && "cite" in (out[out.length - 1] as object);
      const valid = m.n >= 1 && m.n <= passages.length && (afterMarker || quotes(m.at, m.n));
      // A later [k] whose quote would run across this one means this one is part of the document's text.
      const inQuote = !afterMarker && found.slice(c + 1).some((later) => later.n >= 1 && later.n <= passages.length && quotes(later.at, later.n));
      if (!valid || inQuote) continue;
      literal(line.slice(from, m.at));
      out.push({ cite: m.n });
      from = m.end;
    }
    literal(line.slice(from));
  });
  return out;
}

/** Whether the composer's text (bullet, spacing and …… shortenings aside) is verbatim in the passage. */
function isQuoteOf(text: string, passage: Citation | undefined): boolean {
  if (!passage) return false;
  const compact = (s: string) => s.replace(/\s+/g, "");
  const source = compact(passage.quote);
  const parts = compact(text.replace(LINE_PREFIX, "")).split("……").filter(Boolean);
  return parts.length > 0 && parts.every((p) => source.includes(p));
}
