/**
 * Detectors for what a question asks for — a person, place, body, date, figure or ordinal — in a
 * sentence. Each returns the values it finds (so an answer can show them and a second sentence can
 * be told to add a new one), never counting what the question itself names.
 *
 * They read jieba's part-of-speech classes (nr person, ns place, nt organisation, m numeral) through
 * the index's segmenter, checked against CC-CEDICT (the index's word facts): a word the dictionary
 * knows as a common word (山水, 温泉, 滨海) is no name however the tagger labels it, and a proper noun
 * glossed as a city or a bank is one however it is tagged (大连/d). Names the tagger splits are found
 * by the documents' own way of naming people: a title, a surname, a verb of the meeting.
 */
import type { Segmenter } from "../../vectors/segmenter.ts";
import type { WordFactsLookup } from "../../vectors/word-facts.ts";
import type { Chunk } from "../../vectors/types.ts";
import { documentFrequency, escapeRe } from "./match.ts";
import { AFTER_NAME, ITEM_JOINER_RE, GENERIC_BODY, ORG_SUFFIXES, PLACE_SUFFIXES, SURNAMES, VENUE_SUFFIXES, TITLES, UNITS, ZH_DIGITS, type PlaceGrain, type SlotKind } from "./lexicon.ts";

export interface Slot {
  kind: SlotKind;
  /** The asking phrase as written (多少亿元, 哪个城市, 何时). */
  cue: string;
  /** Where the cue starts in the question. */
  at: number;
  /** A date asked to the day (哪天, 几月几日), or to the year (哪一年). */
  day?: boolean;
  year?: boolean;
  /** Units a figure must be given in (多少人 → 人, 多少亿元 → 亿元); empty = any. */
  units?: string[];
  /** A share or rate (百分之几, 比例, 增速). */
  percent?: boolean;
  /** Several of them asked (哪几位, 哪些城市). */
  many?: boolean;
  /** For a place: the sort asked (哪个城市 → city). */
  grain?: PlaceGrain;
  /** For a person or body: the verb it is asked as the doer of (谁主持 → 主持). */
  verb?: string;
}

export interface SlotContext {
  seg: Segmenter;
  facts?: WordFactsLookup;
  /** The corpus, for how common a place is (see backdrop). */
  chunks?: readonly Chunk[];
}

const NUM = `(?:\\d+(?:\\.\\d+)?|[${ZH_DIGITS}]{2,}|[二两三四五六七八九十])`;
const UNIT_RE = `(?:${UNITS})`;
/** A figure with its unit; ordinals (第十三次, 第二批) count nothing. */
const QUANTITY_RE = new RegExp(`(?<!第|[${ZH_DIGITS}])${NUM}\\s*(?:多|余|多万|余万)?${UNIT_RE}|百分之[${ZH_DIGITS}点]+|\\d+(?:\\.\\d+)?\\s*[%％]|[十百千]?[万亿]级`, "g");
const PERCENT_RE = new RegExp(`百分之[${ZH_DIGITS}点]+|\\d+(?:\\.\\d+)?\\s*[%％]|[${ZH_DIGITS}]成(?!为|立|果|效|员|就)|个百分点`, "g");
// 第六次, or a session and a sitting written together without 第 (十三届六次全会).
const ORDINAL_RE = new RegExp(`第[${ZH_DIGITS}\\d]+[届次批轮期]|[${ZH_DIGITS}\\d]+届[${ZH_DIGITS}\\d]+次`, "g");
const YEAR_RE = new RegExp(`(?:19|20)\\d{2}\\s*年|[${ZH_DIGITS}]{4}年|本世纪中叶|“十[${ZH_DIGITS}]五”|(?<![\\d.])(?:19|20)\\d{2}(?![\\d.])`, "g");
const DAY_RE = new RegExp(`\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日(?:\\s*至\\s*(?:\\d{1,2}\\s*月\\s*)?\\d{1,2}\\s*日)?|[${ZH_DIGITS}]{1,3}月[${ZH_DIGITS}]{1,3}日|(?<![月\\d])\\d{1,2}\\s*日(?:至\\d{1,2}日)?`, "g");
const MONTH_RE = new RegExp(`\\d{1,2}\\s*月份?|[${ZH_DIGITS}]{1,2}月份?|年底|年初|上半年|下半年`, "g");

