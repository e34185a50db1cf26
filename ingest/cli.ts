/**
 * npm run ingest [-- --corpus DIR] [--index DIR] [--force]
 * Builds the index from the corpus folder, with progress per stage, and prints a summary.
 * Defaults come from CORPUS_DIR / INDEX_DIR (else corpus/ and vectors/index/); the embedding model
 * from EMBEDDING_MODEL (unset: a model trained on the corpus).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { readEmbeddingSettings } from "../vectors/embedding-settings.ts";
import { runIngest } from "./build.ts";
import { progressView } from "./progress-view.ts";

const HELP = `Usage: npm run ingest -- [--corpus DIR] [--index DIR] [--force]
  --corpus DIR  folder of .txt/.md/.html/.pdf documents (default: $CORPUS_DIR or corpus)
  --index DIR   index folder (default: $INDEX_DIR or vectors/index)
  --force       rebuild even when nothing has changed`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: { corpus: { type: "string" }, index: { type: "string" }, force: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${HELP}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  // Empty counts as unset (as in server/config.ts): path.resolve("") would be the working directory.
  const corpusDir = path.resolve(args.corpus?.trim() || process.env.CORPUS_DIR?.trim() || "corpus");
  const indexRoot = path.resolve(args.index?.trim() || process.env.INDEX_DIR?.trim() || "vectors/index");
  const view = progressView();
  console.log(`Ingesting ${corpusDir} → ${indexRoot}`);
  let summary;
  try {
    summary = await runIngest({ corpusDir, indexRoot, settings: readEmbeddingSettings(process.env), onProgress: view.onProgress, log: view.log, force: args.force });
  } catch (err) {
    view.stop();
    console.error(`ingest failed: ${(err as Error).message}`);
    return 1;
  } finally {
    view.stop();
  }
  console.log(summary.reused ? `\nIndex up to date (corpus and embedding model unchanged): ${summary.indexDir}` : `\nIndex built: ${summary.indexDir}`);
  console.log(`files: ${summary.files}  articles: ${summary.articles}  chunks: ${summary.chunks}  warnings: ${summary.warnings.length}  seconds: ${summary.seconds.toFixed(1)}`);
  // From the summary, not the folder: a concurrent publish may already have pruned this build.
  const { embedding } = summary;
  if (embedding) console.log(`embedding: ${embedding.model} (${embedding.kind}, ${embedding.dimensions} dimensions)`);
  console.log("articles (chunks  title):");
  for (const a of summary.articleList) console.log(`  ${String(a.chunks).padStart(4)}  ${a.title}${a.date ? `  ${a.date}` : ""}`);
  if (summary.warnings.length) {
    console.log("warnings:");
    for (const w of summary.warnings) console.log(`  - ${w}`);
  }
  return 0;
}

process.exitCode = await main();
