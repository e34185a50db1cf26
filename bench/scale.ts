/**
 * `npm run bench:scale`: how ingest time, index size, memory and search latency grow with the corpus.
 * Builds synthetic corpora 10× and 100× the seed (bench/synthetic-corpus.ts), ingests 1×, 10×, 100×,
 * each in its own process (peak RSS is that process's), then times searches on each index.
 * Bounded: a size whose ingest is predicted (linearly from the previous size) to take longer than
 * SCALE_BUDGET_SECONDS (default 600) is skipped and reported as such; SCALE_FACTORS=1,10 picks sizes.
 * Prints a markdown table for the README and writes bench/results/scale-<timestamp>.json.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describeMachine, machineLine } from "./machine.ts";
import { folderBytes, formatBytes } from "./disk-size.ts";
import type { LatencySummary } from "./percentiles.ts";
import { readSeedArticles, rng, writeSyntheticCorpus } from "./synthetic-corpus.ts";
import { markdownTable, ms } from "./table.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const SEED_DIR = path.join(ROOT, "corpus");
const factors = (process.env.SCALE_FACTORS ?? "1,10,100").split(",").map(Number).filter((n) => n >= 1);
const budgetSeconds = Number(process.env.SCALE_BUDGET_SECONDS ?? 600);
const SEARCHES = 200;

interface ChildResult {
  maxRssBytes: number;
  [key: string]: unknown;
}

interface Row {
  factor: number;
  corpusBytes: number;
  files: number;
  articles?: number;
  chunks?: number;
  ingestSeconds?: number;
  ingestMaxRssBytes?: number;
  indexBytes?: number;
  openSeconds?: number;
  searchMs?: LatencySummary;
  serveMaxRssBytes?: number;
  skipped?: string;
}

/** Runs one scale-child step; resolves with its RESULT line, rejects with its stderr tail on failure. */
function runChild(args: string[], timeoutSeconds: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "scale-child.ts"), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutSeconds * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as ChildResult);
      else reject(new Error(`${args[0]} ${signal ? `killed (${signal}, over ${timeoutSeconds} s)` : `exited ${code}`}: ${stderr.trim().split("\n").slice(-5).join(" | ")}`));
    });
  });
}

/** Queries for the search timing: phrases cut from the seed's paragraphs plus a few questions. */
function makeQueries(paragraphs: string[]): string[] {
  const random = rng(42);
  const queries = ["辽宁建设清洁能源强省有哪些措施？", "如何优化营商环境？", "防范化解金融风险", "铸牢中华民族共同体意识", "rural revitalization"];
  while (queries.length < SEARCHES) {
    const p = paragraphs[Math.floor(random() * paragraphs.length)];
    if (p.length < 20) continue;
    const len = 4 + Math.floor(random() * 12);
    const at = Math.floor(random() * (p.length - len));
    queries.push(p.slice(at, at + len));
  }
  return queries;
}