const values = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => m[0].replace(/\s+/g, ""));

/** Figures in a text (87人, 50项, 3000万千瓦, 2.5%), optionally only in the given units. */
/** Units that, without a unit asked, mostly name things (十三届, 五次全会, 三年行动) rather than count them. */
const NAMING_UNITS = /[届次年大]$/;

export function quantities(text: string, units: string[] = []): string[] {
  // 27日 in 10月27日 is a date, not a count of days.
  const found = [...text.matchAll(QUANTITY_RE)].filter((m) => !/[月\d]\s*$/.test(text.slice(Math.max(0, m.index! - 2), m.index!)) || !/日$/.test(m[0])).map((m) => m[0].replace(/\s+/g, ""));
  return units.length ? found.filter((v) => units.some((u) => v.endsWith(u) || v.includes(u))) : found.filter((v) => /\d/.test(v) || !NAMING_UNITS.test(v));
}

/** Dates in a text: days (10月27日, 6日至7日), or with `coarse` also years and months. */
export function dates(text: string, opts: { day?: boolean; year?: boolean } = {}): string[] {
  if (opts.day) return values(DAY_RE, text);
  if (opts.year) return values(YEAR_RE, text);
  return [...values(DAY_RE, text), ...values(YEAR_RE, text), ...values(MONTH_RE, text)];
}

const TITLE_NAME = new RegExp(`(?:${TITLES})([${SURNAMES}][\\u4e00-\\u9fa5]{1,2}?)(?=${AFTER_NAME}|[，、。；）)]|$)`, "g");
const NAME_ACT = new RegExp(`([${SURNAMES}][\\u4e00-\\u9fa5]{1,2}?)(?=${AFTER_NAME}|、[${SURNAMES}])`, "g");
/** Names listed after a title: 常委李强、赵乐际、王沪宁 (each a surname and one or two more characters). */
const TITLE_LIST = new RegExp(`(?:${TITLES})((?:[${SURNAMES}][\\u4e00-\\u9fa5]{1,2}、)+[${SURNAMES}][\\u4e00-\\u9fa5]{1,2}?)(?=${AFTER_NAME}|[，。；]|$)`, "g");

/**
 * A place in most of the corpus's passages is the documents' own setting (辽宁 in a corpus about it):
 * never the answer to a where-question, which asks for a place among others.
 */
function backdrop(word: string, ctx: SlotContext): boolean {
  return !!ctx.chunks?.length && documentFrequency(word, ctx.chunks, ctx.seg, false) > BACKDROP * ctx.chunks.length;
}
const BACKDROP = 0.5;

/** Whether a candidate name is one: not a word the dictionary or the tagger knows as something else. */
function plausibleName(name: string, ctx: SlotContext): boolean {
  const n = [...name].length;
  if (n < 2 || n > 4) return false;
  if (ctx.facts?.isCommon(name)) return false;
  const kind = ctx.facts?.kind(name);
  if (kind && kind !== "person") return false;
  const tags = ctx.seg.tag(name);
  // One dictionary word that is not a name (何时, 同时, 金融): a common word, not a person.
  if (tags.length === 1 && [...tags[0].word].length === n && !/^(nr|x)/.test(tags[0].tag) && kind !== "person") return false;
  return true;
}

/**
 * Whether a candidate name starts and ends at word boundaries of the text around it (批准/钱雪松/辞去),
 * rather than inside words (实施和工作 holds no 施和工, 有关领导 no 关领导).
 */
