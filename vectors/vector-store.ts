/**
 * The dense half: chunk vectors in an HNSW graph (hnswlib-node), each vector's Document carrying the
 * chunk's metadata. It is a LangChain `SaveableVectorStore`, so LangChain code can use it
 * (`similaritySearch`, `asRetriever`) with the index's own embedder.
 *
 * Files in its folder, the same as LangChain community's HNSWLib writes (indexes built with it open
 * unchanged): args.json `{ space, numDimensions }`, docstore.json `[[label, Document], …]` and
 * hnswlib.index (hnswlib's own format).
 */
import fs from "node:fs/promises";
import path from "node:path";
import hnswlib, { type HierarchicalNSW } from "hnswlib-node";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { SaveableVectorStore } from "@langchain/core/vectorstores";
import type { Chunk } from "./types.ts";

export interface DenseHit {
  chunkId: string;
  /** cosine similarity (1 − HNSW cosine distance) */
  similarity: number;
}

/** Search breadth: hnswlib's default ef (10) is too small for recall at k = 10 and beyond. */
const EF_SEARCH = 100;

const FILES = { args: "args.json", docs: "docstore.json", index: "hnswlib.index" };

interface StoreArgs {
  space: "cosine";
  numDimensions: number;
}

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

export class ChunkVectorStore extends SaveableVectorStore {
  declare FilterType: (doc: DocumentInterface) => boolean;

  private constructor(
    embeddings: EmbeddingsInterface,
    private readonly args: StoreArgs,
    private readonly index: HierarchicalNSW,
    /** label (as a string, the docstore.json key) → Document */
    private readonly docs: Map<string, DocumentInterface>,
  ) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return "hnswlib";
  }

  get size(): number {
    return this.index.getCurrentCount();
  }

  get dimensions(): number {
    return this.index.getNumDimensions();
  }

  /** A store holding `vectors` (already embedded, one per Document), in that order. */
  static async build(embeddings: EmbeddingsInterface, vectors: number[][], docs: DocumentInterface[]): Promise<ChunkVectorStore> {
    if (!vectors.length) throw new Error("no vectors to index");
    const args: StoreArgs = { space: "cosine", numDimensions: vectors[0].length };
    const index = new hnswlib.HierarchicalNSW(args.space, args.numDimensions);
    // hnswlib's defaults (M 16, efConstruction 200, seed 100): the same graph as before for the same vectors.
    index.initIndex(vectors.length);
    const store = new ChunkVectorStore(embeddings, args, index, new Map());
    await store.addVectors(vectors, docs);
    index.setEf(EF_SEARCH);
    return store;
  }

  /** Opens a store saved by `save` (or by LangChain community's HNSWLib). */
  static override async load(dir: string, embeddings: EmbeddingsInterface): Promise<ChunkVectorStore> {
    const args = JSON.parse(await fs.readFile(path.join(dir, FILES.args), "utf8")) as StoreArgs;
    if (args.space !== "cosine" || !Number.isInteger(args.numDimensions) || args.numDimensions <= 0) {
      throw new Error(`${FILES.args} does not describe a cosine index`);
    }
    const index = new hnswlib.HierarchicalNSW(args.space, args.numDimensions);
    const [entries] = await Promise.all([
      fs.readFile(path.join(dir, FILES.docs), "utf8").then((s) => JSON.parse(s) as [string, DocumentInterface][]),
      index.readIndex(path.join(dir, FILES.index)),
    ]);
    const docs = new Map(entries.map(([label, d]) => [label, new Document({ pageContent: d.pageContent, metadata: d.metadata, id: d.id })]));
    index.setEf(EF_SEARCH);
    return new ChunkVectorStore(embeddings, args, index, docs);
  }

  async save(dir: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
    await this.index.writeIndex(path.join(dir, FILES.index));
    await fs.writeFile(path.join(dir, FILES.args), JSON.stringify(this.args));
    await fs.writeFile(path.join(dir, FILES.docs), JSON.stringify([...this.docs.entries()]));
  }

  /** Adds vectors after the ones already stored (labels continue from the current count). */
  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    if (vectors.length !== documents.length) throw new Error("vectors and documents must have the same length");
    if (vectors.some((v) => v.length !== this.args.numDimensions)) throw new Error(`vectors must have ${this.args.numDimensions} dimensions`);
    const first = this.index.getCurrentCount();
    if (first + vectors.length > this.index.getMaxElements()) this.index.resizeIndex(first + vectors.length);
    vectors.forEach((v, i) => {
      this.index.addPoint(v, first + i);
      this.docs.set(String(first + i), documents[i]);
    });
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    await this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
  }

  /** LangChain's search: [Document, cosine distance] pairs, nearest first. */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this["FilterType"]): Promise<[DocumentInterface, number][]> {
    if (query.length !== this.args.numDimensions) throw new Error(`the query vector must have ${this.args.numDimensions} dimensions`);
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    const keep = filter ? (label: number) => filter(this.document(label)) : undefined;
    const { neighbors, distances } = this.index.searchKnn(query, n, keep);
    return neighbors.map((label, i) => [this.document(label), distances[i]]);
  }

  async search(vector: number[], k: number): Promise<DenseHit[]> {
    const results = await this.similaritySearchVectorWithScore(vector, k);
    return results.map(([doc, distance]) => ({ chunkId: doc.metadata.chunkId as string, similarity: 1 - distance }));
  }

  private document(label: number): DocumentInterface {
    const doc = this.docs.get(String(label));
    if (!doc) throw new Error(`${FILES.docs} has no entry for vector ${label}`);
    return doc;
  }

  private exact?: { ids: string[]; vectors: Float32Array; dims: number };

  /** Exact cosine search over the stored vectors (for measuring HNSW recall); copies them out once. */
  exactSearch(vector: number[], k: number): DenseHit[] {
    if (!this.exact) {
      const labels = this.index.getIdsList();
      const dims = this.dimensions;
      const vectors = new Float32Array(labels.length * dims);
      const ids = labels.map((label, row) => {
        const v = this.index.getPoint(label);
        let norm = 0;
        for (let i = 0; i < dims; i++) norm += v[i] * v[i];
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < dims; i++) vectors[row * dims + i] = v[i] / norm;
        return this.document(label).metadata.chunkId as string;
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
