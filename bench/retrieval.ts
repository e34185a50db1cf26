/**
 * The retrieval bench: index build time per stage, embedding throughput, search latency p50/p95
 * per mode, HNSW recall@10 against exact search (on the corpus and on a larger synthetic set),
 * retrieval quality (hit@1, hit@5, MRR) per mode and language on evals/qa.jsonl and
 * evals/heldout.jsonl (English questions both ways: embedded as written and through the dictionary),
 * and the fusion-weight grid: every weight pair scored on qa.jsonl (where weights are tuned), the
 * best and the profile's own checked on heldout.jsonl.
 *
 *   npx tsx bench/retrieval.ts        (or through `npm run bench`)
 *
 * Uses the embedding settings of the environment (EMBEDDING_BASE_URL, EMBEDDING_MODEL, MODELS_DIR …)
 * unless given others; builds into a temporary folder, never touching vectors/index.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runIngest } from "../ingest/build.ts";
import { readSettings, type EmbeddingSettings } from "../config/settings.ts";
import { readJson } from "../vectors/index-folder.ts";
import { HNSW_DIR, SEARCH_META_FILE, openSearchIndex, type OpenOptions, type SearchIndex } from "../vectors/search-index.ts";
import { indexEmbedder } from "../vectors/embedders.ts";
import { profileOf } from "../vectors/model-profiles.ts";
import { parseFusionWeights, type FusionWeights } from "../vectors/fusion.ts";
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
  corpus: { articles: number; chunks: number; sentences: number };
  embedding: { model: string; kind: string; provider: string; endpoint?: string; roles?: string; dimensions: number };
  build: { ingestSeconds: number; stages: Record<string, number> };
  embeddingThroughput: { passagesPerSecond: number; charsPerSecond: number; queryMs: { p50: number; p95: number } };
  /** `first`: each question asked once (its embedding computed); `repeated`: asked again (vector cached). */
  searchLatencyMs: Record<string, Record<"first" | "repeated", { p50: number; p95: number; p99: number; queries: number }>>;
  hnswRecallAt10: { corpus: number; synthetic: { points: number; dimensions: number; recall: number; buildSeconds: number; exactMs: number; hnswMs: number } };
  /** Per eval file, per language ("en-dictionary": English questions whose dense signal embeds the dictionary rendering), per mode. */
  quality: Record<string, Record<string, Record<string, Quality>>>;
  fusion: { inUse: FusionWeights; grid: FusionRow[] };
}

export interface FusionRow {
  weights: FusionWeights;
  qa: Quality;
  heldout?: Quality;
}

const EVAL_FILES = { qa: "qa.jsonl", heldout: "heldout.jsonl" } as const;
/** The grid: BM25 at weight 1, the dense weight and RRF's k0 varied. */
const GRID_DENSE = [0.1, 0.15, 0.25, 0.35, 0.5, 0.6, 0.75, 0.9, 1, 1.25, 1.5, 2];
const GRID_K0 = [1, 2, 3, 5, 10, 20, 60];

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

/** Orders grid rows: MRR, then hit@1, then hit@5. */
const better = (a: Quality, b: Quality) => b.mrr - a.mrr || b.hit1 - a.hit1 || b.hit5 - a.hit5;

