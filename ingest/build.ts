/**
 * The ingest: corpus folder → a complete index folder, swapped in atomically.
 *
 *   lock → read & hash files → reuse the current index if nothing changed → parse changed files
 *   (unchanged ones come from the per-file cache) → write the core → build the search indexes
 *   (vectors/search-index.ts) → record the embedding model in the manifest → publish (symlink swap).
 *
 * Everything is written into a fresh build folder; `current` only moves once the build is whole, so
 * an ingest that fails or is killed leaves the previous index as it was.
 */
import fs from "node:fs";
import path from "node:path";
import type { EmbeddingSettings } from "../config/settings.ts";
import {
  currentIndexDir,
  FORMAT_VERSION,
  IndexDamagedError,
  IndexFormatError,
  newBuildDir,
  publishIndex,
  readIndexCore,
  writeIndexCore,
  writeJson,
  type IndexCore,
} from "../vectors/index-folder.ts";
import { buildSearchIndex, EmbeddingMismatchError, hasSearchIndex, indexMatchesSettings, openSearchIndex, type SearchIndex } from "../vectors/search-index.ts";
import type { Article, Chunk, CorpusFileEntry, EmbeddingInfo, Manifest, ManifestArticle, Progress } from "../vectors/types.ts";
import { hashCorpusFile, scanCorpus, skippedLines } from "./corpus-files.ts";
import { UnreadableFileError } from "./load-file.ts";
import { INGEST_VERSION, parseCorpusFile, readCached, writeCached, type ParsedFile } from "./parse-file.ts";
import { acquireLock } from "./lock.ts";

export { loadCorpusFile } from "./load-file.ts";
export { cleanText } from "./clean-text.ts";
export { splitArticles } from "./split-articles.ts";
export { chunkArticle } from "./chunk-article.ts";
export { IngestBusyError } from "./lock.ts";

export interface IngestOptions {
  corpusDir: string;
  indexRoot: string;
  settings: EmbeddingSettings;
  onProgress?: Progress;
  log?: (msg: string) => void;
  /** Rebuild (and parse every file again) even when the corpus and the embedding model are unchanged. */
  force?: boolean;
  /** How long a second ingest waits for the running one before refusing (ms, default 60 s). */
  lockWaitMs?: number;
}

export interface IngestSummary {
  indexDir: string;
  files: number;
  articles: number;
  chunks: number;
  warnings: string[];
  seconds: number;
  reused: boolean;
  /** Each article with its chunk count, as in the manifest (so callers need not read the index folder). */
  articleList: ManifestArticle[];
  /** The embedding model that made the vectors. */
  embedding?: EmbeddingInfo;
  /** What the corpus scan left out, one line each (links out of the folder, hidden entries in one line). */
  skipped: string[];
}

