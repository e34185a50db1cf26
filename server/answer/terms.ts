/**
 * A question's content terms and how telling each is in this corpus.
 * Passages are matched by substring (robust for Chinese, no need to segment them the same way);
 * only the question is segmented, with jieba, keeping nouns, verbs, names and unknown words.
 */
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import type { Chunk } from "../../vectors/types.ts";

let jieba: Jieba | undefined;
/** Lazily built: loading the dictionary takes ~0.3 s and not every caller needs it. */
export function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Words that frame a question rather than name its subject (asking words, particles, generic nouns). */
const QUESTION_WORDS = new Set(
  (
    "哪些 哪个 哪几 哪几个 哪几项 哪项 哪一 哪里 哪儿 哪年 哪一年 什么 什么样 怎么 怎样 怎么样 如何 多少 多大 多久 几 几个 几项 谁 何时 何地 何 吗 呢 吧 啊 呀 " +
    "是 有 的 了 在 和 与 及 以及 或 对 把 被 为 为了 于 从 向 将 就 都 也 还 又 并 而 其 之 这 那 这些 那些 这个 那个 该 此 上述 它 它们 他 她 他们 " +
    "请 请问 问 一下 介绍 说说 讲讲 谈谈 告诉 我 我们 你 您 能 能否 可以 是否 要 需要 应该 会 关于 方面 主要 具体 内容 " +
    "指 是指 意味着 意思 含义 内涵 意义 比作 比喻 称为 叫做 具体内容 " +
    "时候 时间 时期 阶段 日期 数量 数目 规模 金额 地点 位置 地方 比例 百分之几 名字 姓名 " +
    "措施 举措 办法 做法 政策 情况 工作 要求 重点 任务 提出 提到 说 说了 讲 讲了 强调 指出 包括 涉及 文件 资料 文章 意见 规定 中 里 上 下"
  ).split(/\s+/),
);

const EN_STOP = new Set(
  (
    "the a an of to in on for and or with by from at as is are was were be been being do does did what which who whom whose when where why how " +
    "many much there their they them it its this that these those about any some please tell me us we you your i can could would should will " +
    "has have had not no yes than then also more most measures measure steps policy policies document documents say said says mention mentioned"
  ).split(/\s+/),
);