export async function runRetrievalBench(opts: { log?: (line: string) => void; settings?: EmbeddingSettings } = {}): Promise<RetrievalBench> {
  const print = opts.log ?? ((line: string) => console.log(line));
  const settings = opts.settings ?? readSettings().embedding;
  const machine = describeMachine();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "retrieval-bench-"));
  try {
    // 1. Build.
    const summary = await runIngest({ corpusDir: path.join(ROOT, "corpus"), indexRoot: tmp, settings, force: true, log: () => {} });
    const meta = readJson<{ stages: Record<string, number> }>(path.join(summary.indexDir, SEARCH_META_FILE));
    const open = (extra: Partial<OpenOptions> = {}) => openSearchIndex(summary.indexDir, { settings, log: () => {}, ...extra });
    const index = await open();
    const texts = index.core.chunks.map(indexedText);
    const sentences = readJson<{ rows: unknown[] }>(path.join(summary.indexDir, "sentences.json")).rows.length;
    const remote = index.embedding.provider === "openai-compatible";

    // 2. Embedding throughput (passages as indexed) and single-query latency.
    const embedder = await indexEmbedder(index.dir, index.embedding, settings);
    await embedder.embedDocuments(texts.slice(0, remote ? 2 : 16));
    // An endpoint on this machine needs about a second per passage: one round is enough to measure it.
    const rounds = remote ? 1 : 3;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) await embedder.embedDocuments(texts);
    const seconds = (performance.now() - t0) / 1000;
    const chars = texts.reduce((n, t) => n + t.length, 0) * rounds;
    const caseSets = Object.fromEntries(Object.entries(EVAL_FILES).map(([name, file]) => [name, readQualityCases(path.join(ROOT, "evals", file))]));
    const cases = caseSets.qa;
    const questions = cases.map((c) => c.question);
    const queryTimes: number[] = [];
    const queryVectors: number[][] = [];
    for (const q of questions) {
      const s = performance.now();
      queryVectors.push(await embedder.embedQuery(q));
      queryTimes.push(performance.now() - s);
    }
    const qs = summarize(queryTimes);

    // 3. Search latency per mode: each question once on a freshly opened index (its vector computed),
    //    then twice more (the index's vector cache answers); warm-up on other text first.
    const modes: SearchMode[] = settings.reranker ? ["bm25", "dense", "hybrid", "rerank"] : ["bm25", "dense", "hybrid"];
    const latency: RetrievalBench["searchLatencyMs"] = {};
    const stats = (times: number[]) => {
      const sum = summarize(times);
      return { p50: sum.p50, p95: sum.p95, p99: sum.p99, queries: times.length };
    };
    for (const mode of modes) {
      const fresh = await open();
      for (const q of ["热身", "warm up", "辽宁", "营商环境", "金融"]) await fresh.search(q, { k: 5, mode });
      const first: number[] = [];
      const repeated: number[] = [];
      for (let r = 0; r < 3; r++) {
        for (const q of questions) {
          const s = performance.now();
          await fresh.search(q, { k: 5, mode });
          (r === 0 ? first : repeated).push(performance.now() - s);
        }
      }
      latency[mode] = { first: stats(first), repeated: stats(repeated) };
      await fresh.close();
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

    // 5. Quality per eval file, language and mode; English also with its dense signal through the dictionary.
    const dictionary = await open({ englishDense: "dictionary" });
    const quality: RetrievalBench["quality"] = {};
    for (const [name, set] of Object.entries(caseSets)) {
      quality[name] = {};
      for (const lang of ["zh", "en", "en-dictionary"] as const) {
        const subset = set.filter((c) => c.lang === lang.slice(0, 2));
        quality[name][lang] = {};
        for (const mode of modes) quality[name][lang][mode] = await measureQuality(lang === "en-dictionary" ? dictionary : index, subset, mode);
      }
      quality[name].all = {};
      for (const mode of modes) quality[name].all[mode] = await measureQuality(index, set, mode);
    }
    await dictionary.close();

    // 6. Fusion grid on qa.jsonl (all its questions), the best ten and the weights in use checked on heldout.jsonl.
    const inUse = parseFusionWeights(settings.hybridWeights, profileOf(index.embedding).fusion);
    const grid: FusionRow[] = [];
    for (const dense of GRID_DENSE) {
      for (const k0 of GRID_K0) {
        const weights = { dense, bm25: 1, k0 };
        grid.push({ weights, qa: await measureQuality(index, caseSets.qa, "hybrid", 10, weights) });
      }
    }
    grid.sort((a, b) => better(a.qa, b.qa));
    const same = (a: FusionWeights, b: FusionWeights) => a.dense === b.dense && a.bm25 === b.bm25 && a.k0 === b.k0;
    if (!grid.some((r) => same(r.weights, inUse))) grid.push({ weights: inUse, qa: await measureQuality(index, caseSets.qa, "hybrid", 10, inUse) });
    for (const row of grid.filter((r, i) => i < 10 || same(r.weights, inUse))) row.heldout = await measureQuality(index, caseSets.heldout, "hybrid", 10, row.weights);

    const result: RetrievalBench = {
      machine,
      corpus: { articles: index.core.articles.length, chunks: index.core.chunks.length, sentences },
      embedding: {
        model: index.embedding.model,
        kind: index.embedding.kind,
        provider: index.embedding.provider ?? "transformers.js",
        ...(index.embedding.endpoint ? { endpoint: index.embedding.endpoint, roles: index.embedding.roles } : {}),
        dimensions: dims,
      },
      build: { ingestSeconds: summary.seconds, stages: meta.stages },
      embeddingThroughput: { passagesPerSecond: (texts.length * rounds) / seconds, charsPerSecond: chars / seconds, queryMs: { p50: qs.p50, p95: qs.p95 } },
      searchLatencyMs: latency,
      hnswRecallAt10: { corpus: corpusRecall, synthetic: { points, dimensions: dims, recall: syntheticRecall, buildSeconds, exactMs, hnswMs } },
      quality,
      fusion: { inUse, grid },
    };
    await index.close();

    print(`## Retrieval bench\n${machineLine(machine)}\n`);
    const via = remote ? `endpoint ${index.embedding.endpoint}, roles as ${index.embedding.roles}` : result.embedding.kind;
    print(`Corpus: ${result.corpus.articles} articles, ${result.corpus.chunks} passages, ${sentences} sentences; embedding: ${result.embedding.model} (${via}, ${dims} dimensions)\n`);
    print(markdownTable(["build stage", "seconds"], [...Object.entries(meta.stages).map(([k, v]) => [k, v.toFixed(2)]), ["whole ingest", summary.seconds.toFixed(2)]]));
    print("");
    print(markdownTable(["embedding", "figure"], [
      ["passages / s", result.embeddingThroughput.passagesPerSecond.toFixed(0)],
      ["characters / s", result.embeddingThroughput.charsPerSecond.toFixed(0)],
      ["one query p50 / p95 (ms)", `${ms(qs.p50)} / ${ms(qs.p95)}`],
    ]));
    print("");
    print(markdownTable(
      ["search mode", "asked", "p50 ms", "p95 ms", "p99 ms", "queries"],
      Object.entries(latency).flatMap(([m, l]) => (["first", "repeated"] as const).map((when) => [m, when, ms(l[when].p50), ms(l[when].p95), ms(l[when].p99), l[when].queries])),
    ));
    print("");
    print(markdownTable(["HNSW recall@10 vs exact", "recall", "note"], [
      ["corpus passages", corpusRecall.toFixed(3), `${result.corpus.chunks} vectors, ${liveQueries.length} eval questions`],
      ["synthetic, clustered", syntheticRecall.toFixed(3), `${points} × ${dims}: build ${buildSeconds.toFixed(1)} s, query ${ms(hnswMs)} ms vs exact ${ms(exactMs)} ms`],
    ]));
    print("");
    const rows: (string | number)[][] = [];
    for (const [file, byLang] of Object.entries(quality)) {
      for (const [lang, byMode] of Object.entries(byLang)) {
        for (const [mode, q] of Object.entries(byMode)) rows.push([file, lang, mode, q.cases, q.hit1.toFixed(3), q.hit5.toFixed(3), q.mrr.toFixed(3)]);
      }
    }
    print(markdownTable(["eval", "questions", "mode", "n", "hit@1", "hit@5", "MRR"], rows));
    print("");
    const w = (f: FusionWeights) => `dense=${f.dense},bm25=${f.bm25},k0=${f.k0}`;
    const q3 = (q?: Quality) => (q ? `${q.hit1.toFixed(3)} / ${q.hit5.toFixed(3)} / ${q.mrr.toFixed(3)}` : "");
    print(`Fusion grid (hybrid; hit@1 / hit@5 / MRR), best ten on qa.jsonl of ${grid.length - (grid.some((r) => same(r.weights, inUse)) ? 0 : 1)}, and the weights in use (${w(inUse)}):\n`);
    print(markdownTable(
      ["weights", "qa.jsonl", "heldout.jsonl", ""],
      grid.filter((r) => r.heldout).map((r) => [w(r.weights), q3(r.qa), q3(r.heldout), same(r.weights, inUse) ? "in use" : ""]),
    ));
    print("");
    return result;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runRetrievalBench();
}