export async function runIngest(opts: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const progress: Progress = opts.onProgress ?? (() => {});
  const corpusDir = path.resolve(opts.corpusDir);
  const root = path.resolve(opts.indexRoot);
  const release = await acquireLock(root, { waitMs: opts.lockWaitMs, log });
  try {
    const scan = scanCorpus(corpusDir);
    const names = scan.files;
    const skipped = skippedLines(scan);
    const files = names.map((name, i) => {
      progress("read", i, names.length);
      return hashCorpusFile(corpusDir, name);
    });
    progress("read", names.length, names.length);

    const current = currentIndexDir(root);
    if (current && !opts.force) {
      const reusable = checkReusable(current, files, opts.settings, log);
      if (reusable) {
        const m = reusable.manifest;
        return {
          indexDir: current,
          files: m.corpus.filter((f) => !f.error).length,
          articles: m.articles.length,
          chunks: m.chunks,
          warnings: m.warnings,
          seconds: (performance.now() - started) / 1000,
          reused: true,
          articleList: m.articles,
          embedding: m.embedding,
          skipped,
        };
      }
    }

    const dir = newBuildDir(root);
    try {
      const corpus: CorpusFileEntry[] = [];
      const warnings: string[] = [];
      const articles: Article[] = [];
      const chunks: Chunk[] = [];
      let reusedFiles = 0;
      for (const [i, f] of files.entries()) {
        progress("parse", i, files.length);
        if ("error" in f) {
          corpus.push({ file: f.file, hash: "", bytes: 0, error: f.error });
          warnings.push(`${f.file}: ${f.error}`);
          continue;
        }
        const entry: CorpusFileEntry = { file: f.file, hash: f.hash, bytes: f.size };
        corpus.push(entry);
        const bytes = f.bytes;
        f.bytes = undefined; // held only until this file is parsed
        // --force parses every file again; otherwise unchanged files come from the current build's cache.
        let parsed: ParsedFile | undefined = readCached(opts.force ? null : current, f.file, f.hash);
        if (parsed) reusedFiles++;
        else {
          try {
            parsed = await parseCorpusFile(f.file, f.abs, f.hash, bytes);
          } catch (err) {
            // Unreadable, or content that breaks a parsing step (a bug met on this file only):
            // either way the file is named and skipped, and the rest of the corpus is indexed.
            entry.error = err instanceof UnreadableFileError ? err.message : `could not be processed (${(err as Error)?.name ?? "Error"}: ${(err as Error)?.message ?? String(err)}); skipped`;
            warnings.push(`${f.file}: ${entry.error}`);
            continue;
          }
        }
        writeCached(dir, parsed);
        // Loops, not push(...list): one file may hold more chunks than a call takes arguments.
        for (const w of parsed.warnings) warnings.push(w);
        for (const a of parsed.articles) articles.push(a);
        for (const c of parsed.chunks) chunks.push(c);
      }
      progress("parse", files.length, files.length);
      if (reusedFiles) log(`${reusedFiles} unchanged file(s) taken from the previous build`);
      if (chunks.length === 0) {
        throw new Error(`no text could be ingested from ${corpusDir}${warnings.length ? `: ${warnings.join("; ")}` : " (it holds no .txt, .md, .html or .pdf files)"}`);
      }

      const perArticle = new Map<string, number>();
      for (const c of chunks) perArticle.set(c.articleId, (perArticle.get(c.articleId) ?? 0) + 1);
      const manifest: Manifest = {
        formatVersion: FORMAT_VERSION,
        ingestVersion: INGEST_VERSION,
        createdAt: new Date().toISOString(),
        corpus,
        articles: articles.map((a) => ({ id: a.id, title: a.title, ...(a.date ? { date: a.date } : {}), source: a.source, chunks: perArticle.get(a.id) ?? 0 })),
        chunks: chunks.length,
        warnings,
      };
      const core: IndexCore = { manifest, articles, chunks };
      writeIndexCore(dir, core);
      // --force embeds everything anew; otherwise texts the current build embedded with the same model keep their vectors.
      manifest.embedding = await buildSearchIndex(dir, core, { settings: opts.settings, onProgress: opts.onProgress, log, reuseFrom: opts.force ? null : current });
      writeJson(path.join(dir, "manifest.json"), manifest);
      progress("publish", 0, 1);
      publishIndex(root, dir);
      progress("publish", 1, 1);
      return {
        indexDir: dir,
        files: corpus.filter((f) => !f.error).length,
        articles: articles.length,
        chunks: chunks.length,
        warnings,
        seconds: (performance.now() - started) / 1000,
        reused: false,
        articleList: manifest.articles,
        embedding: manifest.embedding,
        skipped,
      };
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  } finally {
    release();
  }
}

/**
 * runIngest under the name callers use at start-up: reuse the current index when it is up to date,
 * otherwise build one (`force` always rebuilds). What it checks before reusing, cheaply and without
 * opening anything: the core files (manifest, articles, chunks) parse and agree, the corpus hashes,
 * ingest rules and embedding model are unchanged, and the search files exist (bm25.json, search.json,
 * hnsw/hnswlib.index, see hasSearchIndex); a failure is logged and the index rebuilt.
 * What it does NOT check: that the search files are intact (a truncated bm25.json, HNSW file or trained
 * model is only found by openSearchIndex). Use `openIndex` for "usable index, rebuilt once if damaged".
 */
export function ensureIndex(opts: IngestOptions): Promise<IngestSummary> {
  return runIngest(opts);
}

/**
 * A usable, open index: ensureIndex, then openSearchIndex; when opening finds the index damaged or
 * built with another embedding model, it is rebuilt once (force) with a log line saying why. If even
 * the fresh build cannot be opened, that error goes up (a clear message, never a rebuild loop).
 * `onSummary` hears each ingest's summary (the first, and the rebuild's if there was one).
 */
export async function openIndex(opts: IngestOptions & { onSummary?: (summary: IngestSummary) => void }): Promise<SearchIndex> {
  const log = opts.log ?? (() => {});
  const open = (dir: string) => openSearchIndex(dir, { settings: opts.settings, log });
  const summary = await ensureIndex(opts);
  opts.onSummary?.(summary);
  try {
    return await open(summary.indexDir);
  } catch (err) {
    if (!(err instanceof IndexDamagedError || err instanceof EmbeddingMismatchError)) throw err;
    const why =
      err instanceof EmbeddingMismatchError ? "it was built with another embedding model" : err instanceof IndexFormatError ? "another version of the indexer wrote it" : "it is damaged";
    log(`The index in ${summary.indexDir} cannot be used, ${why} (${err.message}). Rebuilding it…`);
    const rebuilt = await runIngest({ ...opts, force: true });
    opts.onSummary?.(rebuilt);
    return open(rebuilt.indexDir);
  }
}

/** The current index's core when it was built from these very files, by these rules, with this embedding model. */
function checkReusable(
  current: string,
  files: ReturnType<typeof hashCorpusFile>[],
  settings: EmbeddingSettings,
  log: (msg: string) => void,
): IndexCore | undefined {
  let core: IndexCore;
  try {
    core = readIndexCore(current);
  } catch (err) {
    if (!(err instanceof IndexDamagedError)) throw err;
    const why = err instanceof IndexFormatError ? "was written by another version of the indexer" : "is damaged";
    log(`the index at ${current} ${why} (${err.message}); rebuilding it`);
    return undefined;
  }
  if (!hasSearchIndex(current)) {
    log(`the search files of the index at ${current} are missing; rebuilding it`);
    return undefined;
  }
  const m = core.manifest;
  if (m.ingestVersion !== INGEST_VERSION) return undefined;
  if (!indexMatchesSettings(m, settings)) {
    log(`the index was built with another embedding model (${m.embedding?.model ?? "none"}); rebuilding it`);
    return undefined;
  }
  const hashes = (list: { file: string; hash?: string }[]) => JSON.stringify(list.map((f) => [f.file, f.hash ?? ""]).sort());
  if (hashes(m.corpus) !== hashes(files.map((f) => ({ file: f.file, hash: "hash" in f ? f.hash : "" })))) return undefined;
  return core;
}
