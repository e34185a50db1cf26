/**
 * Whether a text mentions a term. Passages are matched by substring (robust for Chinese: no need to
 * segment question and passage alike), with three general allowances: an abbreviation keeps its full
 * form's characters in order (深改委 ↔ 深化改革委员会, 文旅 ↔ 文体旅), a compound may be written in its
 * parts (清洁能源强省 ↔ 清洁能源…强省), and a numbered label may be written as its items (五个期 ↔
 * 机遇期、释放期、…). Also corpus statistics over the index's chunks (how many mention a term).
 */
import type { Chunk } from "../../vectors/types.ts";
import type { Segmenter } from "../../vectors/segmenter.ts";
import { chineseDigits, parseChineseNumber } from "../../text/numerals.ts";

const HAN = /[\u3400-\u9fff]/;

/** True when `haystack` mentions `term` (see the module comment for what counts). */
export function mentions(haystack: string, term: string, seg?: Segmenter): boolean {
  if (haystack.includes(term)) return true;
  if (listsNumberedTerm(haystack, term)) return true;
  const chars = [...term];
  if (!HAN.test(term) || chars.length < 2) return false;
  if (chars.length >= 4 && seg) {
    const parts = seg.subwords(term).filter((p) => [...p].length >= 2 && !p.split("").some((c) => !HAN.test(c)));
    // Pieces that together cover the term (not two overlapping sub-words of one half).
    const covered = new Set<number>();
    for (const p of parts) {
      const at = term.indexOf(p);
      for (let i = at; i < at + p.length; i++) covered.add(i);
    }
    if (parts.length >= 2 && covered.size >= term.length - 1 && parts.every((p) => haystack.includes(p))) return true;
  }
  // Longer words are phrases (发挥作用): spread out they would match loosely worded sentences.
  return chars.length <= 3 && abbreviation(chars).test(haystack);
}

/** The count a numbered term names (五个期 → 5, “两个确立” → 2, 双循环 → 2); undefined for other words. */
export function numberedCount(term: string): number | undefined {
  const first = [...term][0];
  const n = first === "双" ? 2 : parseChineseNumber(first);
  return n >= 2 && n <= 10 && [...term].length >= 2 && [...term].length <= 6 ? n : undefined;
}

/**
 * A numbered label (五个期, 六地) written as its items: at least that many short items separated by
 * 、 or ；, each ending in the label's head character(s).
 */
export function listsNumberedTerm(haystack: string, term: string): boolean {
  const m = term.match(/^(.)个?([\u3400-\u9fff]{1,2})$/u);
  const n = m ? numberedCount(m[1] + m[2]) : undefined;
  if (!m || !n) return false;
  const item = `[\\u3400-\\u9fff]{0,15}${escapeRe(m[2])}`;
  return new RegExp(`(?:${item}[、；;]){${n - 1},}${item}`, "u").test(haystack);
}

const abbrevCache = new Map<string, RegExp>();
/** The characters in order, each followed by at most two more Han characters before the next. */
function abbreviation(chars: string[]): RegExp {
  const key = chars.join("");
  let re = abbrevCache.get(key);
  if (!re) {
    if (abbrevCache.size > 10_000) abbrevCache.clear();
    abbrevCache.set(key, (re = new RegExp(chars.map(escapeRe).join("[\\u3400-\\u9fff]{0,2}"))));
  }
  return re;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const dfCache = new WeakMap<readonly Chunk[], Map<string, number>>();

/**
 * How many chunks mention the term in their text or heading path (0 = the corpus never uses it):
 * written as it is, or with `loose` also as an abbreviation's full form, a compound's parts, a
 * numbered label's items (see mentions).
 */
export function documentFrequency(term: string, chunks: readonly Chunk[], seg?: Segmenter, loose = true): number {
  let cache = dfCache.get(chunks);
  if (!cache) dfCache.set(chunks, (cache = new Map()));
  const key = loose ? term : `=${term}`;
  let df = cache.get(key);
  if (df === undefined) {
    if (cache.size > 50_000) cache.clear(); // bounded: a long-running server sees many distinct words
    df = 0;
    const found = (text: string) => (loose ? mentions(text, term, seg) : text.includes(term));
    for (const c of chunks) if (found(c.text) || c.headingPath.some((h) => h.includes(term))) df++;
    cache.set(key, df);
  }
  return df;
}

/** Inverse document frequency from a document frequency (rarer terms say more). */
export function idf(df: number, n: number): number {
  return Math.log((Math.max(n, 1) + 1) / (df + 0.5));
}

/** Character bigrams of a text (Han and word characters), for redundancy between sentences. */
export function bigrams(text: string): Set<string> {
  const chars = [...text.replace(/[^\p{L}\p{N}]/gu, "")];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** A Chinese year (二〇二四) for a year in digits. */
export function chineseYear(year: string): string {
  return chineseDigits(year);
}