const QUOTED = /[“"「『《]([^“”"「」『』《》\n]{2,16})[”"」』》]/g;

/**
 * Asking phrases, cut out before segmenting: left in, jieba glues them to their neighbours
 * (是哪天开的 → 哪/天开/的) and the glued piece passes for a content word the evidence lacks.
 * 任何时候/任何地方/任何人 are not questions; 处在哪/正在哪 keep their verb apart from 在哪.
 */
const ASKING =
  /哪一天|哪天|哪一年|哪年|哪个月|哪一月|几月几日|几月几号|几号|什么时候|什么时间|(?<!任)何时|何年|在哪里|在哪儿|(?<![处正存现所])在哪|哪里|哪儿|(?<!任)何地|何处|哪[个家](?:单位|部门|机构|地方)|哪位|(?<!任)何人|是谁|由谁|谁|多少|几[个项条届次年种类]|第几|哪几|哪些|哪个|哪一|什么样|为什么|什么|怎么样|怎样|怎么|如何|哪/g;
/** Stands for a removed asking phrase, so the words on either side stay apart. */
const ASK_MARK = "？";

/**
 * Words about when or in what state rather than what: 辽宁现在处在哪……, 目前正在推进…… The passages
 * answering such questions rarely repeat them, so they must not count as missing evidence.
 */
const TEMPORAL = new Set("现在 目前 当前 如今 当下 眼下 现阶段 处在 处于 正处于 正在 已经 曾经".split(" "));
/**
 * Verbs that only say an event happened (会议是哪天开的, 在哪里举行, 谁进行讲解): weightless when they
 * are the question's predicate, i.e. next to the asking phrase or closing the question.
 */
const EVENT_VERBS = new Set("开 召开 举行 举办 进行 开展 开幕 闭幕".split(" "));
/** Words jieba forms around an asking word: 哪几种, 哪些地方, 什么样, 多少个, 几年. */
const INTERROGATIVE = /^(哪|什么|多少|几)/;

export interface Term {
  text: string;
  /** jieba part of speech ("eng" for English words). */
  tag: string;
}

const CJK_RE = /[\u3400-\u9fff]/;

/** The question's content terms, in order, without duplicates. */
export function questionTerms(question: string): Term[] {
  const out: Term[] = [];
  const seen = new Set<string>();
  // A quoted phrase (“三篇大文章”, 《意见》) is the user naming something: keep it whole.
  for (const m of question.matchAll(QUOTED)) {
    const phrase = m[1].trim();
    if (seen.has(phrase)) continue;
    seen.add(phrase);
    out.push({ text: phrase, tag: "nz" });
  }
  const rest = question.replace(QUOTED, "，").replace(ASKING, ASK_MARK);
  const tagged = mergeSplitNames(segmenter().tag(rest, false));
  for (let i = 0; i < tagged.length; i++) {
    const { word, tag } = tagged[i];
    const w = word.trim();
    if (TEMPORAL.has(w) || (EVENT_VERBS.has(w) && isPredicate(tagged, i))) continue;
    if (!w || seen.has(w)) continue;
    if (/^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(w) && /[A-Za-z]/.test(w)) {
      // Latin words: English content words, or codes inside Chinese text (5G, GDP).
      const lw = w.toLowerCase();
      if (EN_STOP.has(lw) || (lw.length < 3 && !/\d/.test(lw) && w !== w.toUpperCase())) continue;
      seen.add(w);
      out.push({ text: /[a-z]/.test(w) ? lw : w, tag: "eng" });
      continue;
    }
    if (/^\d+(\.\d+)?$/.test(w)) {
      seen.add(w);
      out.push({ text: w, tag: "m" });
      continue;
    }
    if (!CJK_RE.test(w) || QUESTION_WORDS.has(w) || INTERROGATIVE.test(w)) continue;
    // Single characters are too ambiguous to match by substring, except plain nouns (煤, 水, 港).
    if ([...w].length === 1 && !/^n/.test(tag)) continue;
    // Pronouns, particles, prepositions, conjunctions, adverbs, directions: they frame, they do not name.
    if (/^(r|u|p|c|y|e|o|d|f|m)/.test(tag)) continue;
    seen.add(w);
    out.push({ text: w, tag });
  }
  return out;
}

/** Closing particles between a predicate and the end of its clause (召开的, 举行了吗). */
const CLOSING = /^(的|了|过|呢|吗|吧|啊|呀)$/;

/** The word at i is next to an asking phrase or ends its clause (after closing particles). */
function isPredicate(tagged: { word: string; tag: string }[], i: number): boolean {
  const prev = tagged[i - 1]?.word.trim();
  if (prev === ASK_MARK || prev === "是" || prev === "来") return true;
  for (let j = i + 1; j < tagged.length; j++) {
    const w = tagged[j].word.trim();
    if (!w || CLOSING.test(w)) continue;
    return !CJK_RE.test(w) && !/^[A-Za-z0-9]/.test(w);
  }
  return true;
}

/**
 * jieba (without HMM) splits names it does not know into single characters (王/延/中, 徐/大堡);
 * glue a surname or a run of single characters to its neighbour so the name is matched whole.
 */
function mergeSplitNames(input: { word: string; tag: string }[]): { word: string; tag: string }[] {
  const tagged = glueAbbreviations(input);
  const out: { word: string; tag: string }[] = [];
  const isCjk1 = (t: { word: string }) => [...t.word].length === 1 && CJK_RE.test(t.word);
  const glueable = (t: { word: string; tag: string }) =>
    isCjk1(t) && !/^(p|u|c|y|r|e|o|d|v|m|q)/.test(t.tag) && !QUESTION_WORDS.has(t.word);
  for (let i = 0; i < tagged.length; i++) {
    const t = tagged[i];
    const prev = out[out.length - 1];
    if (prev && (prev.tag === "nr" && isCjk1(prev)) && CJK_RE.test(t.word) && !/^(p|u|c|y|r|v|m)/.test(t.tag)) {
      out[out.length - 1] = { word: prev.word + t.word, tag: "nr" };
    } else if (prev && glueable(t) && glueable(prev)) {
      out[out.length - 1] = { word: prev.word + t.word, tag: prev.tag === "nr" ? "nr" : "x" };
    } else if (prev && prev.tag === "nr" && [...prev.word].length <= 2 && glueable(t)) {
      out[out.length - 1] = { word: prev.word + t.word, tag: "nr" };
    } else {
      out.push({ ...t });
    }
  }
  return out;
}

/**
 * An abbreviation jieba does not know falls apart into single characters, verbs among them
 * (深改委 → 深/改/委): three or more content characters in a row are one word, tagged j (abbreviation).
 */
function glueAbbreviations(tagged: { word: string; tag: string }[]): { word: string; tag: string }[] {
  const single = (t: { word: string; tag: string }) =>
    [...t.word].length === 1 && CJK_RE.test(t.word) && !/^(p|u|c|y|r|e|o|d|m|q|nr)/.test(t.tag) && !QUESTION_WORDS.has(t.word);
  const out: { word: string; tag: string }[] = [];
  for (let i = 0; i < tagged.length; ) {
    let j = i;
    while (j < tagged.length && single(tagged[j])) j++;
    if (j - i >= 3) {
      out.push({ word: tagged.slice(i, j).map((t) => t.word).join(""), tag: "j" });
      i = j;
    } else out.push(tagged[i++]);
  }
  return out;
}

/**
 * True when `haystack` mentions the term: the word itself, its full form (for an abbreviation of
 * two or three characters), or (for compounds) all its parts.
 */
export function mentions(haystack: string, term: string): boolean {
  if (haystack.includes(term)) return true;
  if (listsNumberedTerm(haystack, term)) return true;
  const chars = [...term];
  if (!CJK_RE.test(term) || chars.length < 2) return false;
  if (chars.length >= 4) {
    // 清洁能源强省 split as 清洁能源/强省 in the text: accept when every piece jieba finds is present.
    const parts = segmenter().cut(term, false).filter((p) => [...p].length >= 2);
    if (parts.length >= 2 && parts.every((p) => haystack.includes(p))) return true;
  }
  // Abbreviations keep the full form's characters in order: 文旅 ↔ 文体旅, 国企 ↔ 国有企业,
  // 冬运会 ↔ 冬季运动会, 深改委 ↔ 深化改革委员会. Longer words are phrases (发挥作用), not
  // abbreviations: spread out they would match loosely worded sentences (发挥更大作用).
  return chars.length <= 3 && abbreviation(chars).test(haystack);
}

const NUMBERED_COUNT: Record<string, number> = { 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/**
 * A numbered term (五个期, 六地) is often a label the text never writes: it lists the items instead
 * (战略机遇期、红利释放期、……发展窗口期). The label counts as mentioned when the text lists at least
 * that many short items, separated by 、 or ；, each ending in the label's head character(s).
 */
export function listsNumberedTerm(haystack: string, term: string): boolean {
  const m = term.match(/^([两二三四五六七八九十])个?([\u3400-\u9fff]{1,2})$/u);
  if (!m) return false;
  const n = NUMBERED_COUNT[m[1]];
  const head = escapeRe(m[2]);
  // Items cannot hold a separator, so each run between separators must end in the head.
  const item = `[\\u3400-\\u9fff]{0,15}${head}`;
  return new RegExp(`(?:${item}[、；;]){${n - 1},}${item}`, "u").test(haystack);
}

const abbrevCache = new Map<string, RegExp>();
/** The characters in order, each followed by at most two more Han characters before the next. */
function abbreviation(chars: string[]): RegExp {
  const key = chars.join("");
  let re = abbrevCache.get(key);
  if (!re) {
    if (abbrevCache.size > 10_000) abbrevCache.clear(); // bounded, like the df cache
    abbrevCache.set(key, (re = new RegExp(chars.map(escapeRe).join("[\\u3400-\\u9fff]{0,2}"))));
  }
  return re;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const dfCache = new WeakMap<Chunk[], Map<string, number>>();

/** Inverse document frequency of a term over the index's chunks (text + heading path). */
export function termWeight(term: string, chunks: Chunk[]): number {
  let cache = dfCache.get(chunks);
  if (!cache) dfCache.set(chunks, (cache = new Map()));
  let df = cache.get(term);
  if (df === undefined) {
    if (cache.size > 50_000) cache.clear(); // bounded: a long-running server sees many distinct words
    df = 0;
    for (const c of chunks) if (mentions(c.text, term) || c.headingPath.some((h) => h.includes(term))) df++;
    cache.set(term, df);
  }
  const n = Math.max(chunks.length, 1);
  return Math.log((n + 1) / (df + 0.5));
}

/** Document frequency as computed by termWeight (0 = the corpus never mentions the term). */
export function termDf(term: string, chunks: Chunk[]): number {
  termWeight(term, chunks);
  return dfCache.get(chunks)!.get(term)!;
}

/** Character bigrams of a text (CJK and word characters), for redundancy between sentences. */
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