function alignsWithWords(text: string, at: number, len: number, ctx: SlotContext): boolean {
  const from = Math.max(0, at - 3);
  const to = Math.min(text.length, at + len + 3);
  let pos = from;
  const bounds = new Set<number>([from, to]);
  for (const t of ctx.seg.tag(text.slice(from, to), false)) bounds.add((pos += t.word.length));
  return bounds.has(at) && bounds.has(at + len);
}

/**
 * Who does the asked verb, said with 由 (论坛由市政府主办, 由省发展改革委牵头): the doer named
 * between 由 and the question's own verb, a person or a body, however the tagger splits it.
 */
export function doers(text: string, verb: string | undefined, exclude: readonly string[] = []): string[] {
  if (!verb) return [];
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(`由([\u3400-\u9fff、]{2,16}?)(?:负责)?${escapeRe(verb)}`, "g"))) {
    const who = m[1];
    if (!exclude.some((e) => e === who || (e.length >= 2 && who.includes(e) && who.length - e.length < 2))) out.push(who);
  }
  return out;
}

/** People named in a sentence, other than those in `exclude`. */
export function persons(text: string, ctx: SlotContext, exclude: readonly string[] = []): string[] {
  const out = new Set<string>();
  const add = (name: string) => {
    if (exclude.some((e) => e.includes(name) || name.includes(e))) return;
    if (plausibleName(name, ctx)) out.add(name);
  };
  for (const m of text.matchAll(TITLE_LIST)) for (const name of m[1].split("、")) add(name);
  for (const m of text.matchAll(TITLE_NAME)) add(m[1]);
  // A surname and one or two characters before a verb of the meeting (批准钱雪松辞去, 何立峰作): a name
  // when it is not a word, nor the end of one the text writes (常委会主持 is 常委会, not a person).
  for (const m of text.matchAll(NAME_ACT)) if (alignsWithWords(text, m.index!, m[1].length, ctx)) add(m[1]);
  for (const { word, tag } of ctx.seg.tag(text)) {
    if (ctx.facts?.kind(word) === "person") add(word);
    // jieba's dictionary tags some common words nr (高水平, 建立健全): trust nr only for a word it had
    // to guess (not in its dictionary: split into characters without HMM).
    else if (/^nr/.test(tag) && [...word].length >= 2 && ctx.seg.tag(word, false).length > 1) add(word);
  }
  return [...out];
}

const PLACE_WORD = new RegExp(`^(.+?)(?:${PLACE_SUFFIXES})$`);
const VENUE_WORD = new RegExp(`(?:${VENUE_SUFFIXES})$`);
const PLACE_SUFFIX = new RegExp(`^(?:${PLACE_SUFFIXES})$`);
const LIES_IN = /(?<=^|[，。；、：\s])([\u4e00-\u9fa5]{2,4})在([\u4e00-\u9fa5]{2,8})(?=[，。；、]|$)/g;
const PLACES_BY_EXAMPLE = /([\u4e00-\u9fa5]{2,4}?)等(?:地区|地方|省份|城市|国家|地)(?![\u4e00-\u9fa5]{0,1}(?:方面|领域))/g;

