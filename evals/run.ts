/**
 * `npm run eval`: asks every case of a JSONL file, scores retrieval, answers, citations and refusals,
 * and writes evals/reports/<timestamp>.{json,md,svg}.
 *
 *   npm run eval                                   in-process, all cases, the index's default mode
 *   npm run eval -- --ablation                     + every retrieval mode side by side
 *   npm run eval -- --base-url http://127.0.0.1:3000 --mode bm25 --k 8 --limit 20 --file my.jsonl
 *   npm run eval -- --variants                     + every answerable case re-asked in neutral framings
 *   npm run eval -- --all --variants --check       every set in evals/ (what the gate in npm test runs)
 *   npm run eval -- --check                        exit 1 when a threshold in evals/thresholds.json is broken
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readSettings } from "../config/settings.ts";
import type { Generator } from "../server/answer/generator.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import { loadCases, type EvalCase } from "./cases.ts";
import {
  ablationRows, checkCitations, evidenceRank, factCoverage, failureReasons, kindRows, listFacts, summarize, summarizeVariants,
  type AblationRow, type CaseResult, type KindRow, type Passage, type RetrievalOutcome, type Summary, type VariantResult,
  type VariantSummary,
} from "./metrics.ts";
import { ablationTable, kindTable, summaryTable, variantTable, writeReport, type EvalReport } from "./report.ts";
import type { EvalTarget } from "./target.ts";
import { checkThresholds, checkValues, setName, suggestThresholds, thresholdsFor, variantValues } from "./thresholds.ts";
import { variantsOf } from "./variants.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Every retrieval mode the ablation compares. */
export const MODES = ["bm25", "dense", "hybrid", "rerank"] as const;

export interface EvalOptions {
  /** JSONL cases (default evals/qa.jsonl). */
  file?: string;
  /** Retrieval mode scored in the summary (default: the index's own default). */
  mode?: string;
  /** Retrieval depth scored (hit@k, MRR), at least 5; also handed to the pipeline when given. */
  k?: number;
  /** Score a running server over HTTP instead of in-process. */
  baseUrl?: string;
  token?: string;
  /** Also score every retrieval mode on the same standalone questions. */
  ablation?: boolean;
  /** Also ask every answerable case in its neutral re-framings (evals/variants.ts) and compare. */
  variants?: boolean;
  /** Only the first n cases. */
  limit?: number;
  /** Only the cases with these ids (to re-run the failures of a report). */
  only?: string[];
  corpusDir?: string;
  indexRoot?: string;
  /** Where reports go (default evals/reports); null = write nothing. */
  reportsDir?: string | null;
  /** In-process: an index / generator already open (tests share one). */
  index?: SearchIndex;
  generator?: Generator;
  onCase?: (done: number, total: number, result: CaseResult) => void;
  log?: (msg: string) => void;
}

export interface EvalRun {
  summary: Summary;
  ablation: AblationRow[];
  /** The key figures per case kind ("(no kind)" for cases without one). */
  kinds: KindRow[];
  /** With `variants`: how the verdicts move under re-framing. */
  variants?: VariantSummary;
  results: CaseResult[];
  warnings: string[];
  report: EvalReport;
  files?: { json: string; md: string; svg?: string };
}

async function openTarget(opts: EvalOptions, corpusDir: string): Promise<EvalTarget> {
  if (opts.baseUrl) {
    const { createHttpTarget } = await import("./target-http.ts");
    return createHttpTarget({ baseUrl: opts.baseUrl, token: opts.token, corpusDir });
  }
  // Loaded only when needed, so scoring a server does not load the index code.
  const { createLocalTarget } = await import("./target-local.ts");
  return createLocalTarget({
    corpusDir,
    indexRoot: opts.indexRoot ?? path.join(ROOT, "vectors/index"),
    index: opts.index,
    generator: opts.generator,
    log: opts.log,
  });
}

async function retrieve(target: EvalTarget, query: string, k: number, mode: string | undefined, c: EvalCase) {
  const t0 = performance.now();
  try {
    const passages = await target.search(query, { k, mode });
    const outcome: RetrievalOutcome = { rank: c.answerable ? evidenceRank(passages, c.evidence) : null, ms: performance.now() - t0 };
    return { passages, outcome };
  } catch (err) {
    return { passages: [] as Passage[], outcome: { rank: null, ms: performance.now() - t0, error: (err as Error).message } };
  }
}

