/**
 * Makes sure there is a usable index and opens it (ingest/build.ts openIndex): reuse the current one
 * when it matches the corpus and the embedding settings, build it otherwise. An index that turns out
 * damaged or built with another embedding model is rebuilt once, saying why; if even the fresh build
 * cannot be opened, the error goes up (a clear message, not a restart loop).
 *
 * When a build is needed but the embedding endpoint cannot be reached, the server serves the previous
 * index built with that same model (by keywords until the endpoint answers) rather than nothing; with
 * no such index the endpoint's error goes up. (`npm run ingest` in that case fails: it was asked to build.)
 */
import path from "node:path";
import { openIndex } from "../ingest/build.ts";
import { EmbeddingEndpointError } from "../vectors/endpoint-embedder.ts";
import { currentIndexDir } from "../vectors/index-folder.ts";
import { openSearchIndex, type SearchIndex } from "../vectors/search-index.ts";
import type { EmbeddingSettings } from "../config/settings.ts";
import type { Progress } from "../vectors/types.ts";

export interface PrepareOptions {
  corpusDir: string;
  indexRoot: string;
  settings: EmbeddingSettings;
  onProgress?: Progress;
  log: (msg: string) => void;
  /** Warnings (unreadable files, skipped links); default `log`. */
  warn?: (msg: string) => void;
}

export async function prepareIndex(opts: PrepareOptions): Promise<SearchIndex> {
  try {
    return await buildOrReuse(opts);
  } catch (err) {
    const previous = err instanceof EmbeddingEndpointError ? currentIndexDir(path.resolve(opts.indexRoot)) : null;
    if (!previous) throw err;
    let index: SearchIndex;
    try {
      index = await openSearchIndex(previous, { settings: opts.settings, log: opts.log });
    } catch {
      throw err; // built with another model, or damaged: nothing that could serve these settings
    }
    opts.log(`${(err as Error).message} The index could not be rebuilt; serving the previous one (${previous}) until the endpoint answers; then run npm run ingest.`);
    return index;
  }
}

function buildOrReuse(opts: PrepareOptions): Promise<SearchIndex> {
  const { log } = opts;
  const warn = opts.warn ?? log;
  return openIndex({
    ...opts,
    onSummary: (summary) => {
      log(
        summary.reused
          ? `Using the index in ${summary.indexDir} (${summary.articles} articles, ${summary.chunks} chunks).`
          : `Built the index in ${summary.seconds.toFixed(1)} s: ${summary.articles} articles, ${summary.chunks} chunks.`,
      );
      for (const line of summary.skipped) log(`skipped: ${line}`);
      for (const w of summary.warnings) warn(`${opts.warn ? "" : "warning: "}${w}`);
    },
  });
}
