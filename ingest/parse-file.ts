/**
 * One corpus file → its articles and chunks (load → clean → split → chunk), and the per-file cache
 * that lets an unchanged file skip all of that on the next ingest.
 */
import fs from "node:fs";
import path from "node:path";
import { readJson, writeJson } from "../vectors/index-folder.ts";
import type { Article, Chunk } from "../vectors/types.ts";
import { chunkArticle } from "./chunk-article.ts";
import { cleanText } from "./clean-text.ts";
import { shortHash } from "./ids.ts";
import { loadCorpusFile } from "./load-file.ts";
import { splitArticles } from "./split-articles.ts";

/** Bump when cleaning, splitting or chunking rules change: cached files and older indexes are then rebuilt. */
export const INGEST_VERSION = 3;

export interface ParsedFile {
  version: number;
  file: string;
  hash: string;
  articles: Article[];
  chunks: Chunk[];
  warnings: string[];
}

/** Parses one file; pass the `bytes` that were hashed (read again from `abs` when absent). */
export async function parseCorpusFile(file: string, abs: string, hash: string, bytes?: Uint8Array): Promise<ParsedFile> {
  const loaded = await loadCorpusFile(abs, bytes);
  const { articles, warnings } = splitArticles(cleanText(loaded.text, { paragraphLines: loaded.paragraphLines }), file);
  const chunks = articles.flatMap((a) => chunkArticle(a));
  return { version: INGEST_VERSION, file, hash, articles, chunks, warnings };
}

/** Cache file name inside a build folder: keyed by name and content, since ids include the file name. */
export function cachePath(buildDir: string, file: string, hash: string): string {
  return path.join(buildDir, "files", `${shortHash(file, hash)}.json`);
}

export function readCached(buildDir: string | null, file: string, hash: string): ParsedFile | undefined {
  if (!buildDir) return undefined;
  const p = cachePath(buildDir, file, hash);
  if (!fs.existsSync(p)) return undefined;
  try {
    const cached = readJson<ParsedFile>(p);
    return cached.version === INGEST_VERSION && cached.file === file && cached.hash === hash ? cached : undefined;
  } catch {
    return undefined; // a damaged cache entry is simply parsed again
  }
}

export function writeCached(buildDir: string, parsed: ParsedFile): void {
  fs.mkdirSync(path.join(buildDir, "files"), { recursive: true });
  writeJson(cachePath(buildDir, parsed.file, parsed.hash), parsed);
}
