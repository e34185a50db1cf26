/**
 * Embedded texts kept in the index folder as they came from the model: `<name>.json` (each row's
 * passage index and text) and `<name>.bin` (Float32 rows, unit length). Two sets per index:
 *
 *   passages   each chunk's indexed text (the vectors the HNSW store is built from)
 *   sentences  every sentence of every passage, in the passage role
 *
 * Why sentences: a question usually asks about one sentence of a passage, and a passage vector
 * averages that sentence with the rest. The dense score of a passage adds its best sentence's
 * similarity to its own (measured on evals/qa.jsonl with multilingual-e5-small: dense hit@1 0.65 →
 * 0.85; see the README). The same vectors answer the answer engine's sentence similarity without
 * asking the model again. Searched exactly (one pass over the rows): ~600 sentences for the seed
 * corpus, ~60,000 at 100× it, milliseconds either way.
 *
 * Why keep passage vectors too: the next build reuses the vector of every text it already embedded
 * with the same model (an endpoint on a CPU needs about a second per passage), see `reusable`.
 */
import fs from "node:fs";
import path from "node:path";
import type { Chunk, EmbeddingInfo } from "./types.ts";
import { IndexDamagedError, readJson, writeJson } from "./index-folder.ts";
import { passageSentences } from "../text/passages.ts";
import { unit } from "./vector-cache.ts";

export type VectorSet = "passages" | "sentences";

interface RowsJson {
  dimensions: number;
  /** [chunk index, text] in row order. */
  rows: [number, string][];
  /** The model that made them (reuse is only between builds of the same model). */
  embedding: EmbeddingInfo;
}

/** Shorter pieces (a lone "12." or "一、") say nothing a question could match. */
const MIN_CHARS = 4;

/** A chunk's sentences by the one sentence rule, from the offsets the ingest stored with it (text/passages.ts). */
export function chunkSentences(chunk: Chunk): string[] {
  return passageSentences(chunk)
    .map((s) => s.text.trim())
    .filter((t) => t.length >= MIN_CHARS);
}

const files = (dir: string, set: VectorSet) => ({ json: path.join(dir, `${set}.json`), bin: path.join(dir, `${set}.bin`) });

/** The file names of a vector set (for hasSearchIndex). */
export function vectorSetFiles(set: VectorSet): string[] {
  return [`${set}.json`, `${set}.bin`];
}

export class TextVectors {
  private readonly byText = new Map<string, number>();

  constructor(
    readonly dimensions: number,
    readonly rows: readonly [number, string][],
    private readonly vectors: Float32Array,
  ) {
    rows.forEach(([, text], r) => {
      if (!this.byText.has(text)) this.byText.set(text, r);
    });
  }

  get size(): number {
    return this.rows.length;
  }

  /**
   * Embeds the rows' texts with `embed`, except those `reuse` already holds (same model, same text).
   * `embed` gets only the texts still missing, in row order.
   */
  static async build(rows: [number, string][], embed: (texts: string[]) => Promise<number[][]>, reuse?: TextVectors): Promise<TextVectors> {
    const missing = [...new Set(rows.map(([, t]) => t).filter((t) => !reuse?.vectorOf(t)))];
    const fresh = missing.length ? await embed(missing) : [];
    const made = new Map(missing.map((t, i) => [t, fresh[i]]));
    const dimensions = fresh[0]?.length ?? reuse?.dimensions ?? 0;
    const flat = new Float32Array(rows.length * dimensions);
    rows.forEach(([, t], r) => {
      const v = made.get(t) ?? reuse!.vectorOf(t)!;
      if (v.length !== dimensions) throw new Error(`the embedding model gave ${v.length} dimensions after ${dimensions}`);
      flat.set(made.has(t) ? unit(Array.from(v)) : v, r * dimensions);
    });
    return new TextVectors(dimensions, rows, flat);
  }

