/**
 * What CC-CEDICT says about words, cut down at ingest to what answering needs, so the server never
 * loads the 11 MB dictionary:
 *  - `proper`: corpus words every entry of which is a proper noun (capitalised pinyin: 沈阳, 俄罗斯,
 *    中国人民银行), so that a place or a name is told from a common word the tagger mislabels
 *    (山水, 滨海 and 温泉 are common words too, whatever jieba's ns/nr says);
 *  - `common`: corpus words with at least one common-noun entry (lower-case pinyin);
 *  - `kinds`: what a proper noun names, read from its gloss: a person (a birth year: "Xi Jinping
 *    (1953–)"), a place ("… city", "see 大连市") or a body ("People's Bank of China");
 *  - `bridges`: for a Chinese word (in the corpus or not), the corpus words that share one of its
 *    English senses (到场 → 出席, 老人 → 老年人, 打算 → 计划): two words glossed alike are candidate
 *    paraphrases. A question word the corpus never uses is bridged through them before it can count
 *    against a passage.
 */
import fs from "node:fs";
import path from "node:path";
import pluralize from "pluralize";
import { cleanGloss, readCedict, type CedictEntry } from "./cedict.ts";

export const WORD_FACTS_FILE = "word-facts.json";

export type NameKind = "person" | "place" | "org";
/** What sort of place, when the gloss says: "Shenyang … city", "see 辽宁省", "Haizhou district of …". */
export type PlaceKind = "city" | "province" | "county" | "district" | "region";

export interface WordFacts {
  proper: string[];
  common: string[];
  /** Proper nouns of the corpus by what their gloss says they name (a birth year, a city, a bank). */
  kinds: Record<string, NameKind>;
  /** Places of the corpus by what sort of place their gloss says they are. */
  placeKinds: Record<string, PlaceKind>;
  /** word → corpus words sharing a sense, best first, each with a score in (0, 1]. */
  bridges: Record<string, [string, number][]>;
}

/** A sense glossing more corpus words than this says too little to bridge by ("firm", "make"). */
const MAX_SENSE_SPREAD = 12;
/** Kept per word. */
const MAX_BRIDGES = 6;
/** Sense strings that are notes, not meanings. */
const NOTE = /^(also pr|taiwan pr|used in|dialectal|erhua|abbr|old|variant|surname|see|cl|lit|fig|classifier)\b/;