/** Places named in a sentence (沈阳, 辽西北, 俄罗斯, 太平湾), other than those in `exclude`; of the sort asked, if any. */
export function places(text: string, ctx: SlotContext, exclude: readonly string[] = [], grain?: PlaceGrain, topic: readonly string[] = []): string[] {
  const out = new Set<string>();
  const known = (w: string) => exclude.some((e) => e.includes(w) || w.includes(e));
  const tagged = ctx.seg.tag(text);
  if (grain === "venue") {
    // A building or ground: a name ending in a venue word, however it is tagged (人民大会堂/nt).
    for (const { word } of tagged) if ([...word].length >= 3 && VENUE_WORD.test(word) && !known(word)) out.add(word);
    return [...out];
  }
  for (let i = 0; i < tagged.length; i++) {
    const { word, tag } = tagged[i];
    // One place jieba splits in two after a place (ns): into places (辽/西北), however CC-CEDICT knows
    // the parts; or from its one-character suffix (太平/ns + 湾), though the stem alone is a common word.
    const next = tagged[i + 1];
    if (tag === "ns" && next) {
      const joined = word + next.word;
      const twoPlaces = next.tag === "ns" && !grain && [...joined].length <= 5 && !ctx.facts?.isCommon(joined);
      const suffixed = [...next.word].length === 1 && PLACE_SUFFIX.test(next.word) && (!grain || hasGrain(joined, tag, grain, ctx)) && !backdrop(joined, ctx);
      if ((twoPlaces || suffixed) && !known(joined)) out.add(joined);
    }
    if ([...word].length < 2 || known(word)) continue;
    if (isPlace(word, tag, ctx) && (!grain || hasGrain(word, tag, grain, ctx)) && !backdrop(word, ctx)) out.add(word);
  }
  // "X等地区" / "X等地": the documents' way of naming places by example.
  if (!grain) for (const m of text.matchAll(PLACES_BY_EXAMPLE)) if (!known(m[1])) out.add(m[1]);
  // "根基在实体经济": where a thing the question names lies, said with 在 (a place in the figurative sense).
  if (!grain && topic.length) for (const m of text.matchAll(LIES_IN)) if (topic.includes(m[1]) && !known(m[2])) out.add(m[2]);
  return [...out];
}

/** Whether a place is of the sort asked: by its gloss (沈阳 a city, 辽宁 a province), its suffix, or as a country by jieba's ns and no finer sort. */
function hasGrain(word: string, tag: string, grain: PlaceGrain, ctx: SlotContext): boolean {
  const sort = ctx.facts?.placeKind(word);
  const suffix: Record<PlaceGrain, RegExp> = { city: /市$/, province: /省$/, county: /县$/, district: /[区县]$/, country: /国$/, port: /港(口)?$/, venue: VENUE_WORD };
  if (suffix[grain].test(word)) return true;
  if (grain === "port") return false;
  if (grain === "country") return !sort && tag === "ns" && !!ctx.facts?.isProper(word);
  return sort === grain || (grain === "district" && (sort === "county" || sort === "region"));
}

function isPlace(word: string, tag: string, ctx: SlotContext): boolean {
  const facts = ctx.facts;
  const kind = facts?.kind(word);
  if (kind === "place") return true;
  if (kind) return false;
  if (facts?.isCommon(word)) return false;
  if (facts?.isProper(word) && tag === "ns") return true;
  // A proper stem with a place suffix (辽宁省, 锦州港, 太平湾); a common stem is not a place (强省).
  const m = word.match(PLACE_WORD);
  if (m && [...m[1]].length >= 2 && (facts?.kind(m[1]) === "place" || facts?.isProper(m[1]))) return true;
  return false;
}

/** Bodies named by a multi-character suffix (研究所, 委员会, 总局); single-character ones (部, 局) are too common in words (布局). */
const ORG_WORD = new RegExp(`[\\u4e00-\\u9fa5（）()]{2,20}?(?:${ORG_SUFFIXES.split("|").filter((x) => [...x].length > 1).join("|")})`, "g");

/** Named bodies in a sentence (中国人民银行, 金融监管总局, 中央金融委员会), other than those in `exclude`. */
export function orgs(text: string, ctx: SlotContext, exclude: readonly string[] = []): string[] {
  const out = new Set<string>();
  const known = (w: string) => exclude.some((e) => e.includes(w) || w.includes(e));
  for (const { word, tag } of ctx.seg.tag(text)) {
    if (known(word)) continue;
    if (ctx.facts?.kind(word) === "org" || (tag === "nt" && [...word].length >= 3 && !ctx.facts?.isCommon(word))) out.add(word);
  }
  for (const m of text.matchAll(ORG_WORD)) {
    const name = m[0].replace(/^[的和与及、]+/, "");
    // A body is named by a proper or rare stem: 有关部门 and 各级党委 name none.
    if (GENERIC_BODY.test(name) || [...name].length < 4 || known(name)) continue;
    out.add(name);
  }
  return [...out];
}

