/**
 * `npm run bench:llm`: a GGUF chat model run in-process through the whole answer path, over cases of
 * evals/qa.jsonl, and how its citations fare in the check:
 *   - share of answer sentences (claims) the model gave a marker to a passage it was shown;
 *   - share of those supported by the passage they cite;
 *   - share supported after the repair (unmarked sentences given the passage most like them);
 *   - fallback rate (the extractive answer replaced the model's: unsupported, failed or late);
 *   - first-token latency p50/p95 (request in → the model's first text), decode tokens/s.
 * The model: LLM_MODEL_PATH, else GEMMA_GGUF (the test fixture). Cases: every Nth of qa.jsonl so all
 * kinds are represented; `--n 20` (default) sets how many. LLM_THREADS, LLM_MAX_TOKENS, LLM_TIMEOUT_MS
 * apply as in the server (here the timeout defaults to 120 s: the bench measures the model, not the
 * fallback). Prints a table and writes bench/results/llm-<timestamp>.json.
 */
import fs from "node:fs";
import path from "node:path";
import { answerStream } from "../server/answer/pipeline.ts";
import { openGenerator } from "../server/answer/generator.ts";
import type { CitationCheck, Generator } from "../server/answer/types.ts";
import { prepareIndex } from "../server/prepare-index.ts";
import { readSettings } from "../config/settings.ts";
import { describeMachine, machineLine } from "./machine.ts";
import { summarize } from "./percentiles.ts";
import { markdownTable, ms } from "./table.ts";

const argN = process.argv.indexOf("--n");
const N = argN > 0 ? Number(process.argv[argN + 1]) : 20;
// The test fixture's variable (not a product setting) stands in when LLM_MODEL_PATH is unset.
const modelPath = readSettings().generator.llmModelPath ?? process.env.GEMMA_GGUF;
const resultsDir = path.join(import.meta.dirname, "results");

interface CaseResult {
  id: string;
  question: string;
  generator: string;
  refused: boolean;
  notice?: string;
  check?: CitationCheck;
  firstTokenMs?: number;
  tokens: number;
  decodeMs: number;
  answer: string;
}

/** The generator with the time of each piece it writes recorded (the model's own text, before any check). */
function timed(generator: Generator, pieces: { at: number; text: string }[]): Generator {
  return {
    ...generator,
    async *stream(input, signal) {
      for await (const piece of generator.stream(input, signal)) {
        if (typeof piece === "string") pieces.push({ at: performance.now(), text: piece });
        yield piece;
      }
    },
  };
}

async function main(): Promise<void> {
  if (!modelPath) {
    console.error("Set LLM_MODEL_PATH (or GEMMA_GGUF, e.g. `source .ci/fixtures.sh`) to a GGUF chat model file.");
    process.exit(2);
  }
  const machine = describeMachine();
  console.log(`Machine: ${machineLine(machine)}`);
  const settings = readSettings({ LLM_TIMEOUT_MS: "120000", ...process.env, LLM_MODEL_PATH: modelPath, LLM_BASE_URL: "" });
  const index = await prepareIndex({ corpusDir: settings.corpusDir, indexRoot: settings.indexDir, settings: settings.embedding, log: () => {} });
  const loadStart = performance.now();
  const generator = await openGenerator(settings.generator, { log: (m) => console.log(m) });
  const loadMs = performance.now() - loadStart;
  // The model's tokenizer alone, to count the tokens of what it wrote.
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  const vocab = await llama.loadModel({ modelPath, vocabOnly: true });

  // Read as plain JSON lines: the bench measures the model, it does not need the eval's case checks.
  const all = fs
    .readFileSync(path.resolve("evals/qa.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; question: string; history?: unknown[] })
    .filter((c) => !c.history?.length);
  const step = Math.max(1, Math.floor(all.length / N));
  const cases = all.filter((_, i) => i % step === 0).slice(0, N);
  console.log(`${cases.length} cases of ${all.length}; threads ${settings.generator.llmThreads}, max tokens ${settings.generator.llmMaxTokens}; model loaded in ${ms(loadMs)} ms\n`);

  const results: CaseResult[] = [];
  for (const c of cases) {
    const pieces: { at: number; text: string }[] = [];
    const start = performance.now();
    let result: CaseResult | undefined;
    for await (const ev of answerStream({ question: c.question }, { index, generator: timed(generator, pieces) })) {
      if (ev.type !== "done") continue;
      const text = pieces.map((p) => p.text).join("");
      result = {
        id: c.id,
        question: c.question,
        generator: ev.generator,
        refused: ev.refused,
        notice: ev.notice,
        check: ev.check,
        firstTokenMs: pieces.length ? pieces[0].at - start : undefined,
        tokens: text ? vocab.tokenize(text).length : 0,
        decodeMs: pieces.length > 1 ? pieces[pieces.length - 1].at - pieces[0].at : 0,
        answer: ev.answer,
      };
    }
    results.push(result!);
    const r = result!;
    const verdict = r.check ? `${r.check.supportedAsCited + r.check.attached}/${r.check.sentences} supported` : r.refused ? "refused" : "";
    console.log(`  ${c.id}: ${r.generator}${r.notice ? " (fallback)" : ""} ${verdict}, first token ${ms(r.firstTokenMs ?? NaN)} ms, ${r.tokens} tokens`);
  }
  await generator.close?.();
  await llama.dispose();

  // Answers the model wrote (retrieval judged the question answerable and the model was asked).
  const asked = results.filter((r) => r.firstTokenMs !== undefined || r.notice);
  const checked = asked.filter((r) => r.check);
  const sum = (f: (c: CitationCheck) => number) => checked.reduce((s, r) => s + f(r.check!), 0);
  const sentences = sum((c) => c.sentences);
  const marked = sum((c) => c.marked);
  const fellBack = asked.filter((r) => r.notice);
  const unsupported = asked.filter((r) => r.check?.fellBack);
  const first = summarize(asked.filter((r) => r.firstTokenMs !== undefined).map((r) => r.firstTokenMs!));
  const decoding = asked.filter((r) => r.decodeMs > 0);
  const tokensPerSecond = decoding.reduce((s, r) => s + r.tokens, 0) / (decoding.reduce((s, r) => s + r.decodeMs, 0) / 1000);
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}% (${a}/${b})` : "–");

  const rows: [string, string][] = [
    ["answers the model wrote (of cases)", `${asked.length}/${results.length} (the rest refused before the model was asked)`],
    ["answer sentences with a valid marker", pct(marked, sentences)],
    ["marked sentences supported by the passage they cite", pct(sum((c) => c.supportedAsCited), marked)],
    ["sentences supported after repair (unmarked ones given the passage most like them)", pct(sum((c) => c.supportedAsCited + c.attached), sentences)],
    ["fallback to the extractive answer", `${pct(fellBack.length, asked.length)}: ${unsupported.length} unsupported, ${fellBack.length - unsupported.length} failed or late`],
    ["first-token latency p50 / p95", `${ms(first.p50)} / ${ms(first.p95)} ms`],
    ["decode speed", `${tokensPerSecond.toFixed(1)} tokens/s`],
    ["model load", `${ms(loadMs)} ms`],
  ];
  const table = markdownTable(["measure", `${path.basename(modelPath)}, ${settings.generator.llmThreads} threads`], rows);
  console.log(`\n${table}`);

  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `llm-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify({ machine, model: path.basename(modelPath), settings: { threads: settings.generator.llmThreads, maxTokens: settings.generator.llmMaxTokens }, loadMs, rows, results }, null, 2));
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(`bench:llm failed: ${(err as Error)?.stack ?? String(err)}`);
  process.exit(1);
});