const HAN = /^[\u3400-\u9fff]+$/;
/** How CC-CEDICT glosses what a proper noun names (English words of its definitions; a person by the birth year). */
const KIND_GLOSS: readonly (readonly [NameKind, RegExp])[] = [
  ["person", /\(\d{3,4}\s*[–-]/],
  ["org", /\b(bank|commission|committee|bureau|ministry|association|university|academy|institute|council|party|congress|court|corps|league|company|corporation|administration|conference|federation|agency)\b/i],
  ["place", /\b(city|province|county|district|prefecture|town|township|village|country|region|island|river|lake|mountain|peninsula|port|capital|municipality|delta|asia|america|europe|africa|sea|bay|plain|desert|banner|sandy land|resort)\b/i],
];
/** A reference to a place's full name (see 大连市[…]). */
const PLACE_REF = /[市省县区州镇乡]$/;
/** The sort of place a reference's suffix, or the noun after the name in a gloss ("Beijing municipality"), says. */
const PLACE_REF_KIND: Record<string, PlaceKind> = { 市: "city", 省: "province", 县: "county", 区: "district", 州: "city", 镇: "district", 乡: "district" };
/** The first sort-of-place word of a gloss ("Haizhou district of Lianyungang city" is a district). */
const PLACE_GLOSS_WORD = /\b(city|municipality|capital|province|autonomous region|county|district|prefecture|banner|peninsula|region|plain|delta|sandy land|river|sea|bay|island)\b/i;
const PLACE_GLOSS_KIND: Record<string, PlaceKind> = {
  city: "city", municipality: "city", capital: "city", province: "province", "autonomous region": "province", county: "county",
  district: "district", prefecture: "district", banner: "district",
};
/** Longer glosses are descriptions, not senses. */
const MAX_SENSE_WORDS = 6;
/** A sense contained in another counts this much of a sense shared whole. */
const PARTIAL_SENSE = 0.5;
/** Gloss words in more corpus senses than this are not used to find contained senses. */
const MAX_WORD_SPREAD = 40;
/** English words that say nothing about a sense's meaning. */
const GLOSS_STOP = new Set(["the", "and", "for", "with", "etc", "one", "one's", "sth", "sb", "something", "someone", "from", "into", "onto", "out", "off", "over"]);

/** Words this short are left as they are (its, us, gas: not plurals). */
const MIN_PLURAL = 4;

/**
 * A sense with its nouns in the singular, so that two words glossed "child" and "children" meet
 * (孩子 and 子女).
 */
export function singularSense(sense: string): string {
  return sense.replace(/[a-z]+/g, (w) => (w.length >= MIN_PLURAL ? pluralize.singular(w) : w));
}

/**
 * Builds the facts for the corpus's words (`words`: every token the BM25 index holds). Bridges are
 * computed for every CC-CEDICT headword of 2–4 Han characters whose senses reach a corpus word,
 * scored by how specific the shared sense is (a sense shared by few corpus words counts more).
 */
export function buildWordFacts(words: Iterable<string>, entries: CedictEntry[] = readCedict()): WordFacts {
  const corpus = new Set([...words].filter((w) => HAN.test(w) && [...w].length >= 2));
  const senses = new Map<string, Set<string>>();
  const caseOf = new Map<string, { upper: boolean; lower: boolean }>();
  for (const e of entries) {
    const zh = e[1];
    if (!HAN.test(zh)) continue;
    const c = caseOf.get(zh) ?? { upper: false, lower: false };
    if (/^[A-Z]/.test(e[2])) c.upper = true;
    else c.lower = true;
    caseOf.set(zh, c);
    // Proper-noun entries gloss a name ("Shenyang, capital of…"): a name is no paraphrase of a common word.
    if (/^[A-Z]/.test(e[2])) continue;
    const list = typeof e[3] === "string" ? [e[3]] : e[3];
    let set = senses.get(zh);
    for (const raw of list.flatMap((g) => g.split(/;\s*/))) {
      const g = cleanGloss(raw.trim(), MAX_SENSE_WORDS);
      if (typeof g !== "string" || NOTE.test(g) || g.length < 3) continue;
      if (!set) senses.set(zh, (set = new Set()));
      set.add(singularSense(g));
    }
  }

  const bySense = new Map<string, string[]>();
  for (const w of corpus) for (const s of senses.get(w) ?? []) (bySense.get(s) ?? bySense.set(s, []).get(s)!).push(w);

  // Multi-word senses also meet when one's content words are all in the other ("give birth" and
  // "give birth to a baby"): found through the sense's rarest content word.
  const contentWords = (s: string) => s.split(" ").filter((w) => w.length > 2 && !GLOSS_STOP.has(w));
  const byWord = new Map<string, { sense: string; words: string[] }[]>();
  for (const s of bySense.keys()) {
    const words = contentWords(s);
    for (const w of words) (byWord.get(w) ?? byWord.set(w, []).get(w)!).push({ sense: s, words });
  }

  const bridges: Record<string, [string, number][]> = Object.create(null);
  for (const [zh, ss] of senses) {
    const n = [...zh].length;
    if (n < 2 || n > 4) continue;
    const score = new Map<string, number>();
    const credit = (sense: string, factor: number) => {
      const targets = bySense.get(sense);
      if (!targets || targets.length > MAX_SENSE_SPREAD) return;
      const weight = factor / Math.log2(1 + targets.length);
      for (const t of targets) if (t !== zh) score.set(t, Math.max(score.get(t) ?? 0, 0) + weight);
    };
    for (const s of ss) {
      credit(s, 1);
      const mine = contentWords(s);
      if (!mine.length) continue;
      // Any sense within this one holds one of its words; one holding this one holds all of them.
      const seen = new Set<string>();
      for (const w of mine) {
        const others = byWord.get(w);
        // A gloss word in many senses (make, develop) would make this quadratic; rarer words find the same pairs.
        if (!others || others.length > MAX_WORD_SPREAD) continue;
        for (const other of others) {
          if (other.sense === s || seen.has(other.sense)) continue;
          seen.add(other.sense);
          const mineLarger = other.words.length <= mine.length;
          const [small, large] = mineLarger ? [other.words, mine] : [mine, other.words];
          const [smallSense, largeSense] = mineLarger ? [other.sense, s] : [s, other.sense];
          // A one-word sense is within a two-word one only as its head ("student" of "university
          // student"; not "child" of "child prodigy", "person" of "in person" or "give birth to a child").
          // (Only for words the corpus does not use, which have nothing else to be matched by.)
          const contained =
            small.length > 1
              ? small.every((x) => large.includes(x))
              : !corpus.has(zh) && smallSense === small[0] && largeSense === large.join(" ") && large.length === 2 && large[1] === small[0];
          if (contained) credit(other.sense, PARTIAL_SENSE);
        }
      }
    }
    if (!score.size) continue;
    bridges[zh] = [...score]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_BRIDGES)
      .map(([t, v]) => [t, Math.round(Math.min(1, v) * 100) / 100]);
  }

  const properGlosses = new Map<string, string[]>();
  for (const e of entries) if (/^[A-Z]/.test(e[2])) (properGlosses.get(e[1]) ?? properGlosses.set(e[1], []).get(e[1])!).push(...(typeof e[3] === "string" ? [e[3]] : e[3]));
  const kindOf = (w: string, depth = 0): NameKind | undefined => {
    const glosses = properGlosses.get(w) ?? [];
    // The gloss's first clause says what the word is; later ones describe it ("…, across Eurasia and Africa").
    for (const [kind, re] of KIND_GLOSS) if (glosses.some((g) => re.test(g.split(/[,;]/)[0]))) return kind;
    for (const g of glosses) {
      const ref = cleanGloss(g);
      if (ref && typeof ref !== "string") {
        if (PLACE_REF.test(ref.see)) return "place";
        if (depth < 2) return kindOf(ref.see, depth + 1);
      }
    }
    return undefined;
  };

  const placeKindOf = (w: string, depth = 0): PlaceKind | undefined => {
    const glosses = properGlosses.get(w) ?? [];
    for (const g of glosses) {
      const ref = cleanGloss(g);
      if (ref && typeof ref !== "string") {
        const suffix = ref.see.slice(-1);
        if (PLACE_REF_KIND[suffix]) return PLACE_REF_KIND[suffix];
        if (depth < 2) return placeKindOf(ref.see, depth + 1);
      }
      const word = PLACE_GLOSS_WORD.exec(g)?.[1].toLowerCase();
      if (word) return PLACE_GLOSS_KIND[word] ?? "region";
    }
    return undefined;
  };

  const proper: string[] = [];
  const common: string[] = [];
  const kinds: Record<string, NameKind> = Object.create(null);
  const placeKinds: Record<string, PlaceKind> = Object.create(null);
  for (const w of corpus) {
    const c = caseOf.get(w);
    if (!c) continue;
    if (c.upper && !c.lower) {
      proper.push(w);
      const kind = kindOf(w);
      if (kind) kinds[w] = kind;
      const place = kind === "place" || !kind ? placeKindOf(w) : undefined;
      if (place) placeKinds[w] = place;
    }
    if (c.lower) common.push(w);
  }
  return { proper: proper.sort(), common: common.sort(), kinds, placeKinds, bridges };
}

