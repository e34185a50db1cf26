/**
 * npm run ingest [-- --corpus DIR] [--index DIR] [--force]
 * Builds the index from the corpus folder, with progress per stage, and prints a summary.
 * Defaults come from the shared settings (CORPUS_DIR / INDEX_DIR, EMBEDDING_* — config/settings.ts),
 * read exactly as the server reads them.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, readSettings, redactedSettings, type Settings } from "../config/settings.ts";
import { openIndex, type IngestSummary } from "./build.ts";
import { currentIndexDir } from "../vectors/index-folder.ts";
import { progressView } from "./progress-view.ts";
import { createLogger } from "../log/logger.ts";

const HELP = `Usage: npm run ingest -- [--corpus DIR] [--index DIR] [--force]
  --corpus DIR  folder of .txt/.md/.html/.pdf documents (default: $CORPUS_DIR or corpus)
  --index DIR   index folder (default: $INDEX_DIR or vectors/index)
  --force       rebuild even when nothing has changed
  --check-config  print the settings read from the environment (secrets hidden) and exit`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: { corpus: { type: "string" }, index: { type: "string" }, force: { type: "boolean", default: false }, "check-config": { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${HELP}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  let settings: Settings;
  try {
    settings = readSettings();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 2;
  }
  if (args["check-config"]) {
    console.log(JSON.stringify(redactedSettings(settings), null, 2));
    return 0;
  }
  // Empty counts as unset: path.resolve("") would be the working directory.
  const corpusDir = args.corpus?.trim() ? path.resolve(args.corpus.trim()) : settings.corpusDir;
  const indexRoot = args.index?.trim() ? path.resolve(args.index.trim()) : settings.indexDir;
  const logger = createLogger(settings.log);
  // Progress on stdout with the summary; messages (timestamped) through the logger on stderr.
  const view = progressView({ logger });
  console.log(`Ingesting ${corpusDir} → ${indexRoot}`);
  let summary: IngestSummary | undefined;
  try {
    // Opened as the server would open it, so an index that only looks current (a damaged model,
    // HNSW or keyword file) is rebuilt here too rather than reported "up to date".
    const index = await openIndex({
      corpusDir,
      indexRoot,
      settings: settings.embedding,
      onProgress: view.onProgress,
      log: view.log,
      force: args.force,
      onSummary: (s) => (summary = s),
    });
    await index.close();
  } catch (err) {
    view.stop();
    logger.error(`ingest failed: ${(err as Error).message}`);
    const previous = currentIndexDir(indexRoot);
    if (previous) logger.error(`The previous index is unchanged and keeps serving: ${previous}`);
    return 1;
  } finally {
    view.stop();
  }
  if (!summary) throw new Error("the ingest reported no summary");
  console.log(summary.reused ? `\nIndex up to date (corpus and embedding model unchanged): ${summary.indexDir}` : `\nIndex built: ${summary.indexDir}`);
  console.log(`files: ${summary.files}  articles: ${summary.articles}  chunks: ${summary.chunks}  warnings: ${summary.warnings.length}  seconds: ${summary.seconds.toFixed(1)}`);
  // From the summary, not the folder: a concurrent publish may already have pruned this build.
  const { embedding } = summary;
  if (embedding) {
    const via = embedding.provider === "openai-compatible" ? `endpoint ${embedding.endpoint}, roles as ${embedding.roles}` : embedding.kind;
    console.log(`embedding: ${embedding.model} (${via}, ${embedding.dimensions} dimensions)`);
  }
  console.log("articles (chunks  title):");
  for (const a of summary.articleList) console.log(`  ${String(a.chunks).padStart(4)}  ${a.title}${a.date ? `  ${a.date}` : ""}`);
  if (summary.skipped.length) {
    console.log("skipped:");
    for (const line of summary.skipped) console.log(`  - ${line}`);
  }
  if (summary.warnings.length) {
    console.log("warnings:");
    for (const w of summary.warnings) console.log(`  - ${w}`);
  }
  return 0;
}

process.exitCode = await main();
