/**
 * The one embedder: a transformers.js `feature-extraction` pipeline over a model folder.
 * Pretrained models (bge, e5 …) and the corpus-trained model load through exactly this code.
 * Also a LangChain `Embeddings`, so the HNSW store and LangChain users can call it.
 */
import { Embeddings } from "@langchain/core/embeddings";
import { pipeline, type FeatureExtractionPipeline } from "@huggingface/transformers";
import type { EmbeddingInfo } from "./types.ts";
import { profileFor, type ModelProfile } from "./model-profiles.ts";
import { withModelEnv, type ModelLocation } from "./model-loader.ts";

const BATCH = 16;

/** What running a model needs from its profile (an index's EmbeddingInfo carries the same fields). */
type EmbeddingRecipe = Pick<ModelProfile, "pooling" | "normalize" | "queryPrefix" | "passagePrefix">;

export class Embedder extends Embeddings {
  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    readonly info: EmbeddingInfo,
  ) {
    super({});
  }

  /**
   * Loads <root>/<id>/ (remote loading only when loc.allowRemote). `profile` overrides the
   * known-model table (the trained model declares its own).
   */
  static async load(loc: ModelLocation, kind: EmbeddingInfo["kind"], profile: EmbeddingRecipe = profileFor(loc.id)): Promise<Embedder> {
    const extractor = await withModelEnv(loc, async () => {
      const p = await pipeline("feature-extraction", loc.id, { dtype: "fp32" });
      return p as FeatureExtractionPipeline;
    }, "embedding model");
    const probe = await extractor("维度", { pooling: profile.pooling, normalize: profile.normalize });
    const dimensions = probe.dims[probe.dims.length - 1];
    const { pooling, normalize, queryPrefix, passagePrefix } = profile;
    const info: EmbeddingInfo = { model: kind === "trained" ? "trained" : loc.id, kind, provider: "transformers.js", dimensions, pooling, normalize, queryPrefix, passagePrefix };
    return new Embedder(extractor, info);
  }

  private async run(texts: string[]): Promise<number[][]> {
    const out = await this.extractor(texts, { pooling: this.info.pooling, normalize: this.info.normalize });
    // A text with no known token pools to 0/0: report it as the zero vector, never NaN.
    return (out.tolist() as number[][]).map((v) => (v.every(Number.isFinite) ? v : v.map(() => 0)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.run([this.info.queryPrefix + text]))[0];
  }

  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH).map((t) => this.info.passagePrefix + t);
      vectors.push(...(await this.run(batch)));
      onProgress?.(vectors.length, texts.length);
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}
