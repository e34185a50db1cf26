/**
 * Specifics a question pins down that topical evidence alone does not supply: an explicit figure or
 * year (…target for 2024), a relative occurrence (上一次/previous/第几次), or the content of a numbered
 * term (“两个确立”的具体内容是什么). A passage about the same meeting or slogan that lacks them does
 * not answer the question, however well it covers its words.
 */

/** Figures and years the question states (2024, 10 in 10月27日); ordinals such as 13th are not figures. */
export function statedNumbers(question: string): string[] {
  return [...question.matchAll(/(?<![\d.])(\d{2,}(?:\.\d+)?)(?![\d.]|st\b|nd\b|rd\b|th\b)/gi)].map((m) => m[1]);
}

const ZH_DIGITS = "〇一二三四五六七八九";
/** Whether `text` states the figure, in Arabic digits or, for a year, in Chinese digits (二〇二四). */
export function statesNumber(text: string, n: string): boolean {
  if (new RegExp(`(?<![\\d.])${n.replace(".", "\\.")}(?![\\d])`).test(text)) return true;
  return /^\d{4}$/.test(n) && text.includes([...n].map((d) => ZH_DIGITS[Number(d)]).join(""));
}

/** A question about one occurrence relative to another (the previous/next/first one, which one): what the evidence must say. */
export function relativeOccurrence(question: string): RegExp | undefined {
  if (/上一?[次届回]|前一[次届回]|\bprevious\b|\blast (one|time|session|conference|meeting)\b/i.test(question))
    return /上一?[次届回]|前一?[次届回]|此前|上一轮/;
  if (/下一?[次届回]|\bnext (one|time|session|conference|meeting)\b/i.test(question)) return /下一?[次届回]|下一轮|今后/;
  if (/首[次届]|第一[次届]|\bfirst (time|session|conference|meeting)\b/i.test(question)) return /首[次届]|第一[次届]|首度/;
  if (/第几[次届]|\bwhich (session|edition)\b/i.test(question)) return /第[一二三四五六七八九十百\d]+[次届]/;
  return undefined;
}

const COUNT: Record<string, number> = { 两: 2, 二: 2, 双: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/**
 * A definition question (是什么/指什么/具体内容/内涵) about a quoted numbered term (“两个确立”, “六地”,
 * “三位一体”): the term and how many things it names. Such a term's content is its items.
 */
export function numberedTermQuestion(question: string): { term: string; count: number } | undefined {
  if (!/(是什么|指什么|是指什么|指的是什么|什么意思|具体内容|内涵|含义|包括什么|包含什么)[？?。\s]*$/.test(question)) return undefined;
  const m = question.match(/[“"「]([两二双三四五六七八九十][^”"」]{1,8})[”"」]/);
  return m ? { term: m[1], count: COUNT[m[1][0]] } : undefined;
}

/**
 * Whether `sentence` says what the numbered term is rather than merely invoking it: the term followed
 * by 是/指/即/就是/包括/a colon, or a list of short items right before it (价格、补贴、保险“三位一体”).
 */
export function definesTerm(sentence: string, term: string, count: number): boolean {
  for (let at = sentence.indexOf(term); at >= 0; at = sentence.indexOf(term, at + 1)) {
    const after = sentence.slice(at + term.length).replace(/^[”"」]/, "");
    if (/^[，,]?\s*(是|指|即|就是|也就是|包括|主要包括|分别是|[：:]|——)/.test(after)) return true;
    const before = sentence.slice(0, at).replace(/[“"「]$/, "");
    const clause = before.split(/[，,。；;：:！!？?]/).pop() ?? "";
    const items = clause.split("、");
    // Items of a list are short names; a long last "item" is a clause that happens to follow a 、.
    if (items.length >= Math.max(2, count) && items.slice(1).every((s) => [...s].length >= 1 && [...s].length <= 5)) return true;
  }
  return false;
}
