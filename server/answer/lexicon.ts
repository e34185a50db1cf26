/**
 * The answer layer's word lists, each once, each with why it exists. Everything else comes from
 * general resources: jieba's part-of-speech classes, the corpus's own statistics, CC-CEDICT (the
 * index's word facts and glossary) and, when configured, a pretrained model. A list lives here only
 * where none of those can say it (test/answer-lexicon.test.ts checks each).
 */

import { NUMERAL_CHARACTERS } from "../../text/numerals.ts";

/** Slots a question can ask for: what must be in the evidence beyond the topic. */
export type SlotKind = "person" | "place" | "org" | "date" | "quantity" | "ordinal" | "items";

/**
 * Chinese asking phrases and the slot each asks for, longest first. Why a list: they are the
 * grammar of questions, which the corpus (statements) never contains, so no statistic can find them.
 * A "{head}" cue takes the slot from the noun after it, past a measure word (哪个城市 → place, 哪位领导 → person).
 */
export const ZH_SLOT_CUES: readonly (readonly [RegExp, SlotKind | "head"])[] = [
  [/什么时候|什么时间|何时|哪一?年|哪个?月|几月几[日号]|几月份?|几号|哪一?天|哪几天|(?<!哪)几点|何年|日期|时间是/, "date"],
  [/第几[届次批轮期名位]?|哪一?[届批轮]/, "ordinal"],
  [/(?:是|由|派|让|请)?谁|哪位|哪几位|哪些人(?![才口群力])|何人|什么人(?![才口群力])|叫什么名字|姓名/, "person"],
  // 哪/什么 + the head noun, past any measure word the tagger marks (哪个城市, 哪座城市, 哪几个国家): read
  // before 在哪, so that 在哪座城市 asks a city, not just a place.
  [/哪|什么|何种/, "head"],
  // 在哪些/在哪“五个期” ask which ones, not where.
  [/在哪(?:儿|里)?(?![“"「]?[些几个项种一类方两二三四五六七八九十])|哪里|哪儿|何地|何处|什么地方|什么位置|地点|位于|设在哪/, "place"],
  // 那几个/这几个/…的几个 X 是哪些 point at things already counted: they ask which, not how many;
  // 好几个 says "several" (去了好几个地方).
  [/多少|(?<![哪那这的好])几(?:方面|[个项条座家次倍成年人名天台位所件种类])|多[大高长远久重快]|百分之几|几成|比例是|占比|增速|增幅|增长率|规模有?多/, "quantity"],
];

/** How fine a place is asked for (哪个城市 → a city; 在哪里 → any place). */
export type PlaceGrain = "city" | "province" | "county" | "district" | "country" | "port" | "venue";

/**
 * Nouns after 哪个/哪些/什么 that name the kind of thing asked (哪个城市, 哪些国家, 哪位领导, 什么单位),
 * with the sort of place for a place. Why a list: the head noun decides the slot, and CC-CEDICT
 * glosses (city, unit, department) do not map to a slot any more directly than this table does.
 * (哪些地方 is left out: it asks "in which respects" as often as "where"; 地区 asks where.)
 */
export const SLOT_HEADS: Readonly<Record<string, readonly [SlotKind, PlaceGrain?]>> = {
  城市: ["place", "city"], 城: ["place", "city"], 市: ["place", "city"], 省: ["place", "province"], 省份: ["place", "province"],
  县: ["place", "county"], 区: ["place", "district"], 地区: ["place"], 国家: ["place", "country"],
  港口: ["place", "port"], 港: ["place", "port"], 地点: ["place"], 位置: ["place"], 场馆: ["place", "venue"], 会场: ["place", "venue"], 场所: ["place", "venue"], 场地: ["place", "venue"], 会址: ["place", "venue"], 地址: ["place", "venue"],
  人: ["person"], 领导: ["person"], 同志: ["person"], 官员: ["person"], 专家: ["person"], 负责人: ["person"], 干部: ["person"],
  单位: ["org"], 部门: ["org"], 机构: ["org"], 组织: ["org"], 企业: ["org"], 公司: ["org"], 银行: ["org"], 高校: ["org"], 大学: ["org"],
  时候: ["date"], 时间: ["date"], 日子: ["date"], 年份: ["date"],
};

/** English nouns after which/what that say the sort of place asked. */
export const EN_PLACE_HEADS: Readonly<Record<string, PlaceGrain>> = {
  city: "city", cities: "city", province: "province", provinces: "province", county: "county", country: "country", countries: "country", port: "port", ports: "port",
  venue: "venue", hall: "venue", building: "venue",
};

/** English asking phrases and their slots (the same grammar, in English). */
export const EN_SLOT_CUES: readonly (readonly [RegExp, SlotKind])[] = [
  [/\bwhen\b|\bwhat (years?|dates?|days?|months?|time)\b|\bwhich (years?|dates?|days?|months?)\b/i, "date"],
  [/\bwhich (session|edition|round|batch)\b|\bwhat (session|edition)\b/i, "ordinal"],
  [/\bwho\b|\bwhom\b|\bwhose\b|\bwhich (person|official|leader|people|officials|leaders)\b/i, "person"],
  [/\bwhere\b|\bwhich (city|cities|province|provinces|place|places|region|regions|county|port|ports|country|countries|venue|hall|building)\b|\bin which (city|province|place|venue|hall|building)\b/i, "place"],
  [/\bhow (many|much|large|big|long|high|far)\b|\bwhat (percentage|proportion|share|number|amount|figure)\b/i, "quantity"],
  [/\bwhich (organi[sz]ation|department|body|bodies|institution|agency|bank|units?)\b/i, "org"],
];

/**
 * What a question asks for beyond its slots: a list, a method, a reason, a definition, a yes/no.
 * Why a list: again the grammar of questions (有哪些, 如何, 为什么, 是什么, 是不是), absent from the corpus.
 */
export const ZH_FORMS = {
  list: /有哪些|哪些|哪几|有什么|有啥|包括什么|包括哪|包含什么|什么措施|什么举措|什么部署|什么安排|哪方面|几个方面|分别|各有/,
  // 怎样的/怎么样的 + a noun asks what kind (一次怎样的大会), not how something is done.
  how: /如何|怎样(?!的)|怎么(?!样)|咋|怎么办/,
  why: /为什么|为何|为啥|原因|意义何在/,
  // How something is positioned (怎么给金融定位, 如何定位) asks what it is, not how a thing is done.
  definition: /是什么意思|什么意思|啥意思|是什么|指什么|指的是|是指|含义|内涵|什么关系|(?:怎么|如何|怎样)(?=[^，,。？?]{0,8}定位)|什么定位|什么作用|什么角色|什么地位/,
  yesNo: /是不是|是否|有没有|能不能(?!讲|说|谈|介绍)|对不对|吗[？?。\s]*$/,
  /** Which one of a kind (哪个园区, 哪一项, 哪家): a question of its own, though no slot names the kind and no question mark ends it. */
  which: /哪(?:一)?(?:个|座|家|项|条|所|种|类|支|片|处)/,
  /** What is said, done or planned about the topic as a whole (not the members of a category). */
  broad: /讲了什么|说了什么|提了什么|谈了什么|讲了啥|说了啥|怎么说|什么说法|啥说法|有啥|什么动作|啥动作|什么打算|啥打算|什么安排|什么部署|什么要求|什么措施|什么举措|哪些措施|哪些举措|什么政策|啥政策|怎么(?:做|干|搞|办|落实|处理|解决|应对)|如何(?:做|干|落实|处理|解决|应对)/,
};
export const EN_FORMS = {
  list: /\bwhat (measures|steps|actions|tasks|policies|plans|are the|were the)\b|\bwhich (measures|steps)\b|\blist\b|\bmeasures\b|\bplans? (for|to)\b|\bwhat (does|do|did|will)\b.+\b(plan|propose|intend|do|pursue|take)\b/i,
  how: /\bhow (does|do|did|will|would|should|can|is|are|to)\b/i,
  why: /\bwhy\b/i,
  definition: /\bwhat (is|are|does|do) (the )?(meaning|mean|refer)\b|\bwhat is meant\b/i,
  yesNo: /^(is|are|was|were|does|do|did|will|has|have|can)\b/i,
  which: /\bwhich\b/i,
  broad: /\bwhat (does|do|did|will|should)\b.+\b(plan|say|said|propose|do)\b|\bhow (does|do|will|should)\b/i,
};

/**
 * Words that frame a question instead of naming its subject: asking, knowing, wanting, planning,
 * saying, politeness, pronouns, and the documents' names for themselves. Why a list: they are
 * everyday words users add (我想知道，…; 请问; 辽宁打算…; 是什么说法) that the corpus rarely or never
 * uses, so by corpus statistics alone they would look like the rarest, most decisive terms.
 */
export const FRAMING_WORDS: ReadonlySet<string> = new Set(
  (
    "是 有 我 我们 你 您 你们 咱 咱们 他们 大家 自己 请 请问 问 问问 问下 想 想要 想问 想知道 知道 了解 晓得 清楚 明白 告诉 告知 " +
    "讲 讲讲 讲一讲 说 说说 说一说 谈 谈谈 谈一谈 介绍 介绍一下 解释 解读 说明一下 指 查 查查 查一下 帮 帮忙 麻烦 一下 下 回答 作答 解答 答复 根据 依据 按照 " +
    "能 不能 能否 能不能 可以 可不可以 可否 会 会不会 是否 是不是 有没有 对不对 吗 呢 吧 啊 呀 嘛 哦 " +
    "打算 准备 想要 拟 将要 要 需要 应该 应当 采取 采用 做 做了 搞 弄 干 " +
    "说法 提法 表述 怎么说 讲法 看法 观点 态度 规定 提到 提及 提出 提了 谈到 讲到 说到 涉及 关于 有关 对于 针对 就 " +
    "文件 资料 材料 文章 文中 文件里 里面 当中 其中 这里 那里 方面 情况 内容 东西 事情 事 问题 具体 主要 重点 大概 大致 大约 一些 一共 总共 共 到底 究竟 " +
    "措施 举措 办法 做法 部署 安排 要求 工作 任务 政策 " +
    "现在 目前 当前 如今 当下 眼下 现阶段 最近 近期 近年 近年来 今年 当年 时候 的时候 " +
    // Verbs that only say a meeting took place: documents say 召开, 举行 or 举办 of the same one.
    "召开 举行 举办 开幕 闭幕 held hold holds convened convene hosted " +
    // The same in English (stopwords aside): "I'd like to know", "Please answer from the documents".
    "i'd like know want wonder please tell answer according document documents text texts paper papers say says said mention mentioned plan plans planning intend intends going " +
    // Asking verbs: "list", "describe" or "outline" the topic is the frame, not the topic.
    "list describe explain outline summarise summarize give "
  )
    .trim()
    .split(/\s+/),
);

/**
 * English phrases that only say an event took place (take place, took place), as 召开/举行 do in
 * Chinese. Why a list: "place" alone asks where; in these phrases it is no topic word.
 */
export const EN_FRAMING_PHRASES = /\b(?:take|takes|took|taken|taking) place\b/gi;

/** Pronouns and demonstratives that point back to the previous turn (follow-ups). Why: grammar. */
export const ZH_POINTERS = {
  person: /他们|她们|(?<!其)他(?!人|国|们)|她/,
  thing: /这些|那些|这个|那个|这项|那项|这一|这方面|上述|前述|以上|(?<!应)该|其中|它们|它|(?<![尤极与何])其(?![他它余实次])/,
  leading: /^(那么|那|还有|另外|此外|再说说|再|并且|以及|而|又|至于)/,
  trailing: /呢[？?。！!\s]*$/,
  more: /^(还|又|另外|再).{0,6}(说|讲|提|强调|要求|有)/,
};
export const EN_POINTERS = {
  leading: /^\s*(what about|how about|and what about|and|what else|also)\b/i,
  pronoun: /\b(it|its|they|them|their|this|these|those|that|he|him|his|she|her)\b/i,
};

/**
 * Phrases by which a sentence refers back to what was just said (就这个问题, 此次会议): the sentence
 * stays on the topic of the sentence before it. Why a list: anaphora is grammar, not vocabulary.
 */
export const ANAPHORA = /就这[个一]?问题|这[次项个]会议|此次|该次|上述|会上|会议上/;

/**
 * Official titles. Why a list: a name right after a title (省委书记郝鹏) is how these documents name
 * people, and jieba's nr class misses most names (郝鹏/x, 蔡奇/x); CC-CEDICT has no title class.
 */
export const TITLES =
  "总书记|副书记|书记|常委|副省长|省长|副市长|市长|县长|区长|副主席|主席|副总理|总理|委员长|秘书长|副组长|组长|副主任|主任|副部长|部长|副院长|院长|副所长|所长|局长|厅长|行长|董事长|总经理|教授|研究员|院士|同志|代表|委员";

/**
 * Common Chinese surnames. Why a list: a name jieba does not know falls apart or is tagged x
 * (何立峰作 → one x token); a surname first, then a verb of the meeting, is the surest sign of a name.
 */
export const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/**
 * What follows a person's name in these documents: a verb of the meeting or 同志. Why a list: with
 * the surname it tells a name (何立峰作总结讲话) from a word (何时作出部署) where the tagger cannot.
 */
export const AFTER_NAME = "同志|作了|作|主持|出席|强调|指出|表示|讲话|到会|就|受|向|在|讲解|说明|发言|辞去|担任|任";

/**
 * Words joining the last two items of a list (甲、乙和丙; 节能降耗、供热和灵活性), found in text the tagger
 * does not see whole. Why a list: they are the grammar of coordination; 跟, 同 and 还有 are left out,
 * as they sit inside compounds (共同体, 同步) where no tagger checks them.
 */
export const ITEM_JOINERS = ["以及", "和", "与", "及"] as const;
/** An item joiner anywhere in a text (to split items at). */
export const ITEM_JOINER_RE = new RegExp(ITEM_JOINERS.join("|"));
/**
 * Words joining two subjects of a question (论坛和博览会, 辽宁跟吉林), counted only where the tagger
 * calls them a conjunction or preposition.
 */
export const CONJUNCTIONS: readonly string[] = [...ITEM_JOINERS, "还有", "跟", "同"];

/**
 * Suffixes that make a place of a proper name (辽宁省, 沈阳市, 太平湾). Why a list: jieba's ns also
 * tags common words (山水, 滨海); a proper stem plus one of these is a place however it is tagged.
 */
export const PLACE_SUFFIXES = "省|市|县|区|州|镇|乡|村|港|湾|岛|半岛|河|江|湖|山|口岸|平原|流域|盆地";

/**
 * Suffixes of the buildings and grounds where something is held (人民大会堂, 国际会议中心). Why a list:
 * a venue-question (在哪个会场举办) is not answered by the city the question already names, and
 * neither jieba nor CC-CEDICT has a class for buildings.
 */
export const VENUE_SUFFIXES = "会堂|礼堂|大厦|中心|广场|宾馆|酒店|饭店|会馆|展馆|场馆|体育场|体育馆|剧院|博物馆|会议室|厅";

/**
 * Suffixes of organisations (研究所, 委员会, 总局). Why a list: jieba tags few bodies nt, and an
 * org-question (哪个部门牵头) needs a named body in the evidence, not any noun.
 */
export const ORG_SUFFIXES = "委员会|委|研究所|研究院|研究中心|科学院|学院|大学|银行|总局|监管局|部|厅|局|办公室|办|集团|公司|协会|学会|联合会|党组|政府|法院|检察院|工作组|指导组|领导小组";

/**
 * Words that make a body generic (有关部门, 各级党委, 主管部门). Why a list: they name no body in
 * particular, so an org-question (哪个部门牵头) is not answered by them.
 */
export const GENERIC_BODY = /^(有关|相关|各级|各|本|该|其|地方|主管|职能)/;

/**
 * Units a figure is counted in. Why a list: jieba tags the numeral (m) and sometimes the unit (q),
 * but 87人, 50项, 3000万千瓦 need the unit to tell a count from an ordinal or a code.
 */
export const UNITS =
  "%|％|周年|个月|个|家|项|亿元|万元|元|亿|万|千|百|人次|人|名|位|座|公里|千米|平方公里|平方米|米|吨|亩|公顷|千瓦时|千瓦|瓦|倍|次|届|所|户|条|台|辆|艘|架|年|天|日|小时|周|成|批|类|件|方面|大|GW|MW|kW|km";

/**
 * Units that count the same thing, so that a question's unit finds a figure in another of its group
 * (多久 / 几年 and 3天; 几位委员 and 委员87人). Why a list: the classifiers of time and of people are
 * grammar, which CC-CEDICT glosses only as "classifier for …".
 */
export const TIME_UNITS: readonly string[] = ["天", "日", "小时", "年", "个月", "周"];
export const UNIT_GROUPS: readonly (readonly string[])[] = [TIME_UNITS, ["人", "名", "位"]];

/** Every character of a Chinese numeral, from the one numerals module (text/numerals.ts). */
export const ZH_DIGITS = NUMERAL_CHARACTERS;

/**
 * Relative occurrences a question may ask about (上一次, 首次, 第几次) and what the evidence must
 * then say. Why a list: the corpus describes one occurrence; it says "previous" only in these words.
 */
export const RELATIVE_OCCURRENCE: readonly (readonly [RegExp, RegExp])[] = [
  [/上一?[次届回]|前一[次届回]|\bprevious\b|\blast (one|time|session|conference|meeting)\b/i, /上一?[次届回]|前一?[次届回]|此前|上一轮/],
  [/下一?[次届回]|\bnext (one|time|session|conference|meeting)\b/i, /下一?[次届回]|下一轮|今后/],
  [/首[次届]|第一[次届]|\bfirst (time|session|conference|meeting)\b/i, /首[次届]|第一[次届]|首度/],
];

/** How an extractive or model answer says the documents do not answer (so a model's refusal is recognised). */
export const REFUSAL_OPENINGS = /^\s*(资料中没有找到|资料中未找到|文件提到了.{1,40}但没有给出|The documents do not cover|The documents mention .{1,80} but do not give)/i;
