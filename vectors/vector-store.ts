/**
 * The dense half: chunk vectors in LangChain's HNSWLib (hnswlib-node), saved in the index folder
 * (args.json, docstore.json, hnswlib.index), each vector's Document carrying the chunk's metadata.
 */
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Chunk } from "./types.ts";

export interface DenseHit {
  chunkId: string;
  /** cosine similarity (1 − HNSW cosine distance) */
  similarity: number;
}

/** Search breadth: hnswlib's default ef (10) is too small for recall at k = 10 and beyond. */
const EF_SEARCH = 100;

export function chunkDocument(chunk: Chunk, pageContent: string): Document {
  return new Document({
    pageContent,
    metadata: {
      chunkId: chunk.id,
      articleId: chunk.articleId,
      title: chunk.title,
      headingPath: chunk.headingPath,
      ...(chunk.itemNo !== undefined ? { itemNo: chunk.itemNo } : {}),
      ...(chunk.part ? { part: chunk.part } : {}),
      start: chunk.start,
      end: chunk.end,
    },
  });
}

export class ChunkVectorStore {
  private constructor(readonly store: HNSWLib) {}

  get size(): number {
    return this.store.index.getCurrentCount();
  }

  static async build(embeddings: EmbeddingsInterface, vectors: number[][], docs: Document[]): Promise<ChunkVectorStore> {
    if (!vectors.length) throw new Error("no vectors to index");
    const store = new HNSWLib(embeddings, { space: "cosine", numDimensions: vectors[0].length });
    await store.addVectors(vectors, docs);
    store.index.setEf(EF_SEARCH);
    return new ChunkVectorStore(store);
  }

  static async load(dir: string, embeddings: EmbeddingsInterface): Promise<ChunkVectorStore> {
    const store = await HNSWLib.load(dir, embeddings);
    store.index.setEf(EF_SEARCH);
    return new ChunkVectorStore(store);
  }

  async save(dir: string): Promise<void> {
    await this.store.save(dir);
  }

  get dimensions(): number {
    return this.store.index.getNumDimensions();
  }

  async search(vector: number[], k: number): Promise<DenseHit[]> {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    const results = await this.store.similaritySearchVectorWithScore(vector, n);
    return results.map(([doc, distance]) => ({ chunkId: doc.metadata.chunkId as string, similarity: 1 - distance }));
  }

  private exact?: { ids: string[]; vectors: Float32Array; dims: number };

  /** Exact cosine search over the stored vectors (for measuring HNSW recall); copies them out once. */
  exactSearch(vector: number[], k: number): DenseHit[] {
    if (!this.exact) {
      const index = this.store.index;
      const labels = index.getIdsList();
      const dims = index.getNumDimensions();
      const vectors = new Float32Array(labels.length * dims);
      const ids = labels.map((label, row) => {
        const v = index.getPoint(label);
        let norm = 0;
        for (let i = 0; i < dims; i++) norm += v[i] * v[i];
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < dims; i++) vectors[row * dims + i] = v[i] / norm;
        return (this.store.docstore.search(String(label)) as Document).metadata.chunkId as string;
      });
      this.exact = { ids, vectors, dims };
    }
    const { ids, vectors, dims } = this.exact;
    const qn = Math.hypot(...vector) || 1;
    const sims = new Float64Array(ids.length);
    for (let r = 0; r < ids.length; r++) {
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += vectors[r * dims + i] * vector[i];
      sims[r] = dot / qn;
    }
    return [...sims.keys()]
      .sort((a, b) => sims[b] - sims[a])
      .slice(0, k)
      .map((r) => ({ chunkId: ids[r], similarity: sims[r] }));
  }
}