async function runCase(target: EvalTarget, c: EvalCase, opts: EvalOptions, depth: number, sources: string[]): Promise<CaseResult> {
  const t0 = performance.now();
  let chat: Awaited<ReturnType<EvalTarget["chat"]>> | undefined;
  let error: string | undefined;
  try {
    chat = await target.chat(c.question, c.history, opts.k);
  } catch (err) {
    error = (err as Error).message;
  }
  const latencyMs = performance.now() - t0;
  // A follow-up is retrieved as the standalone question the pipeline rewrote it to.
  const standalone = chat?.question || c.question;
  const main = await retrieve(target, standalone, depth, opts.mode, c);
  let ablation: Record<string, RetrievalOutcome> | undefined;
  if (opts.ablation) {
    ablation = {};
    for (const mode of MODES) {
      ablation[mode] = mode === opts.mode ? main.outcome : (await retrieve(target, standalone, depth, mode, c)).outcome;
    }
  }
  const answer = chat?.answer ?? "";
  const refused = chat?.refused ?? false;
  const citations = chat?.citations ?? [];
  return {
    id: c.id,
    ...(c.kind ? { kind: c.kind } : {}),
    question: c.question,
    lang: c.lang,
    answerable: c.answerable,
    followUp: !!c.history?.length,
    standalone,
    retrieved: main.passages,
    retrieval: main.outcome,
    ...(ablation ? { ablation } : {}),
    answer,
    refused,
    citations,
    ...(chat?.notice ? { notice: chat.notice } : {}),
    ...(chat?.generator ? { generator: chat.generator } : {}),
    facts: factCoverage(answer, c.must),
    list: listFacts(answer, c.must),
    citation: checkCitations({ answer, citations, sources, evidence: c.evidence, refused }),
    latencyMs,
    ...(error || main.outcome.error ? { error: error ?? `search: ${main.outcome.error}` } : {}),
  };
}

/** Runs the eval and returns its figures (and writes the report unless reportsDir is null). */
export async function runEval(opts: EvalOptions = {}): Promise<EvalRun> {
  const file = path.resolve(opts.file ?? path.join(ROOT, "evals/qa.jsonl"));
  const corpusDir = path.resolve(opts.corpusDir ?? path.join(ROOT, "corpus"));
  let cases = loadCases(file);
  if (opts.only?.length) {
    const unknown = opts.only.filter((id) => !cases.some((c) => c.id === id));
    if (unknown.length) throw new Error(`no case with id ${unknown.join(", ")} in ${file}`);
    cases = cases.filter((c) => opts.only!.includes(c.id));
  }
  if (opts.limit && opts.limit > 0) cases = cases.slice(0, opts.limit);
  const depth = Math.max(5, opts.k ?? 10);
  const target = await openTarget(opts, corpusDir);
  const warnings: string[] = [];
  if (target.chunkTexts) {
    // Evidence no single chunk holds cannot be a hit in any mode: the case or the chunking needs a look.
    for (const c of cases) {
      if (c.answerable && !c.evidence.some((e) => target.chunkTexts!.some((t) => t.includes(e)))) {
        warnings.push(`${c.id}: no single chunk holds its evidence (${c.evidence.join(" | ")})`);
      }
    }
  }
  const results: CaseResult[] = [];
  const variantResults: VariantResult[] = [];
  try {
    // One untimed question first, so loading models and dictionaries is not counted as the first case's latency.
    if (cases.length) await target.chat(cases[0].question, undefined).catch(() => undefined);
    for (const c of cases) {
      const r = await runCase(target, c, opts, depth, target.sources);
      results.push(r);
      opts.onCase?.(results.length, cases.length, r);
    }
    if (opts.variants) {
      const plainOpts = { ...opts, ablation: false };
      for (const c of cases) {
        for (const v of variantsOf(c)) {
          variantResults.push({ of: c.id, template: v.template, result: await runCase(target, v.case, plainOpts, depth, target.sources) });
        }
      }
    }
  } finally {
    await target.close();
  }
  const modeLabel = opts.mode ?? "default";
  const summary = summarize(results, modeLabel);
  const ablation = opts.ablation ? ablationRows(results, [...MODES]) : [];
  const kinds = kindRows(results);
  const variants = opts.variants ? summarizeVariants(results, variantResults, modeLabel) : undefined;
  const report: EvalReport = {
    createdAt: new Date().toISOString(),
    options: {
      file: path.relative(ROOT, file) || file,
      mode: modeLabel,
      k: depth,
      target: target.name,
      ablation: !!opts.ablation,
      variants: !!opts.variants,
      ...(opts.limit ? { limit: opts.limit } : {}),
      ...(opts.only?.length ? { only: opts.only } : {}),
    },
    target: target.info,
    summary,
    ablation,
    kinds,
    ...(variants ? { variants } : {}),
    warnings,
    cases: results,
  };
  const files = opts.reportsDir === null ? undefined : writeReport(report, cases, opts.reportsDir ?? path.join(ROOT, "evals/reports"));
  return { summary, ablation, kinds, ...(variants ? { variants } : {}), results, warnings, report, ...(files ? { files } : {}) };
}

/** Every case set in a folder (default evals/): qa.jsonl, heldout.jsonl, then any other *.jsonl by name. */
export function caseSets(dir = path.join(ROOT, "evals")): string[] {
  const order = (f: string) => (f === "qa.jsonl" ? 0 : f === "heldout.jsonl" ? 1 : 2);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((f) => path.join(dir, f));
}

