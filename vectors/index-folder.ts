/**
 * The index folder on disk. Layout under the index root (default vectors/index/):
 *   builds/<stamp>/            one complete build: manifest.json, articles.json, chunks.json, + search files
 *   current -> builds/<stamp>  a symlink, swapped atomically (rename) once a build is complete
 *   .ingest.lock               held by the running ingest (pid inside)
 * Readers only ever follow `current`, so no one sees half an index.
 */
import fs from "node:fs";
import path from "node:path";
import type { Article, Chunk, Manifest } from "./types.ts";

/** Raised when what a build writes changes (2: CC-CEDICT bridges read plural senses as singular), so older indexes are rebuilt. */
export const FORMAT_VERSION = 2;

export interface IndexCore {
  manifest: Manifest;
  articles: Article[];
  chunks: Chunk[];
}

/** The complete build `current` points at, or null when there is none yet. */
export function currentIndexDir(root: string): string | null {
  const link = path.join(root, "current");
  try {
    const target = fs.realpathSync(link);
    return fs.existsSync(path.join(target, "manifest.json")) ? target : null;
  } catch {
    return null;
  }
}

/** A fresh, empty build folder next to the published ones (same filesystem, so the swap is a rename). */
export function newBuildDir(root: string): string {
  const builds = path.join(root, "builds");
  fs.mkdirSync(builds, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:.]/g, "").replace("T", "-").slice(0, 15);
  return fs.mkdtempSync(path.join(builds, `${stamp}-`));
}

export function writeJson(file: string, value: unknown): void {
  // Write then rename, so a reader never sees a half-written file.
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

export function readJson<T>(file: string): T {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new IndexDamagedError(`${path.basename(file)} is missing or unreadable in ${path.dirname(file)}`, { cause: err });
  }
  try {
    return JSON.parse(raw) as T;
  } catch (err) {
    throw new IndexDamagedError(`${path.basename(file)} in ${path.dirname(file)} is not valid JSON (truncated or damaged)`, { cause: err });
  }
}

/** The index exists but cannot be used as it is: the caller rebuilds it. */
export class IndexDamagedError extends Error {
  override name = "IndexDamagedError";
}

/** An index another version of the indexer wrote: sound, but rebuilt like a damaged one. */
export class IndexFormatError extends IndexDamagedError {
  override name = "IndexFormatError";
}

export function writeIndexCore(dir: string, core: IndexCore): void {
  writeJson(path.join(dir, "articles.json"), core.articles);
  writeJson(path.join(dir, "chunks.json"), core.chunks);
  // The manifest goes last: its presence marks the core as complete.
  writeJson(path.join(dir, "manifest.json"), core.manifest);
}

export function readIndexCore(dir: string): IndexCore {
  const manifest = readJson<Manifest>(path.join(dir, "manifest.json"));
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexFormatError(`index format ${manifest.formatVersion} in ${dir}, this version reads ${FORMAT_VERSION}`);
  }
  const articles = readJson<Article[]>(path.join(dir, "articles.json"));
  const chunks = readJson<Chunk[]>(path.join(dir, "chunks.json"));
  if (!Array.isArray(articles) || !Array.isArray(chunks) || chunks.length !== manifest.chunks) {
    throw new IndexDamagedError(`articles.json/chunks.json in ${dir} do not match its manifest`);
  }
  return { manifest, articles, chunks };
}

/**
 * Builds kept by default: the new current one and the one before it. A running server keeps serving
 * the previous build until its watcher (or its reindex) switches, and for good when the new build
 * fails to open, so that one must not be deleted under it.
 */
export const KEEP_BUILDS = 2;

/**
 * Points `current` at a complete build in one atomic step, then removes old builds, keeping `keep`:
 * the new one, the one `current` pointed at until now, then the newest others.
 */
export function publishIndex(root: string, buildDir: string, keep = KEEP_BUILDS): void {
  const link = path.join(root, "current");
  const previous = currentIndexDir(root);
  const tmpLink = path.join(root, `.current-${process.pid}`);
  fs.rmSync(tmpLink, { force: true });
  fs.symlinkSync(path.relative(root, buildDir), tmpLink);
  fs.renameSync(tmpLink, link);
  pruneBuilds(root, buildDir, keep, previous ? [previous] : []);
}

/**
 * Removes old and abandoned builds (readers may still hold the kept ones): keeps `current`, then the
 * `also` builds (e.g. the previously published one), then the newest complete others, `keep` in all.
 */
export function pruneBuilds(root: string, current: string, keep = KEEP_BUILDS, also: string[] = []): void {
  const builds = path.join(root, "builds");
  let names: string[];
  try {
    names = fs.readdirSync(builds).sort().reverse();
  } catch {
    return;
  }
  const complete = (name: string) => fs.existsSync(path.join(builds, name, "manifest.json"));
  const kept = new Set([path.basename(current)]);
  for (const name of [...also.map((d) => path.basename(d)), ...names]) {
    if (kept.size >= keep) break;
    if (names.includes(name) && complete(name)) kept.add(name);
  }
  for (const name of names) if (!kept.has(name)) fs.rmSync(path.join(builds, name), { recursive: true, force: true });
}
