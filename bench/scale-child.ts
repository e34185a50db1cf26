/**
 * One measured step of the scale bench, in its own process so its peak memory is its own:
 *   tsx bench/scale-child.ts ingest <corpusDir> <indexRoot>
 *   tsx bench/scale-child.ts search <indexRoot> <queriesFile>
 * Prints one line `RESULT <json>` on stdout (logs go to stderr).
 */
import fs from "node:fs";
import { runIngest } from "../ingest/build.ts";
import { readSettings } from "../config/settings.ts";
import { currentIndexDir } from "../vectors/index-folder.ts";
import { openSearchIndex } from "../vectors/search-index.ts";
import { summarize } from "./percentiles.ts";

const [command, a, b] = process.argv.slice(2);
const settings = readSettings({ ...process.env, EMBEDDING_MODEL: "", EMBEDDING_BASE_URL: "" }).embedding;
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);

function report(value: Record<string, unknown>): void {
  // maxRSS is in KiB: the peak resident memory of this whole process.
  process.stdout.write(`RESULT ${JSON.stringify({ ...value, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

if (command === "ingest") {
  const started = performance.now();
  const summary = await runIngest({ corpusDir: a, indexRoot: b, settings, log, force: true });
  report({
    seconds: (performance.now() - started) / 1000,
    files: summary.files,
    articles: summary.articles,
    chunks: summary.chunks,
    warnings: summary.warnings.length,
    indexDir: summary.indexDir,
  });
} else if (command === "search") {
  const dir = currentIndexDir(a);
  if (!dir) throw new Error(`no index under ${a}`);
  const openStarted = performance.now();
  const index = await openSearchIndex(dir, { settings, log });
  const openSeconds = (performance.now() - openStarted) / 1000;
  const queries = JSON.parse(fs.readFileSync(b, "utf8")) as string[];
  for (const q of queries.slice(0, 5)) await index.search(q); // warm-up: caches, JIT
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await index.search(q, { k: 8 });
    times.push(performance.now() - t);
  }
  report({ openSeconds, searches: times.length, searchMs: summarize(times) });
} else {
  process.stderr.write("usage: scale-child.ts ingest <corpusDir> <indexRoot> | search <indexRoot> <queriesFile>\n");
  process.exit(2);
}