  /** The rows of a vector set for these chunks: indexed texts (passages) or their sentences. */
  static rowsFor(set: VectorSet, chunks: readonly Chunk[], indexed: (c: Chunk) => string): [number, string][] {
    if (set === "passages") return chunks.map((c, i) => [i, indexed(c)]);
    return chunks.flatMap((c, i) => chunkSentences(c).map((t): [number, string] => [i, t]));
  }

  /** Row r's vector (a view, not a copy). */
  row(r: number): Float32Array {
    return this.vectors.subarray(r * this.dimensions, (r + 1) * this.dimensions);
  }

  save(dir: string, set: VectorSet, embedding: EmbeddingInfo): void {
    // Vectors first, the JSON that describes them last (its presence marks the pair complete).
    const f = files(dir, set);
    fs.writeFileSync(`${f.bin}.tmp`, new Uint8Array(this.vectors.buffer, this.vectors.byteOffset, this.vectors.byteLength));
    fs.renameSync(`${f.bin}.tmp`, f.bin);
    writeJson(f.json, { dimensions: this.dimensions, rows: this.rows as [number, string][], embedding } satisfies RowsJson);
  }

  /** Reads a set back; throws IndexDamagedError when missing, truncated or not matching the index. */
  static load(dir: string, set: VectorSet, expect: { dimensions: number; chunks: number }): TextVectors {
    const f = files(dir, set);
    const meta = readJson<RowsJson>(f.json);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(f.bin);
    } catch (err) {
      throw new IndexDamagedError(`${path.basename(f.bin)} is missing in ${dir}`, { cause: err });
    }
    const ok =
      Array.isArray(meta.rows) &&
      (meta.rows.length === 0 || meta.dimensions === expect.dimensions) &&
      buf.byteLength === meta.rows.length * meta.dimensions * 4 &&
      meta.rows.every((r) => Array.isArray(r) && Number.isInteger(r[0]) && r[0] >= 0 && r[0] < expect.chunks && typeof r[1] === "string");
    if (!ok) throw new IndexDamagedError(`${path.basename(f.json)}/${path.basename(f.bin)} in ${dir} do not match the index (truncated or damaged)`);
    const vectors = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    return new TextVectors(meta.dimensions, meta.rows, vectors);
  }

  /**
   * A previous build's set, when the same model made it the same way (provider, model, roles,
   * prefixes, dimensions); undefined otherwise or when unreadable (then everything is embedded anew).
   */
  static reusable(dir: string | null | undefined, set: VectorSet, embedding: EmbeddingInfo): TextVectors | undefined {
    if (!dir) return undefined;
    try {
      const meta = readJson<RowsJson>(files(dir, set).json);
      const a = meta.embedding;
      const same =
        a && (a.provider ?? "transformers.js") === (embedding.provider ?? "transformers.js") && a.kind === "pretrained" && embedding.kind === "pretrained" &&
        a.model === embedding.model && a.roles === embedding.roles && a.queryPrefix === embedding.queryPrefix &&
        a.passagePrefix === embedding.passagePrefix && a.dimensions === embedding.dimensions;
      if (!same) return undefined;
      return TextVectors.load(dir, set, { dimensions: embedding.dimensions, chunks: Number.MAX_SAFE_INTEGER });
    } catch {
      return undefined;
    }
  }

  /** The vector of a row with exactly this text, if there is one. */
  vectorOf(text: string): Float32Array | undefined {
    const r = this.byText.get(text);
    return r === undefined ? undefined : this.row(r);
  }

  /** Each chunk's best row similarity to a query vector; chunks without rows are absent. */
  bestPerChunk(query: ArrayLike<number>): Map<number, number> {
    const q = unit(Array.from(query));
    const best = new Map<number, number>();
    const d = this.dimensions;
    for (let r = 0; r < this.rows.length; r++) {
      let dot = 0;
      const off = r * d;
      for (let i = 0; i < d; i++) dot += this.vectors[off + i] * q[i];
      const chunk = this.rows[r][0];
      const prev = best.get(chunk);
      if (prev === undefined || dot > prev) best.set(chunk, dot);
    }
    return best;
  }
}