export function writeWordFacts(dir: string, facts: WordFacts): void {
  fs.writeFileSync(path.join(dir, WORD_FACTS_FILE), JSON.stringify(facts));
}

export function readWordFacts(dir: string): WordFacts {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, WORD_FACTS_FILE), "utf8")) as WordFacts;
  if (!Array.isArray(raw.proper) || !Array.isArray(raw.common) || typeof raw.bridges !== "object" || typeof raw.kinds !== "object" || typeof raw.placeKinds !== "object") throw new Error(`${WORD_FACTS_FILE} is malformed`);
  return raw;
}

/** The facts as the answer layer queries them. */
export class WordFactsLookup {
  private readonly proper: Set<string>;
  private readonly common: Set<string>;
  constructor(private readonly facts: WordFacts) {
    this.proper = new Set(facts.proper);
    this.common = new Set(facts.common);
  }
  /** Every CC-CEDICT entry of the word is a proper noun (a place, person or body). */
  isProper(word: string): boolean {
    return this.proper.has(word);
  }
  /** The word has a common-noun (lower-case pinyin) entry. */
  isCommon(word: string): boolean {
    return this.common.has(word);
  }
  /** What a proper noun of the corpus names, when its gloss says (person, place or body). */
  kind(word: string): NameKind | undefined {
    return this.facts.kinds[word];
  }
  /** What sort of place a place of the corpus is, when its gloss says. */
  placeKind(word: string): PlaceKind | undefined {
    return this.facts.placeKinds[word];
  }
  /** Corpus words sharing one of the word's senses, best first. */
  bridges(word: string): readonly [string, number][] {
    return this.facts.bridges[word] ?? [];
  }
}
