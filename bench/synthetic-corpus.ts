/**
 * A synthetic corpus N times the seed, for the scale bench: the seed's articles recombined under new
 * numbered titles. Each synthetic article keeps a seed article's skeleton (its numbered headings and item
 * leads, in order) and gets its other text from a shuffled pool shared by the articles of the same kind
 * (with or without numbered structure), so no two copies are the same text but every one reads like a
 * policy document and chunks like one. Written as booklets in the layout the ingest reads:
 * title, optional date line, a blank line, one paragraph per line, two blank lines before the next title.
 */
import fs from "node:fs";
import path from "node:path";
import { cleanText } from "../ingest/clean-text.ts";
import { loadCorpusFile } from "../ingest/load-file.ts";
import { splitArticles } from "../ingest/split-articles.ts";
import { markerAt } from "../text/headings.ts";
import { sentenceBounds } from "../text/sentences.ts";
import type { Article } from "../vectors/types.ts";

export interface SeedArticle {
  title: string;
  date?: string;
  paragraphs: string[];
}

/** The seed corpus's articles, read the way the ingest reads them. */
export async function readSeedArticles(corpusDir: string): Promise<SeedArticle[]> {
  const out: SeedArticle[] = [];
  for (const name of fs.readdirSync(corpusDir).sort()) {
    const file = path.join(corpusDir, name);
    if (!fs.statSync(file).isFile()) continue;
    const loaded = await loadCorpusFile(file);
    const { articles } = splitArticles(cleanText(loaded.text), name);
    for (const a of articles) out.push(toSeed(a));
  }
  return out;
}

function toSeed(a: Article): SeedArticle {
  const lines = a.text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && l !== "\f");
  if (a.date && lines[0] === a.date) lines.shift();
  return { title: a.title, date: a.date, paragraphs: lines };
}

/** Small deterministic PRNG (mulberry32), so the same seed gives the same corpus. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** The sentences of a paragraph, each with the whitespace before it (so they join back to the paragraph). */
function sentences(p: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const [, end] of sentenceBounds(p)) {
    out.push(p.slice(last, end));
    last = end;
  }
  if (last < p.length) out.push(p.slice(last));
  return out.filter((s) => s.trim() !== "");
}

/** A numbered paragraph keeps its marker and first sentence (the item's lead); the rest is pooled. */
function splitLead(p: string): { lead: string; tail: string[] } {
  const [lead = p, ...tail] = sentences(p);
  return { lead, tail };
}

const kindOf = (a: SeedArticle) => (a.paragraphs.some((p) => markerAt(p) !== undefined) ? "structured" : "prose");

/** `copies` × the seed's articles, recombined; copy numbers start at `firstCopy`. */
export function recombine(seed: SeedArticle[], copies: number, randomSeed = 7): SeedArticle[] {
  const random = rng(randomSeed);
  const out: SeedArticle[] = [];
  for (let c = 1; c <= copies; c++) {
    // Pools per kind, refilled (reshuffled) for every copy so each copy uses each paragraph about once.
    const pools = new Map<string, { plain: string[]; tails: string[] }>();
    for (const a of seed) {
      const pool = pools.get(kindOf(a)) ?? { plain: [], tails: [] };
      for (const p of a.paragraphs) {
        if (markerAt(p)) pool.tails.push(...splitLead(p).tail);
        else pool.plain.push(p);
      }
      pools.set(kindOf(a), pool);
    }
    for (const pool of pools.values()) {
      pool.plain = shuffle(pool.plain, random);
      pool.tails = shuffle(pool.tails, random);
    }
    seed.forEach((a, j) => {
      const pool = pools.get(kindOf(a))!;
      const paragraphs = a.paragraphs.map((p) => {
        if (!markerAt(p)) return pool.plain.pop() ?? p;
        const { lead, tail } = splitLead(p);
        return lead + tail.map((s) => pool.tails.pop() ?? s).join("");
      });
      out.push({ title: `${a.title}（汇编第${c}辑·第${j + 1}篇）`, date: a.date, paragraphs });
    });
  }
  return out;
}

/** The booklet text for a list of articles, in the layout the cleaner and splitter read. */
export function bookletText(articles: SeedArticle[]): string {
  return articles.map((a) => [a.title, ...(a.date ? [a.date] : []), "", ...a.paragraphs].join("\n")).join("\n\n\n") + "\n";
}

/**
 * Writes `copies` recombined copies of the seed into `dir` as booklets of one copy each (as many
 * articles as the seed). Returns the files and how many articles the ingest's splitter finds in the
 * first booklet, so the caller can check the layout was read as intended.
 */
export function writeSyntheticCorpus(seed: SeedArticle[], copies: number, dir: string): { files: number; bytes: number; articlesPerBooklet: number } {
  fs.mkdirSync(dir, { recursive: true });
  const articles = recombine(seed, copies);
  let bytes = 0;
  let articlesPerBooklet = 0;
  for (let c = 0; c < copies; c++) {
    const text = bookletText(articles.slice(c * seed.length, (c + 1) * seed.length));
    const name = `synthetic-${String(c + 1).padStart(3, "0")}.txt`;
    fs.writeFileSync(path.join(dir, name), text);
    bytes += Buffer.byteLength(text);
    if (c === 0) articlesPerBooklet = splitArticles(cleanText(text), name).articles.length;
  }
  return { files: copies, bytes, articlesPerBooklet };
}
