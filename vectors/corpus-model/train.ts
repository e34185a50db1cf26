/**
 * Trains the offline embedding model on the corpus itself: word vectors from PPMI + truncated SVD
 * over sentence windows, with character bigrams of each token as extra features (so 强省 and
 * 清洁能源强省 share something), each row weighted by IDF (stopwords 0) so the pooled mean of a
 * passage is not dominated by common words. Written as a standard transformers.js model folder.
 */
import fs from "node:fs";
import path from "node:path";
import type { Segmenter } from "../segmenter.ts";
import { isStopword } from "../stopwords.ts";
import { ModelTokenizer, PAD, UNK } from "./model-tokenizer.ts";
import { randomizedSvd, type SparseMatrix } from "./svd.ts";
import { embeddingTableOnnx } from "./onnx-writer.ts";

export const TRAINED_MODEL_ID = "corpus-embedder";

export interface TrainOptions {
  dimensions: number;
  /** Context window (tokens each side) inside a sentence. */
  window: number;
  /** Weight of a token's own character bigrams as its features, relative to one neighbour. */
  subwordWeight: number;
  /** Context-distribution smoothing exponent of PPMI. */
  alpha: number;
  /** Subtract the frequency-weighted mean word vector (the direction every passage shares). */
  center: boolean;
}

export const DEFAULT_TRAIN: TrainOptions = { dimensions: 192, window: 10, subwordWeight: 2, alpha: 0.75, center: true };

export interface TrainedModel {
  tokenizer: ModelTokenizer;
  dimensions: number;
  /** vocab × dimensions, row-major */
  table: Float32Array;
}

const CJK_ONLY = /^[\u3400-\u9fff]+$/;
const ASCII = /^[a-z0-9]{2,}$/;

function buildVocabulary(texts: readonly string[], seg: Segmenter): string[] {
  const words = new Set<string>();
  const chars = new Set<string>();
  for (const text of texts) {
    for (const w of seg.cut(text)) {
      if (CJK_ONLY.test(w)) {
        for (const ch of w) chars.add(ch);
        if (w.length > 1) {
          words.add(w);
          for (const s of seg.subwords(w)) words.add(s);
        }
      } else if (ASCII.test(w)) {
        words.add(w);
      }
    }
  }
  return [PAD, UNK, ...[...words].sort(), ...[...chars].filter((c) => !words.has(c)).sort()];
}

function sentences(text: string): string[] {
  return text.split(/[。！？；;!?\n]+/).filter((s) => s.trim());
}

