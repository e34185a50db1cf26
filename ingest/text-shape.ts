/**
 * Character classes and measures of the page layout, shared by the cleaner and the article splitter
 * (sentences, headings and numerals are the shared text model in text/).
 */

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

/** Punctuation after which a line can end a paragraph. */
export const PARAGRAPH_END_CHAR = /[。！？；：!?;:…”’」』）)\]》]$/u;
