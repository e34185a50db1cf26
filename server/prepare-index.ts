/**
 * Makes sure there is a usable index and opens it (ingest/build.ts openIndex): reuse the current one
 * when it matches the corpus and the embedding settings, build it otherwise. An index that turns out
 * damaged or built with another embedding model is rebuilt once, saying why; if even the fresh build
 * cannot be opened, the error goes up (a clear message, not a restart loop).
 */
import { openIndex } from "../ingest/build.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
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

export function prepareIndex(opts: PrepareOptions): Promise<SearchIndex> {
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
