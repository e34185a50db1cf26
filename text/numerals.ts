/**
 * Chinese numerals, both ways: 十二 → 12 (section, item and article numbers) and 15 → 十五
 * (rendering an English number in the corpus's own writing).
 */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九, 一百 …, or Arabic digits; 0 when the string is no such number. */
export function parseChineseNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch in DIGITS) current = DIGITS[ch];
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

const ZH_NUM = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 5 → 五, 15 → 十五, 23 → 二十三 (1 to 99). */
export function formatChineseNumber(n: number): string {
  if (n < 10) return ZH_NUM[n];
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? "" : ZH_NUM[tens]}十${ZH_NUM[n % 10]}`;
}

/** Every character that writes a Chinese numeral: the digits (零 〇 两 included) and the place words up to 亿. */
export const NUMERAL_CHARACTERS = `${Object.keys(DIGITS).join("")}十百千万亿`;

/** Arabic digits written one by one in Chinese digits, as years are (2024 → 二〇二四). */
export function chineseDigits(digits: string): string {
  return [...digits].map((d) => (/\d/.test(d) ? "〇一二三四五六七八九"[Number(d)] : d)).join("");
}