async function main(): Promise<void> {
  const machine = describeMachine();
  console.log(`Machine: ${machineLine(machine)}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-scale-"));
  console.log(`Working in ${work} (removed at the end)\n`);
  const seed = await readSeedArticles(SEED_DIR);
  const queriesFile = path.join(work, "queries.json");
  fs.writeFileSync(queriesFile, JSON.stringify(makeQueries(seed.flatMap((a) => a.paragraphs))));
  const seedBytes = fs.readdirSync(SEED_DIR).reduce((n, f) => n + fs.statSync(path.join(SEED_DIR, f)).size, 0);

  const rows: Row[] = [];
  const started = Date.now();
  try {
    let previous: Row | undefined;
    for (const factor of factors) {
      let corpusDir = SEED_DIR;
      const row: Row = { factor, corpusBytes: seedBytes, files: fs.readdirSync(SEED_DIR).length };
      rows.push(row);
      if (previous?.ingestSeconds !== undefined) {
        const predicted = (previous.ingestSeconds * factor) / previous.factor;
        if (predicted > budgetSeconds) {
          row.skipped = `predicted ingest ≈ ${Math.round(predicted)} s (linear from ${previous.factor}×) is over the ${budgetSeconds} s budget`;
          console.log(`${factor}×: skipped, ${row.skipped}`);
          continue;
        }
      } else if (previous) {
        row.skipped = `the ${previous.factor}× size did not complete`;
        continue;
      }
      if (factor !== 1) {
        corpusDir = path.join(work, `corpus-${factor}x`);
        const written = writeSyntheticCorpus(seed, factor, corpusDir);
        Object.assign(row, { corpusBytes: written.bytes, files: written.files });
        if (written.articlesPerBooklet !== seed.length) {
          console.log(`  note: the splitter finds ${written.articlesPerBooklet} articles per synthetic booklet (seed: ${seed.length})`);
        }
      }
      const indexRoot = path.join(work, `index-${factor}x`);
      console.log(`${factor}×: ingesting ${row.files} file(s), ${formatBytes(row.corpusBytes)}…`);
      try {
        const ingest = await runChild(["ingest", corpusDir, indexRoot], budgetSeconds * 1.5);
        Object.assign(row, {
          articles: ingest.articles as number,
          chunks: ingest.chunks as number,
          ingestSeconds: ingest.seconds as number,
          ingestMaxRssBytes: ingest.maxRssBytes,
          indexBytes: folderBytes(path.join(indexRoot, "builds")),
        });
        console.log(`  ${row.articles} articles, ${row.chunks} chunks in ${row.ingestSeconds!.toFixed(1)} s, index ${formatBytes(row.indexBytes!)}, peak RSS ${formatBytes(row.ingestMaxRssBytes!)}`);
        const search = await runChild(["search", indexRoot, queriesFile], 600);
        Object.assign(row, { openSeconds: search.openSeconds as number, searchMs: search.searchMs as LatencySummary, serveMaxRssBytes: search.maxRssBytes });
        console.log(`  opened in ${row.openSeconds!.toFixed(1)} s; ${SEARCHES} searches: p50 ${ms(row.searchMs!.p50)} ms, p95 ${ms(row.searchMs!.p95)} ms`);
      } catch (err) {
        row.skipped = (err as Error).message;
        console.log(`  failed: ${row.skipped}`);
      }
      fs.rmSync(indexRoot, { recursive: true, force: true });
      if (corpusDir !== SEED_DIR) fs.rmSync(corpusDir, { recursive: true, force: true });
      previous = row;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const table = scaleTable(rows);
  console.log(`\nMeasured on ${machineLine(machine)}; ingest with the corpus-trained embedding model, search in hybrid mode (k=8), ${SEARCHES} queries, one at a time.\n`);
  console.log(table);
  const skipped = rows.filter((r) => r.skipped);
  for (const r of skipped) console.log(`\n${r.factor}×: not measured: ${r.skipped}`);
  console.log(`\nTotal ${((Date.now() - started) / 1000).toFixed(0)} s.`);

  const resultsDir = path.join(import.meta.dirname, "results");
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `scale-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ machine, searches: SEARCHES, rows, table }, null, 2)}\n`);
  console.log(`Figures written to ${path.relative(process.cwd(), file)}`);
}

function scaleTable(rows: Row[]): string {
  const cell = (r: Row, v: string | undefined) => (r.skipped && v === undefined ? "not run" : (v ?? "–"));
  return markdownTable(
    ["corpus", "text", "articles", "chunks", "ingest s", "ingest peak RSS", "index on disk", "open s", "search p50 ms", "search p95 ms", "serving RSS"],
    rows.map((r) => [
      `${r.factor}×`,
      formatBytes(r.corpusBytes),
      cell(r, r.articles?.toString()),
      cell(r, r.chunks?.toString()),
      cell(r, r.ingestSeconds?.toFixed(1)),
      cell(r, r.ingestMaxRssBytes === undefined ? undefined : formatBytes(r.ingestMaxRssBytes)),
      cell(r, r.indexBytes === undefined ? undefined : formatBytes(r.indexBytes)),
      cell(r, r.openSeconds?.toFixed(1)),
      cell(r, r.searchMs ? ms(r.searchMs.p50) : undefined),
      cell(r, r.searchMs ? ms(r.searchMs.p95) : undefined),
      cell(r, r.serveMaxRssBytes === undefined ? undefined : formatBytes(r.serveMaxRssBytes)),
    ]),
  );
}

await main();
