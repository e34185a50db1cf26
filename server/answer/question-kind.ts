/**
 * What a question asks for (a list, a number, a date, a person, a place, or a plain fact), and
 * detectors for each of those in evidence text. The composer uses the kind for its format; the
 * refusal check uses the detectors: a question asking for a figure needs a figure in the evidence.
 */
import { segmenter } from "./terms.ts";

export type Asked = "quantity" | "date" | "person" | "place" | "fact";

export interface QuestionKind {
  asked: Asked;
  /** Asks for several things (有哪些, 哪几, what measures): answer as a short list. */
  list: boolean;
  /** Asks for a day, not just a year (哪天, 几月几日, 日期). */
  day?: boolean;
  /** Asks for a given number of named things (哪三个体系 → 3, 哪几种 → 2): the evidence must list them. */
  enumerate?: number;
  /** Asks how something is done (如何发展壮大民营经济, how will … develop): answered by measures when an item is about it. */
  how?: boolean;
}

const ZH = {
  quantity: /多少|几[个项条座家次倍成年]|多[大高长远久重]|百分之几|比例是|占比|规模有?多|金额|数量是|数目|几成/,
  date: /何时|什么时[候间]|哪[一]?年|几月|几号|哪[一]?天|哪个月|日期|时间是|何年/,
  person: /谁|哪位|何人|哪个人|哪些人|由何人|叫什么名字|姓名/,
  place: /哪里|哪儿|在哪(?![“"「]?[些几个项种一两二三四五六七八九十])|何地|何处|哪个[城地省市县区]|什么地方|地点|位于何|哪座城/,
  list: /有哪些|哪些|哪几|有什么|包括什么|包含什么|什么措施|什么举措|哪方面|几个方面|主要任务|主要内容|措施|举措|任务/,
};
const EN = {
  quantity: /\bhow (many|much|large|big|long|high)\b|\bwhat (percentage|proportion|share|number|amount)\b/i,
  date: /\bwhen\b|\bwhat (year|date|day|month|time)\b|\bwhich (year|date|day|month)\b/i,
  person: /\bwho\b|\bwhom\b|\bwhose\b|\bwhich (person|official|leader)\b/i,
  place: /\bwhere\b|\bwhich (city|province|place|region|county|port)\b/i,
  list: /\bwhat (measures|steps|actions|tasks|policies|are the|were the)\b|\bwhich (measures|steps)\b|\blist\b|\bmeasures\b|\bwhat (does|do|did|will|is|are)\b.+\b(plan|plans|planning|propose|proposes|intend|intends|do|doing|pursue|take)\b/i,
};
const HOW = { zh: /如何|怎样|怎么(?!样|说)/, en: /\bhow (does|do|did|will|would|should|can|is|are)\b/i };

export function questionKind(question: string): QuestionKind {
  const q = question;
  const re = /[\u3400-\u9fff]/.test(q) ? ZH : EN;
  // 哪几个/哪几项 ask for a list, not a count.
  const quantity = re.quantity.test(q) && !/哪几/.test(q);
  const asked: Asked = quantity
    ? "quantity"
    : re.date.test(q)
      ? "date"
      : re.person.test(q)
        ? "person"
        : re.place.test(q)
          ? "place"
          : "fact";
  const kind: QuestionKind = { asked, list: asked === "fact" && re.list.test(q) };
  if (asked === "fact" && (re === ZH ? HOW.zh : HOW.en).test(q)) kind.how = true;
  if (asked === "date" && /哪[一]?天|几号|几月几日|日期|哪一日|what (date|day)\b|which day/i.test(q)) kind.day = true;
  const enumerate = q.match(/哪[“"「]?([几两二三四五六七八九十])[个项种篇条类大方]/);
  if (enumerate) {
    kind.enumerate = enumerate[1] === "几" ? 2 : "两二三四五六七八九十".indexOf(enumerate[1]) + (enumerate[1] === "两" ? 2 : 1);
    kind.list = true;
  }
  return kind;
}

const NUM = "(?:\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百千万亿]{2,}|[二两三四五六七八九十])";
const UNIT =
  "(?:%|％|周年|个|家|项|亿|万|千|元|人|名|座|公里|千米|米|吨|亩|公顷|千瓦|瓦|倍|次|所|户|条|台|辆|艘|架|平方|立方|GW|MW|kW|km|成|批|类|大)";
// Ordinals (第十三次, 第二批) count nothing.
const QUANTITY_RE = new RegExp(`(?<!第|[零〇一二两三四五六七八九十百千])${NUM}\\s*${UNIT}|百分之[零〇一二两三四五六七八九十百点]+`);
const DATE_RE =
  /\d{4}\s*年|[〇零一二三四五六七八九]{4}年|\d{1,2}\s*月\s*\d{1,2}\s*日|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|\d{1,2}\s*月份?|[一二三四五六七八九十]{1,2}月份?|年底|年初|上半年|下半年|本世纪中叶|“十[一二三四五六七八九]五”|\b(19|20)\d{2}\b/;
const DAY_RE = /\d{1,2}\s*月\s*\d{1,2}\s*日|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|\d{1,2}\s*日/;
const TITLE_BEFORE_RE =
  /(?:组长|书记|省长|市长|主任|部长|所长|院长|主席|总理|委员长|秘书长)([\u4e00-\u9fa5]{2,3}?)(?=[，、。；]|到|出席|主持|作|在|同志|指出|强调|表示|讲话)/;
/** Common surnames: with the verb after them, a name jieba does not know (何立峰作总结讲话, 盛茂林到会指导). */
const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";
const NAME_VERB_RE = new RegExp(
  `(?:^|[，、。；：\\s“])([${SURNAMES}][\\u4e00-\\u9fa5]{1,2}?)(?=作|主持|出席|强调|指出|表示|讲话|到会|同志|就|在|、)`,
  "g",
);
const TITLE_RE = /[\u4e00-\u9fa5]{2,3}(?:同志|书记|总书记|主席|省长|副省长|市长|所长|部长|主任|院长|委员|教授|院士|代表|总理)/;
const PLACE_SUFFIX_RE = /[\u4e00-\u9fa5]{2,6}?(?:省|市|县|区|镇|乡|村|港|湾|岛|半岛|平原|流域|地区|盆地)/g;

export function hasQuantity(text: string): boolean {
  return QUANTITY_RE.test(text);
}

/** The units a how-many question asks in (多少人 → 人, 多少亿元 → 亿, 多少个方面…多少项 → 个, 项); none when it names none. */
export function askedUnits(question: string): string[] {
  const unit = new RegExp(`^${UNIT}`);
  return [...question.matchAll(/(?:多少|几)(.{1,3})/g)].flatMap((m) => m[1].match(unit)?.[0] ?? []);
}

/** The figures or dates a text gives (for a quantity or date question; none for other kinds), without spaces. */
export function askedValues(kind: QuestionKind, text: string): string[] {
  const re = kind.asked === "quantity" ? QUANTITY_RE : kind.asked === "date" ? (kind.day ? DAY_RE : DATE_RE) : undefined;
  if (!re) return [];
  return [...text.matchAll(new RegExp(re.source, "g"))].map((m) => m[0].replace(/\s+/g, ""));
}

export function hasDate(text: string, day = false): boolean {
  return day ? DAY_RE.test(text) : DATE_RE.test(text);
}

/**
 * Lists several things next to where `about` is mentioned: "、"-separated items in the same clause
 * or the clause after it (科技金融、绿色金融……五篇大文章), or 一是……二是…… after it.
 */
export function hasEnumeration(text: string, count: number, about: (clause: string) => boolean = () => true): boolean {
  // Clauses with the mark that ends each, so a colon can introduce the list in the next one.
  const clauses = [...text.matchAll(/[^，,；;：:。]+([，,；;：:。]?)/g)].map((m) => ({ text: m[0], colon: /[：:]/.test(m[1]), end: /。/.test(m[1]) }));
  const listed = (c: string | undefined) => (c?.match(/、/g)?.length ?? 0) >= Math.max(1, count - 1);
  for (let i = 0; i < clauses.length; i++) {
    if (!about(clauses[i].text)) continue;
    if (listed(clauses[i].text) || (clauses[i].colon && listed(clauses[i + 1]?.text))) return true;
    // 提出……“六地”的目标定位，即：A、B、…: the list follows a short lead-in within the same sentence.
    if (!clauses[i].end && clauses[i + 1] && !clauses[i + 1].end && [...clauses[i + 1].text].length <= 4 && clauses[i + 1].colon && listed(clauses[i + 2]?.text)) return true;
    const after = clauses.slice(i).map((c) => c.text).join("");
    if (/一是/.test(after) && /二是/.test(after)) return true;
  }
  return false;
}

/** A personal name (jieba's nr tags) or a name followed by a title (王延中同志). */
export function hasPerson(text: string, exclude: string[] = []): boolean {
  const m = text.match(TITLE_RE);
  if (m && !exclude.some((e) => m[0].includes(e))) return true;
  const b = text.match(TITLE_BEFORE_RE);
  if (b && !exclude.some((e) => b[1].includes(e))) return true;
  for (const n of text.matchAll(NAME_VERB_RE)) if (!exclude.some((e) => e.includes(n[1]) || n[1].includes(e))) return true;
  return segmenter()
    .tag(text, true)
    .some(({ word, tag }) => /^nr/.test(tag) && [...word].length >= 2 && !exclude.some((e) => e.includes(word) || word.includes(e)));
}

/** A place name other than those the question already names. */
export function hasPlace(text: string, exclude: string[] = []): boolean {
  const known = (w: string) => exclude.some((e) => e.includes(w) || w.includes(e));
  for (const m of text.matchAll(PLACE_SUFFIX_RE)) if (!known(m[0])) return true;
  return segmenter()
    .tag(text, true)
    .some(({ word, tag }) => tag === "ns" && [...word].length >= 2 && !known(word));
}

const TITLES = "总书记|副书记|书记|副省长|省长|市长|副组长|组长|主任|部长|院长|主席|总理|秘书长|委员长|所长|局长|厅长|县长|区长";
const TITLE_IN_Q = new RegExp(`[\\u4e00-\\u9fa5]{0,6}(?:${TITLES})`);
/** What may follow a name right after its title: a mark, a verb of the meeting, 同志. */
const AFTER_NAME = "(?:[，、。；]|到|出席|主持|作|在|同志|指出|强调|表示|讲话|就|向|受)";

/**
 * For "辽宁省委书记是谁": how much of the asked title (辽宁省委书记) `text` gives verbatim right before a
 * name (省委书记郝鹏作了讲话 → 4/6); 0 when the question names no title or no name follows it
 * (省委副书记、省长李乐成 holds 书记 but not as the title asked, and no name follows it).
 */
export function titledPerson(question: string, text: string): number {
  const m = question.match(TITLE_IN_Q);
  if (!m) return 0;
  const title = [...m[0]];
  const word = [...(m[0].match(new RegExp(`(?:${TITLES})$`))?.[0] ?? "")].length;
  for (let i = 0; i <= title.length - word; i++) {
    const phrase = title.slice(i).join("");
    if (new RegExp(`${phrase}[${SURNAMES}][\\u4e00-\\u9fa5]{1,2}?${AFTER_NAME}`).test(text)) return (title.length - i) / title.length;
  }
  return 0;
}

/**
 * For "谁进行讲解" / "由谁作总结讲话": how much of the predicate after 谁 `text` repeats verbatim with a
 * person named just before it in the same sentence (王延中同志就这个问题进行讲解 → 1); 0 when none.
 */
export function predicatePerson(question: string, text: string): number {
  const after = question.split(/谁/)[1];
  if (!after) return 0;
  const runs = after.split(/[^\u4e00-\u9fa5]+/).filter((r) => [...r].length >= 2);
  // Without the closing particles (是谁进行讲解的 → 进行讲解).
  const pred = runs[runs.length - 1]?.replace(/[的了吗呢呀啊]+$/, "");
  if (!pred || [...pred].length < 2) return 0;
  const chars = [...pred];
  // The longest tail of the predicate the sentence holds (作了讲话, then 讲话).
  for (let i = 0; i <= chars.length - 2; i++) {
    const tail = chars.slice(i).join("");
    const at = text.indexOf(tail);
    if (at < 0) continue;
    // The name with the verb after it, so 何立峰作总结讲话 is recognised as a name doing it.
    const around = text.slice(Math.max(0, at - 30), at + tail.length);
    return hasPerson(around, [tail]) ? (chars.length - i) / chars.length : 0;
  }
  return 0;
}

/** How well `text` names the person a who-question asks for, under its title or doing what it asks (0..1). */
export function personSlot(question: string, text: string): number {
  const slot = Math.max(titledPerson(question, text), predicatePerson(question, text));
  // Half the title or predicate at least: 书记 alone (总书记习近平) is not the 省委书记 asked for.
  return slot >= 0.5 ? slot : 0;
}

/** Whether `text` holds the kind of thing asked for (always true for plain facts and lists). */
export function holdsAsked(
  kind: QuestionKind,
  text: string,
  questionTerms: string[],
  about?: (clause: string) => boolean,
): boolean {
  if (kind.enumerate && !hasEnumeration(text, kind.enumerate, about)) return false;
  switch (kind.asked) {
    case "quantity":
      return hasQuantity(text);
    case "date":
      return hasDate(text, kind.day);
    case "person":
      return hasPerson(text, questionTerms);
    case "place":
      return hasPlace(text, questionTerms);
    default:
      return true;
  }
}