/**
 * Items a text lists next to where `about` is true: "、"-separated items in that clause or, after a
 * colon or a short lead-in (即：), in the next; or 一是……二是…… after it. At least `count` items.
 * With `each` (`about` then names the counted thing): also exactly `count` clauses of one sentence
 * each naming it (增强上海国际金融中心…，巩固提升香港国际金融中心…: two centres).
 */
export function enumeration(text: string, count: number, about: (clause: string) => boolean = () => true, opts: { clauses?: boolean; each?: boolean } = {}): string[] {
  const clauses = [...text.matchAll(/[^，,；;：:。]+([，,；;：:。]?)/g)].map((m) => ({ text: m[0], colon: /[：:]/.test(m[1]), end: /。/.test(m[1]) }));
  const items = (c: string | undefined) => {
    const parts = (c ?? "").replace(/[，,；;：:。]$/, "").split("、");
    return parts.length >= Math.max(2, count) ? parts : [];
  };
  for (let i = 0; i < clauses.length; i++) {
    if (!about(clauses[i].text)) continue;
    const here = items(clauses[i].text);
    if (here.length) return here;
    if (clauses[i].colon && items(clauses[i + 1]?.text).length) return items(clauses[i + 1].text);
    if (!clauses[i].end && clauses[i + 1] && !clauses[i + 1].end && [...clauses[i + 1].text].length <= 4 && clauses[i + 1].colon && items(clauses[i + 2]?.text).length)
      return items(clauses[i + 2].text);
    const after = clauses.slice(i).map((c) => c.text).join("");
    if (/一是/.test(after) && /二是/.test(after)) return after.split(new RegExp(`[${ZH_DIGITS}]是`)).slice(1);
    // With `clauses` (an unspecified count: 哪几方面): short clauses after the topic's, to the sentence's end
    // (要完善X，扩大实施范围，强化功能作用，健全收支管理，提升资金效能。).
    if (opts.clauses && !clauses[i].end) {
      const rest: string[] = [];
      for (let j = i + 1; j < clauses.length; j++) {
        if ([...clauses[j].text].length > SHORT_CLAUSE) break;
        rest.push(clauses[j].text.replace(/[，,；;。]$/, ""));
        if (clauses[j].end) break;
      }
      if (rest.length >= Math.max(3, count)) return rest;
    }
  }
  if (opts.each && count >= 2) {
    let sentence: string[] = [];
    for (const c of clauses) {
      if (about(c.text)) sentence.push(c.text.replace(/[，,；;。]$/, ""));
      if (!c.end) continue;
      if (sentence.length === count) return sentence;
      sentence = [];
    }
    if (sentence.length === count) return sentence;
  }
  return [];
}

/** A clause this short (characters, with its mark) can be one item of a list of measures. */
const SHORT_CLAUSE = 12;

/**
 * Whether a sentence says what a numbered term is rather than invoking it: the term followed by
 * 是/指/即/包括/a colon, or a list of short items right before it (价格、补贴、保险“三位一体”).
 */
