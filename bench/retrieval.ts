/**
 * The retrieval bench: index build time per stage, embedding throughput, search latency p50/p95
 * per mode, HNSW recall@10 against exact search (on the corpus and on a larger synthetic set), and
 * retrieval quality (hit@1, hit@5, MRR) per mode on evals/qa.jsonl.
 *
 *   npx tsx bench/retrieval.ts        (or through `npm run bench`)
 *
 * Uses the embedding settings of the environment (EMBEDDING_MODEL, MODELS_DIR …); builds into a
 * temporary folder, never touching vectors/index.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runIngest } from "../ingest/build.ts";
import { readSettings } from "../config/settings.ts";
import { readJson } from "../vectors/index-folder.ts";
import { HNSW_DIR, MODEL_DIR, SEARCH_META_FILE, openSearchIndex, type SearchIndex } from "../vectors/search-index.ts";
import { Embedder } from "../vectors/embedder.ts";
import { TRAINED_MODEL_ID } from "../vectors/corpus-model/train.ts";
import { ChunkVectorStore } from "../vectors/vector-store.ts";
import { Document } from "@langchain/core/documents";
import { indexedText, type SearchMode } from "../vectors/types.ts";
import { summarize } from "./percentiles.ts";
import { markdownTable, ms } from "./table.ts";
import { describeMachine, machineLine } from "./machine.ts";
import { measureQuality, readQualityCases, type Quality } from "./retrieval-quality.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

export interface RetrievalBench {
  machine: ReturnType<typeof describeMachine>;
  corpus: { articles: number; chunks: number };
  embedding: { model: string; kind: string; dimensions: number };
  build: { ingestSeconds: number; stages: Record<string, number> };
  embeddingThroughput: { passagesPerSecond: number; charsPerSecond: number; queryMs: { p50: number; p95: number } };
  searchLatencyMs: Record<string, { p50: number; p95: number; p99: number; queries: number }>;
  hnswRecallAt10: { corpus: number; synthetic: { points: number; dimensions: number; recall: number; buildSeconds: number; exactMs: number; hnswMs: number } };
  quality: Record<"zh" | "en", Record<string, Quality>>;
}

function seededGaussian(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Clustered unit vectors (like real embeddings: topics, not uniform noise). */
function syntheticVectors(n: number, dims: number, clusters: number, seed = 1): number[][] {
  const g = seededGaussian(seed);
  const centers = Array.from({ length: clusters }, () => Array.from({ length: dims }, g));
  return Array.from({ length: n }, (_, i) => {
    const c = centers[i % clusters];
    const v = c.map((x) => x + 0.8 * g());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

function recallAt(k: number, approx: string[], exact: string[]): number {
  const truth = new Set(exact.slice(0, k));
  return approx.slice(0, k).filter((id) => truth.has(id)).length / Math.max(1, truth.size);
}

async function hnswRecall(store: ChunkVectorStore, queries: number[][], k = 10): Promise<number> {
  let sum = 0;
  for (const q of queries) {
    const approx = (await store.search(q, k)).map((h) => h.chunkId);
    const exact = store.exactSearch(q, k).map((h) => h.chunkId);
    sum += recallAt(k, approx, exact);
  }
  return sum / Math.max(1, queries.length);
}

async function loadIndexEmbedder(index: SearchIndex, modelsDir: string, allowRemote: boolean): Promise<Embedder> {
  const e = index.embedding;
  return e.kind === "trained"
    ? Embedder.load({ id: TRAINED_MODEL_ID, root: path.join(index.dir, MODEL_DIR), allowRemote: false }, "trained", e)
    : Embedder.load({ id: e.model, root: modelsDir, allowRemote }, "pretrained", e);
}

export async function runRetrievalBench(opts: { log?: (line: string) => void } = {}): Promise<RetrievalBench> {
  const print = opts.log ?? ((line: string) => console.log(line));
  const settings = readSettings().embedding;
  const machine = describeMachine();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "retrieval-bench-"));
  try {
    // 1. Build.
    const summary = await runIngest({ corpusDir: path.join(ROOT, "corpus"), indexRoot: tmp, settings, force: true, log: () => {} });
    const meta = readJson<{ stages: Record<string, number> }>(path.join(summary.indexDir, SEARCH_META_FILE));
    const index = await openSearchIndex(summary.indexDir, { settings, log: () => {} });
    const texts = index.core.chunks.map(indexedText);

    // 2. Embedding throughput (passages as indexed) and single-query latency.
    const embedder = await loadIndexEmbedder(index, settings.modelsDir, settings.allowRemote);
    await embedder.embedDocuments(texts.slice(0, 16));
    const rounds = 3;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) await embedder.embedDocuments(texts);
    const seconds = (performance.now() - t0) / 1000;
    const chars = texts.reduce((n, t) => n + t.length, 0) * rounds;
    const cases = readQualityCases(path.join(ROOT, "evals", "qa.jsonl"));
    const questions = cases.map((c) => c.question);
    const queryTimes: number[] = [];
    const queryVectors: number[][] = [];
    for (const q of questions) {
      const s = performance.now();
      queryVectors.push(await embedder.embedQuery(q));
      queryTimes.push(performance.now() - s);
    }
    const qs = summarize(queryTimes);

    // 3. Search latency per mode (warm, each question 3 times).
    const modes: SearchMode[] = settings.reranker ? ["bm25", "dense", "hybrid", "rerank"] : ["bm25", "dense", "hybrid"];
    const latency: RetrievalBench["searchLatencyMs"] = {};
    for (const mode of modes) {
      for (const q of questions.slice(0, 5)) await index.search(q, { k: 5, mode });
      const times: number[] = [];
      for (let r = 0; r < 3; r++) {
        for (const q of questions) {
          const s = performance.now();
          await index.search(q, { k: 5, mode });
          times.push(performance.now() - s);
        }
      }
      const sum = summarize(times);
      latency[mode] = { p50: sum.p50, p95: sum.p95, p99: sum.p99, queries: times.length };
    }

    // 4. HNSW recall@10 against exact search: the corpus store, then 10k synthetic vectors.
    const corpusStore = await ChunkVectorStore.load(path.join(summary.indexDir, HNSW_DIR), embedder);
    const liveQueries = queryVectors.filter((v) => v.every(Number.isFinite) && v.some((x) => x !== 0));
    const corpusRecall = await hnswRecall(corpusStore, liveQueries);
    const dims = index.embedding.dimensions;
    const points = 10000;
    const vectors = syntheticVectors(points, dims, 200);
    const b0 = performance.now();
    const synthetic = await ChunkVectorStore.build(embedder, vectors, vectors.map((_, i) => new Document({ pageContent: "", metadata: { chunkId: `s${i}` } })));
    const buildSeconds = (performance.now() - b0) / 1000;
    const synthQueries = syntheticVectors(200, dims, 200, 99);
    const h0 = performance.now();
    for (const q of synthQueries) await synthetic.search(q, 10);
    const hnswMs = (performance.now() - h0) / synthQueries.length;
    const e0 = performance.now();
    for (const q of synthQueries.slice(0, 20)) synthetic.exactSearch(q, 10);
    const exactMs = (performance.now() - e0) / 20;
    const syntheticRecall = await hnswRecall(synthetic, synthQueries);
    await embedder.dispose();

    // 5. Quality per mode.
    const quality = { zh: {}, en: {} } as RetrievalBench["quality"];
    for (const lang of ["zh", "en"] as const) {
      const subset = cases.filter((c) => c.lang === lang);
      for (const mode of modes) quality[lang][mode] = await measureQuality(index, subset, mode);
    }

    const result: RetrievalBench = {
      machine,
      corpus: { articles: index.core.articles.length, chunks: index.core.chunks.length },
      embedding: { model: index.embedding.model, kind: index.embedding.kind, dimensions: dims },
      build: { ingestSeconds: summary.seconds, stages: meta.stages },
      embeddingThroughput: { passagesPerSecond: (texts.length * rounds) / seconds, charsPerSecond: chars / seconds, queryMs: { p50: qs.p50, p95: qs.p95 } },
      searchLatencyMs: latency,
      hnswRecallAt10: { corpus: corpusRecall, synthetic: { points, dimensions: dims, recall: syntheticRecall, buildSeconds, exactMs, hnswMs } },
      quality,
    };

    print(`## Retrieval bench\n${machineLine(machine)}\n`);
    print(`Corpus: ${result.corpus.articles} articles, ${result.corpus.chunks} passages; embedding: ${result.embedding.model} (${result.embedding.kind}, ${dims} dimensions)\n`);
    print(markdownTable(["build stage", "seconds"], [...Object.entries(meta.stages).map(([k, v]) => [k, v.toFixed(2)]), ["whole ingest", summary.seconds.toFixed(2)]]));
    print("");
    print(markdownTable(["embedding", "figure"], [
      ["passages / s", result.embeddingThroughput.passagesPerSecond.toFixed(0)],
      ["characters / s", result.embeddingThroughput.charsPerSecond.toFixed(0)],
      ["one query p50 / p95 (ms)", `${ms(qs.p50)} / ${ms(qs.p95)}`],
    ]));
    print("");
    print(markdownTable(["search mode", "p50 ms", "p95 ms", "p99 ms", "queries"], Object.entries(latency).map(([m, l]) => [m, ms(l.p50), ms(l.p95), ms(l.p99), l.queries])));
    print("");
    print(markdownTable(["HNSW recall@10 vs exact", "recall", "note"], [
      ["corpus passages", corpusRecall.toFixed(3), `${result.corpus.chunks} vectors, ${liveQueries.length} eval questions`],
      ["synthetic, clustered", syntheticRecall.toFixed(3), `${points} × ${dims}: build ${buildSeconds.toFixed(1)} s, query ${ms(hnswMs)} ms vs exact ${ms(exactMs)} ms`],
    ]));
    print("");
    const rows: (string | number)[][] = [];
    for (const lang of ["zh", "en"] as const) {
      for (const [mode, q] of Object.entries(quality[lang])) rows.push([lang, mode, q.cases, q.hit1.toFixed(3), q.hit5.toFixed(3), q.mrr.toFixed(3)]);
    }
    print(markdownTable(["questions", "mode", "n", "hit@1", "hit@5", "MRR"], rows));
    print("");
    return result;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runRetrievalBench();
}