export function trainCorpusEmbeddings(texts: readonly string[], seg: Segmenter, opts: Partial<TrainOptions> = {}): TrainedModel {
  const o = { ...DEFAULT_TRAIN, ...opts };
  const tokenizer = new ModelTokenizer(buildVocabulary(texts, seg));
  const vocab = tokenizer.vocab;
  const V = vocab.length;
  const skip = vocab.map((t, i) => i < 2 || isStopword(t));

  // Features: neighbour tokens (ids 0..V-1) and character bigrams / single characters (ids V..).
  const subFeature = new Map<string, number>();
  const subFeaturesOf: number[][] = vocab.map((t, i) => {
    if (skip[i]) return [];
    const grams = t.length === 1 ? [t] : Array.from({ length: t.length - 1 }, (_, j) => t.slice(j, j + 2));
    return grams.map((g) => {
      let id = subFeature.get(g);
      if (id === undefined) subFeature.set(g, (id = V + subFeature.size));
      return id;
    });
  });

  const counts: Map<number, number>[] = Array.from({ length: V }, () => new Map());
  const df = new Float64Array(V);
  const add = (w: number, c: number, x: number) => counts[w].set(c, (counts[w].get(c) ?? 0) + x);
  for (const text of texts) {
    const seen = new Set<number>();
    for (const sentence of sentences(text)) {
      const ids = tokenizer.encode(sentence);
      for (let i = 0; i < ids.length; i++) {
        const w = ids[i];
        seen.add(w);
        if (skip[w]) continue;
        for (const f of subFeaturesOf[w]) add(w, f, o.subwordWeight);
        for (let j = Math.max(0, i - o.window); j <= Math.min(ids.length - 1, i + o.window); j++) {
          if (j !== i && !skip[ids[j]]) add(w, ids[j], 1 / Math.abs(i - j));
        }
      }
    }
    for (const w of seen) df[w]++;
  }

  // PPMI with context smoothing, as a CSR matrix.
  const cols = V + subFeature.size;
  const rowSum = new Float64Array(V);
  const colSum = new Float64Array(cols);
  let total = 0;
  counts.forEach((row, w) => {
    for (const [c, x] of row) {
      rowSum[w] += x;
      colSum[c] += x;
      total += x;
    }
  });
  const colPow = colSum.map((x) => x ** o.alpha);
  const colPowTotal = colPow.reduce((a, b) => a + b, 0);
  // Only rows and columns that hold something go into the SVD (a third of the vocabulary, e.g.
  // sub-words that max-match never produces, has no co-occurrences at all).
  const colMap = new Int32Array(cols).fill(-1);
  let usedCols = 0;
  const rowOf: number[] = [];
  const rowPtr: number[] = [0];
  const colIdx: number[] = [];
  const values: number[] = [];
  counts.forEach((row, w) => {
    const before = colIdx.length;
    for (const [c, x] of row) {
      const pmi = Math.log((x / total) / ((rowSum[w] / total) * (colPow[c] / colPowTotal)));
      if (pmi > 0) {
        if (colMap[c] < 0) colMap[c] = usedCols++;
        colIdx.push(colMap[c]);
        values.push(pmi);
      }
    }
    if (colIdx.length > before) {
      rowOf.push(w);
      rowPtr.push(colIdx.length);
    }
  });
  const matrix: SparseMatrix = {
    rows: rowOf.length, cols: usedCols, rowPtr: Int32Array.from(rowPtr), colIdx: Int32Array.from(colIdx), values: Float32Array.from(values),
  };
  // A corpus with no co-occurrences at all (a few stopwords) still gets a valid, one-dimensional model.
  const svd = matrix.rows > 0 ? randomizedSvd(matrix, o.dimensions, { powerIterations: 1, oversample: 10 }) : { u: new Float64Array(0), s: new Float64Array(1), k: 1 };
  const k = svd.k;

  // Rows: U·√S, centered, unit length, then scaled by IDF over passages (stopwords and specials: 0).
  const rows = new Float64Array(V * k);
  rowOf.forEach((w, r) => {
    for (let c = 0; c < k; c++) rows[w * k + c] = svd.u[r * k + c] * Math.sqrt(svd.s[c]);
  });
  const unit = (w: number) => {
    let norm = 0;
    for (let c = 0; c < k; c++) norm += rows[w * k + c] ** 2;
    norm = Math.sqrt(norm);
    if (norm > 1e-12) for (let c = 0; c < k; c++) rows[w * k + c] /= norm;
    return norm > 1e-12;
  };
  const live = vocab.map((_, w) => !skip[w] && df[w] > 0 && unit(w));
  if (o.center) {
    const mean = new Float64Array(k);
    let mass = 0;
    for (let w = 0; w < V; w++) if (live[w]) {
      for (let c = 0; c < k; c++) mean[c] += rowSum[w] * rows[w * k + c];
      mass += rowSum[w];
    }
    for (let w = 0; w < V; w++) if (live[w]) {
      for (let c = 0; c < k; c++) rows[w * k + c] -= mean[c] / mass;
      unit(w);
    }
  }
  const table = new Float32Array(V * k);
  const n = texts.length;
  for (let w = 0; w < V; w++) {
    if (!live[w]) continue;
    const idf = Math.log((n + 1) / (df[w] + 0.5));
    for (let c = 0; c < k; c++) table[w * k + c] = rows[w * k + c] * idf;
  }
  return { tokenizer, dimensions: k, table };
}

/** Writes <root>/corpus-embedder/{config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx}. */
export function writeModelFolder(root: string, model: TrainedModel, id = TRAINED_MODEL_ID): string {
  const dir = path.join(root, id);
  fs.mkdirSync(path.join(dir, "onnx"), { recursive: true });
  const V = model.tokenizer.vocab.length;
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({
    model_type: "bert",
    architectures: ["BertModel"],
    hidden_size: model.dimensions,
    vocab_size: V,
    corpus_embedder: { trainer: "ppmi-svd", pooling: "mean", normalize: true },
  }, null, 1));
  fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(model.tokenizer.toTokenizerJson()));
  fs.writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify(ModelTokenizer.tokenizerConfig(), null, 1));
  fs.writeFileSync(path.join(dir, "onnx", "model.onnx"), embeddingTableOnnx(model.table, V, model.dimensions));
  return dir;
}