export function definesTerm(sentence: string, term: string, count: number): boolean {
  for (let at = sentence.indexOf(term); at >= 0; at = sentence.indexOf(term, at + 1)) {
    const after = sentence.slice(at + term.length).replace(/^[”"」]/, "");
    // The term, perhaps a short lead-in (的目标定位，), a word saying what it is, then its items:
    // “两个确立”即确立甲…、确立乙…; 打造“六地”的目标定位，即：A、B、…
    const listed = `([^、，。；]{1,20}、){${Math.max(1, count - 1)},}`;
    if (new RegExp(`^[^，,。；;：:]{0,8}[，,]?\\s*(是|指|即|就是|也就是|包括|主要包括|分别是|[：:]|——)[：:]?${listed}`).test(after)) return true;
    const before = sentence.slice(0, at).replace(/[“"「]$/, "");
    const clause = before.split(/[，,。；;：:！!？?]/).pop() ?? "";
    // The last two items may be joined by 和/及/与 instead (节能降耗、供热和灵活性“三改联动”).
    const items = clause.split("、").flatMap((x, i, all) => (i === all.length - 1 && all.length + 1 === count ? x.split(ITEM_JOINER_RE) : [x]));
    if (items.length >= Math.max(2, count) && items.slice(1).every((x) => [...x].length >= 1 && [...x].length <= 5)) return true;
  }
  return false;
}

/**
 * Whether a sentence says what a term is: the term, then 是, 就是 or 即 (金融是国民经济的血脉;
 * ……意识，就是要…), not 是否/是不是. Unlike definesTerm, no list need follow.
 */
export function saysWhatItIs(sentence: string, term: string): boolean {
  for (let at = sentence.indexOf(term); at >= 0; at = sentence.indexOf(term, at + 1)) {
    if (/^[，,]?(?:就是|即是|即|是)(?!否|不是)/.test(sentence.slice(at + term.length))) return true;
  }
  return false;
}

/**
 * How many members of a sentence's longest list (A、B、C in one clause) are kinds of `head`, by their last
 * character: Chinese compounds put the head last, so 中德…产业园 and …合作示范区 are kinds of 园区, 制造业 of
 * 产业. A list closed by 等 + the kind (油气、矿业等产业) says all its members are of it; closed by 等 + any
 * other word (玉米、水稻等品种 asked as 作物), its last member ends before 等.
 */
export function membersOfKind(sentence: string, head: string): number {
  const heads = new Set([...head].filter((ch) => /\p{Script=Han}/u.test(ch)));
  let best = 0;
  for (const clause of sentence.split(/[，,；;：:。！!？?]/)) {
    const parts = clause.split("、");
    const lastHan = (p: string) => [...p.replace(/[（(][^）)]*[）)]$/, "")].filter((ch) => /\p{Script=Han}/u.test(ch)).pop();
    // A list closed by 等 + the kind (油气、矿业、化工等产业; 海洋工程装备与船舶等优势产业) says all its members are of it.
    const [lastMember, kind] = parts[parts.length - 1].split("等");
    if (kind !== undefined && heads.has(lastHan(kind.split(ITEM_JOINER_RE)[0]) ?? "")) {
      const members = parts.length - 1 + lastMember.split(ITEM_JOINER_RE).filter(Boolean).length;
      if (members >= 2) best = Math.max(best, members);
      continue;
    }
    if (parts.length < 2) continue;
    parts[parts.length - 1] = lastMember;
    best = Math.max(best, parts.filter((p) => heads.has(lastHan(p) ?? "")).length);
  }
  return best;
}

/** The values of the slot in a sentence (empty when it holds none). */
export function slotValues(slot: Slot, sentence: string, ctx: SlotContext, exclude: readonly string[] = [], topic: readonly string[] = []): string[] {
  // A date or a place inside a document's title (《…2023年…报告》) is the title's, not the event's.
  const text = sentence.replace(/《[^》]*》/g, (t) => "，".repeat(t.length));
  switch (slot.kind) {
    case "quantity": {
      if (slot.percent) return values(PERCENT_RE, text);
      return quantities(text, slot.units);
    }
    case "date":
      return dates(text, { day: slot.day, year: slot.year });
    case "ordinal":
      return values(ORDINAL_RE, text).filter((v) => !exclude.some((e) => e.includes(v)));
    case "person":
      return [...persons(text, ctx, exclude), ...doers(text, slot.verb, exclude)];
    case "place":
      return places(text, ctx, exclude, slot.grain, topic);
    case "org":
      return [...new Set([...orgs(text, ctx, exclude), ...doers(text, slot.verb, exclude)])];
    case "items":
      // Needs the topic and the count (see enumeration); the evidence check calls it directly.
      return [];
  }
}
