/**
 * Cleaned layout text (see cleanText) → articles. A title is read from the text's shape: one to four
 * short paragraphs without closing punctuation that begin the file, a page or a large gap, are followed
 * (after an optional date/adoption line such as "（2023年11月7日……通过）") by a gap, and then by body
 * text. Titles broken over several lines are joined. Text before the first title becomes an article
 * named after the file, so nothing is lost.
 */
import path from "node:path";
import type { Article } from "../vectors/types.ts";
import { articleId } from "./ids.ts";
import { markerAt } from "../text/headings.ts";
import { displayWidth, isCjk } from "./text-shape.ts";

interface Para {
  text: string;
  pageBefore: boolean;
  gapBefore: number;
}

const MAX_TITLE_PARAS = 4;
const MAX_TITLE_PARA = 80;
const MAX_TITLE = 120;
const DATE_START = /^[（(]\s*\d{4}\s*年|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$/u;

export interface SplitResult {
  articles: Article[];
  warnings: string[];
}

export function splitArticles(layoutText: string, source: string): SplitResult {
  const paras = readParas(layoutText);
  const warnings: string[] = [];
  const heads: { at: number; titleEnd: number; bodyStart: number; title: string; date?: string }[] = [];
  for (let i = 0; i < paras.length; ) {
    const head = titleAt(paras, i);
    if (head) {
      heads.push({ at: i, ...head });
      i = head.bodyStart;
    } else i++;
  }

  const articles: Article[] = [];
  const seen = new Map<string, number>();
  const add = (title: string, date: string | undefined, body: Para[]) => {
    const parts = [...(date ? [date] : []), ...body.map((p) => p.text)];
    if (body.length === 0) {
      // Name all that is dropped, the date line too (a divider page: "中央文件选编" + "（2023年11月7日印发）").
      warnings.push(`${source}: "${date ? `${title} ${date}` : title}" has no text after its title; skipped`);
      return;
    }
    const n = seen.get(title) ?? 0;
    seen.set(title, n + 1);
    articles.push({ id: articleId(source, title, n), title, ...(date ? { date } : {}), source, text: parts.join("\n") });
  };
  const firstAt = heads.length ? heads[0].at : paras.length;
  if (firstAt > 0) add(path.basename(source, path.extname(source)), undefined, paras.slice(0, firstAt));
  heads.forEach((h, k) => add(h.title, h.date, paras.slice(h.bodyStart, k + 1 < heads.length ? heads[k + 1].at : paras.length)));
  return { articles, warnings };
}

function readParas(text: string): Para[] {
  const paras: Para[] = [];
  let pageBefore = true;
  let gap = 0;
  for (const line of text.split("\n")) {
    if (line === "\f") pageBefore = true;
    else if (line.trim() === "") gap++;
    else {
      paras.push({ text: line.trim(), pageBefore, gapBefore: gap });
      pageBefore = false;
      gap = 0;
    }
  }
  return paras;
}

function titleLike(p: Para): boolean {
  const w = displayWidth(p.text);
  return (
    w <= MAX_TITLE_PARA &&
    w >= 2 &&
    !/[。！？；，、：!?;,:]$/u.test(p.text) &&
    !DATE_START.test(p.text) &&
    markerAt(p.text) === undefined
  );
}

function titleAt(paras: Para[], i: number) {
  const first = paras[i];
  if (!(i === 0 || first.pageBefore || first.gapBefore >= 2) || !titleLike(first)) return undefined;
  let j = i + 1;
  while (j < paras.length && j - i < MAX_TITLE_PARAS && !paras[j].pageBefore && paras[j].gapBefore === 0 && titleLike(paras[j])) j++;
  const title = joinTitle(paras.slice(i, j).map((p) => p.text));
  if (displayWidth(title) > MAX_TITLE) return undefined;
  // An adoption/date line under the title, possibly broken over lines: "（2023年…委员会" + "第六次全体会议通过）".
  let date: string | undefined;
  let k = j;
  if (k < paras.length && DATE_START.test(paras[k].text) && paras[k].gapBefore === 0) {
    const parts = [paras[k].text];
    k++;
    while (!/[)）]$/u.test(parts[parts.length - 1]) && /^[（(]/u.test(parts[0]) && k < paras.length && k - j < 3 && paras[k].gapBefore === 0) {
      parts.push(paras[k].text);
      k++;
    }
    date = joinTitle(parts);
  }
  // The body follows after a gap (or a page break); without one this was only a short paragraph.
  if (k >= paras.length || !(paras[k].gapBefore >= 1 || paras[k].pageBefore)) return undefined;
  return { titleEnd: j, bodyStart: k, title, date };
}

/** Lines of a title meet without a space between CJK characters, with one between Latin words. */
function joinTitle(lines: string[]): string {
  return lines.reduce((acc, line) => (acc === "" ? line : isCjk(acc[acc.length - 1]) || isCjk(line[0]) ? acc + line : `${acc} ${line}`), "");
}
