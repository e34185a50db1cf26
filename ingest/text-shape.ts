/** Character classes and measures shared by the cleaner, the article splitter and the chunker. */

/** Han ideographs plus CJK/full-width punctuation and the curly quotes Chinese text uses. */
export const CJK = "\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef\\u2018\\u2019\\u201c\\u201d\\u2014\\u2026\\u00b7";
const CJK_CHAR = new RegExp(`[${CJK}]`, "u");
export const isCjk = (ch: string | undefined): boolean => ch !== undefined && CJK_CHAR.test(ch);
export const isLatinOrDigit = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9]/.test(ch);

/** Display width: CJK and full-width characters count 1, ASCII counts ½ (as a PDF lays them out). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 0x2000 ? 0.5 : 1;
  return w;
}

/** Sentence ends: 。！？； (and ASCII !?;), with closing quotes/brackets that follow them. */
export const SENTENCE_END = /[。！？；!?;][”’」』）)》]*/gu;
/** Punctuation after which a line can end a paragraph. */
export const PARAGRAPH_END_CHAR = /[。！？；：!?;:…”’」』）)\]》]$/u;

/** Numbered structure at the start of a paragraph, from the outermost level in. */
export const MARKERS = [
  { kind: "chapter", rank: 0, re: /^第([一二三四五六七八九十百零〇两\d]+)([编章节]|部分)/u },
  { kind: "cn", rank: 1, re: /^([一二三四五六七八九十百]+)、/u },
  { kind: "paren-cn", rank: 2, re: /^[（(]([一二三四五六七八九十百]+)[）)]/u },
  { kind: "article", rank: 2, re: /^第([一二三四五六七八九十百零〇两\d]+)条/u },
  { kind: "arabic", rank: 3, re: /^(\d{1,3})[.．、](?![\d．.])/u },
  { kind: "paren-arabic", rank: 4, re: /^[（(](\d{1,3})[）)]/u },
] as const;

export type MarkerKind = (typeof MARKERS)[number]["kind"];

export interface Marker {
  kind: MarkerKind;
  rank: number;
  /** The number as written ("12", "三", "第五条" → "五"). */
  label: string;
  value: number;
  /** The marker text itself, e.g. "12." or "（三）". */
  text: string;
}

export function markerAt(paragraph: string): Marker | undefined {
  for (const m of MARKERS) {
    const hit = m.re.exec(paragraph);
    if (hit) {
      const value = /^\d+$/.test(hit[1]) ? Number(hit[1]) : chineseNumber(hit[1]);
      if (value > 0) return { kind: m.kind, rank: m.rank, label: hit[1], value, text: hit[0] };
    }
  }
  return undefined;
}

/** 一…九十九, 一百… ; enough for section and article numbers. */
export function chineseNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const digit: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch in digit) current = digit[ch];
    else if (ch === "十") {
      total += (current || 1) * 10;
      current = 0;
    } else if (ch === "百") {
      total += (current || 1) * 100;
      current = 0;
    } else return 0;
  }
  return total + current;
}