/** The gate's verdict on one run: the thresholds its set's block (and its variants block) breaks. */
export function gateProblems(run: EvalRun, file: string): string[] {
  const set = setName(file);
  const problems = checkThresholds(run.summary, thresholdsFor(set)).map((p) => `${set}: ${p}`);
  if (run.variants) {
    problems.push(...checkValues(variantValues(run.variants), thresholdsFor(set, { variants: true })).map((p) => `${set} variants: ${p}`));
  }
  return problems;
}

function usage(): string {
  return `Usage: npm run eval -- [options]
  --file <jsonl>      cases to run (default evals/qa.jsonl)
  --mode <mode>       retrieval mode scored: ${MODES.join(" | ")} (default: the index's default)
  --k <n>             retrieval depth scored and passed to the pipeline (default 10, at least 5)
  --base-url <url>    score a running server over HTTP (/api/search, /api/chat)
  --token <token>     bearer token for --base-url (default: $API_TOKEN)
  --ablation          score every retrieval mode side by side
  --variants          also ask every answerable case in neutral re-framings and report what changes
  --all               run every case set in evals/ (*.jsonl) instead of --file
  --suggest-thresholds  print thresholds blocks at today's figures minus a small margin
  --limit <n>         only the first n cases
  --only <id,id,…>    only these cases (e.g. the failures of the last report)
  --corpus <dir>      corpus folder for the verbatim-quote check (default corpus)
  --index <dir>       index root for in-process runs (default vectors/index)
  --out <dir>         report folder (default evals/reports)
  --check             exit 1 when a threshold in evals/thresholds.json is broken (each set's own block)`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: "string" }, mode: { type: "string" }, k: { type: "string" }, "base-url": { type: "string" },
      token: { type: "string" }, ablation: { type: "boolean" }, variants: { type: "boolean" }, all: { type: "boolean" },
      "suggest-thresholds": { type: "boolean" }, limit: { type: "string" }, only: { type: "string" }, corpus: { type: "string" },
      index: { type: "string" }, out: { type: "string" }, check: { type: "boolean" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage());
    return 0;
  }
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${v}"`);
    return n;
  };
  if (values.mode && !(MODES as readonly string[]).includes(values.mode)) {
    throw new Error(`--mode must be one of ${MODES.join(", ")}, got "${values.mode}"`);
  }
  if (values.all && values.file) throw new Error("--all runs every set in evals/: leave out --file");
  const tty = process.stderr.isTTY;
  const files = values.all ? caseSets() : [values.file ?? path.join(ROOT, "evals/qa.jsonl")];
  const problems: string[] = [];
  const suggested: Record<string, unknown> = {};
  for (const file of files) {
    const started = performance.now();
    if (files.length > 1) console.log(`\n# ${path.relative(process.cwd(), file)}`);
    const run = await runEval({
      file,
      mode: values.mode,
      k: int("k", values.k),
      baseUrl: values["base-url"],
      token: values.token ?? readSettings().security.apiToken,
      ablation: values.ablation,
      variants: values.variants,
      limit: int("limit", values.limit),
      only: values.only?.split(",").map((id) => id.trim()).filter(Boolean),
      corpusDir: values.corpus,
      indexRoot: values.index,
      reportsDir: values.out,
      log: (msg) => process.stderr.write(`${tty ? "\r\x1b[K" : ""}${msg}\n`),
      onCase: (done, total, r) => {
        const reasons = failureReasons(r);
        const line = `[${String(done).padStart(String(total).length)}/${total}] ${reasons.length ? "✗" : "✓"} ${r.id} (${Math.round(r.latencyMs)} ms)${reasons.length ? `: ${reasons.join("; ")}` : ""}`;
        process.stderr.write(`${line}\n`);
      },
    });
    console.log(`\n## Summary\n\n${summaryTable(run.summary)}\n`);
    if (run.kinds.some((k) => k.kind !== "(no kind)")) console.log(`## By kind\n\n${kindTable(run.kinds)}\n`);
    if (run.ablation.length) console.log(`## Ablation\n\n${ablationTable(run.ablation)}\n`);
    if (run.variants) console.log(`## Variants (neutral re-framings)\n\n${variantTable(run.variants)}\n`);
    for (const w of run.warnings) console.log(`warning: ${w}`);
    if (run.files) console.log(`Report: ${path.relative(process.cwd(), run.files.md)} (+ .json${run.files.svg ? ", .svg" : ""}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    problems.push(...gateProblems(run, file));
    if (values["suggest-thresholds"]) {
      const t = suggestThresholds(run.summary);
      suggested[setName(file)] = { ...t, ...(run.variants ? { variants: suggestThresholds(run.variants.summary, run.variants) } : {}) };
    }
  }
  if (values["suggest-thresholds"]) {
    console.log(`\nSuggested "sets" blocks for evals/thresholds.json (today's figures minus a small margin):\n${JSON.stringify(suggested, null, 2)}`);
  }
  if (values.check) {
    if (problems.length) {
      console.error(`Eval gate failed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
      return 1;
    }
    console.log("Eval gate passed (evals/thresholds.json).");
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`eval failed: ${(err as Error).message}`);
      process.exit(2);
    },
  );
}
