/** Which embedding model to use, read from the environment (shared by the ingest and the server). */
import path from "node:path";

export interface EmbeddingSettings {
  /** transformers.js model id (e.g. "Xenova/bge-small-zh-v1.5"); undefined = train a model on the corpus. */
  model?: string;
  /** Folder searched for pretrained model folders: MODELS_DIR/<model id>/{config.json, tokenizer.json, onnx/…}. */
  modelsDir: string;
  /** Let transformers.js download from the hub (off unless ALLOW_REMOTE_MODELS=1). */
  allowRemote: boolean;
  /** Optional cross-encoder folder/id for reranking (RERANKER_MODEL). */
  reranker?: string;
  /** Hybrid fusion weights (HYBRID_WEIGHTS), e.g. "dense=0.5,bm25=1,k0=60"; unset = the tuned defaults. */
  hybridWeights?: string;
}

export function readEmbeddingSettings(env: NodeJS.ProcessEnv = process.env): EmbeddingSettings {
  const model = env.EMBEDDING_MODEL?.trim() || undefined;
  const reranker = env.RERANKER_MODEL?.trim() || undefined;
  return {
    model,
    modelsDir: path.resolve(env.MODELS_DIR?.trim() || "models"),
    allowRemote: env.ALLOW_REMOTE_MODELS === "1",
    reranker,
    hybridWeights: env.HYBRID_WEIGHTS?.trim() || undefined,
  };
}
