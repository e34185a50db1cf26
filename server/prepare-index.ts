/**
 * Makes sure there is a usable index and opens it: reuse the current one when it matches the corpus
 * and the embedding settings, build it otherwise. An index that turns out damaged or built with another
 * embedding model is rebuilt once, saying why; if even the fresh build cannot be opened, the error
 * goes up (a clear message, not a restart loop).
 */
import { ensureIndex, runIngest } from "../ingest/build.ts";
import { IndexDamagedError } from "../vectors/index-folder.ts";
import { EmbeddingMismatchError, openSearchIndex, type SearchIndex } from "../vectors/search-index.ts";
import type { EmbeddingSettings } from "../vectors/embedding-settings.ts";
import type { Progress } from "../vectors/types.ts";

export interface PrepareOptions {
  corpusDir: string;
  indexRoot: string;
  settings: EmbeddingSettings;
  onProgress?: Progress;
  log: (msg: string) => void;
}

export async function prepareIndex(opts: PrepareOptions): Promise<SearchIndex> {
  const { settings, log } = opts;
  const summary = await ensureIndex(opts);
  log(
    summary.reused
      ? `Using the index in ${summary.indexDir} (${summary.articles} articles, ${summary.chunks} chunks).`
      : `Built the index in ${summary.seconds.toFixed(1)} s: ${summary.articles} articles, ${summary.chunks} chunks.`,
  );
  for (const w of summary.warnings) log(`warning: ${w}`);
  try {
    return await openSearchIndex(summary.indexDir, { settings, log });
  } catch (err) {
    if (!(err instanceof IndexDamagedError || err instanceof EmbeddingMismatchError)) throw err;
    const why = err instanceof EmbeddingMismatchError ? "it was built with another embedding model" : "it is damaged";
    log(`The index in ${summary.indexDir} cannot be used, ${why} (${err.message}). Rebuilding it…`);
    const rebuilt = await runIngest({ ...opts, force: true });
    return openSearchIndex(rebuilt.indexDir, { settings, log });
  }
}
