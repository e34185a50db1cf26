import path from "node:path";
import { ensureIndex } from "../ingest/build.ts";
import { openSearchIndex } from "../vectors/search-index.ts";
import { readEmbeddingSettings } from "../vectors/embedding-settings.ts";
export async function realIndex() {
  const settings = readEmbeddingSettings({});
  const t = Date.now();
  const summary = await ensureIndex({ corpusDir: "corpus", indexRoot: "/tmp/answer-scratch/index", settings });
  const idx = await openSearchIndex(summary.indexDir, { settings });
  console.error(`index ready in ${Date.now() - t} ms (reused ${summary.reused}), chunks ${idx.core.chunks.length}`);
  return idx;
}
