/**
 * `npm run ask -- "辽宁清洁能源强省有哪些措施"`: one question answered in the terminal, with its
 * numbered sources (title › section › item). Builds the index first when needed.
 */
import { answer } from "./answer/pipeline.ts";
import { openGenerator } from "./answer/generator.ts";
import { ConfigError, readConfig } from "./config.ts";
import { formatSources } from "./format-sources.ts";
import { questionLanguage } from "../vectors/language.ts";
import { prepareIndex } from "./prepare-index.ts";
import { progressView } from "../ingest/progress-view.ts";
import { createLogger } from "../log/logger.ts";

async function main(): Promise<number> {
  const question = process.argv.slice(2).join(" ").trim();
  if (!question) {
    console.error('Usage: npm run ask -- "your question"   (e.g. npm run ask -- "辽宁清洁能源强省有哪些措施")');
    return 2;
  }
  let config;
  try {
    config = readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  // Build progress and messages go to stderr, so stdout holds only the answer.
  const progress = progressView({ stream: process.stderr, linesToLog: true, logger: createLogger(config.log) });
  const { index, generator } = await (async () => {
    const index = await prepareIndex({
      corpusDir: config.corpusDir,
      indexRoot: config.indexDir,
      settings: config.embedding,
      onProgress: progress.onProgress,
      log: progress.log,
      warn: progress.warn,
    });
    return { index, generator: await openGenerator(config.generator, { onProgress: progress.onProgress, log: progress.log }) };
  })().finally(() => progress.stop());

  const r = await answer({ question }, { index, generator, refusalThreshold: config.answer.refusalThreshold });
  await generator.close?.();
  const lang = questionLanguage(question);
  if (r.question !== question) console.log(`(${lang === "zh" ? "理解为" : "Read as"}: ${r.question})\n`);
  console.log(r.answer.trim());
  if (r.notice) console.log(`\n(${r.notice})`);
  const sources = formatSources(r.citations, lang);
  if (sources) console.log(`\n${sources}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`Could not answer: ${(err as Error)?.message ?? String(err)}`);
    process.exit(1);
  },
);
