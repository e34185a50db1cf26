/**
 * Which embedder the settings ask for, one place for the three kinds: an OpenAI-compatible endpoint
 * (EMBEDDING_BASE_URL + EMBEDDING_MODEL), a local transformers.js model folder (EMBEDDING_MODEL), or the
 * model the ingest trains on the corpus (neither). All are LangChain `Embeddings` with the same calls.
 */
import path from "node:path";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { EmbeddingSettings } from "../config/settings.ts";
import type { EmbeddingInfo } from "./types.ts";
import type { Segmenter } from "./segmenter.ts";
import { Embedder } from "./embedder.ts";
import { EndpointEmbedder, type EndpointOptions } from "./endpoint-embedder.ts";
import { ModelUnavailableError } from "./model-loader.ts";
import { TRAINED_PROFILE } from "./model-profiles.ts";
import { TRAINED_MODEL_ID, trainCorpusEmbeddings, writeModelFolder } from "./corpus-model/train.ts";

/** What every embedder offers: query and passage roles, its description, and release of native sessions. */
export interface TextEmbedder extends EmbeddingsInterface {
  readonly info: EmbeddingInfo;
  embedQuery(text: string, signal?: AbortSignal): Promise<number[]>;
  embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<number[][]>;
  dispose(): Promise<void>;
}

/** Where the trained model is written inside an index folder. */
export const MODEL_DIR = "model";

/** The endpoint part of the settings (only meaningful when baseUrl and model are set). */
export function endpointOptions(settings: EmbeddingSettings): EndpointOptions {
  return { baseUrl: settings.baseUrl!, apiKey: settings.apiKey, model: settings.model!, batchSize: settings.batchSize, timeoutMs: settings.timeoutMs };
}

/**
 * The embedder that makes a new index's vectors. An endpoint that cannot be used throws
 * EmbeddingEndpointError (the build stops; the previous index keeps serving). A local model that is
 * missing is reported through `log` and the corpus-trained model is used instead.
 */
export async function buildEmbedder(opts: {
  settings: EmbeddingSettings;
  /** The index folder being built (the trained model goes into <dir>/model). */
  dir: string;
  texts: string[];
  seg: Segmenter;
  log: (msg: string) => void;
}): Promise<TextEmbedder> {
  const { settings } = opts;
  if (settings.baseUrl && settings.model) return EndpointEmbedder.connect(endpointOptions(settings));
  if (settings.model) {
    try {
      return await Embedder.load({ id: settings.model, root: settings.modelsDir, allowRemote: settings.allowRemote }, "pretrained");
    } catch (err) {
      if (!(err instanceof ModelUnavailableError)) throw err;
      opts.log(`${err.message} Falling back to an embedding model trained on the corpus.`);
    }
  }
  const model = trainCorpusEmbeddings(opts.texts, opts.seg);
  const root = path.join(opts.dir, MODEL_DIR);
  writeModelFolder(root, model);
  const trained = await Embedder.load({ id: TRAINED_MODEL_ID, root, allowRemote: false }, "trained", TRAINED_PROFILE);
  if (settings.model) trained.info.fallbackFrom = settings.model;
  return trained;
}

/**
 * The embedder that made an index's vectors, to search it: the trained model from the index folder,
 * the local model from MODELS_DIR, or the endpoint (not contacted here; see EndpointEmbedder.probe).
 * Throws ModelUnavailableError when a model cannot be loaded.
 */
export async function indexEmbedder(dir: string, embedding: EmbeddingInfo, settings: EmbeddingSettings): Promise<TextEmbedder> {
  if (embedding.provider === "openai-compatible") return EndpointEmbedder.forIndex(endpointOptions(settings), embedding);
  if (embedding.kind === "trained") return Embedder.load({ id: TRAINED_MODEL_ID, root: path.join(dir, MODEL_DIR), allowRemote: false }, "trained", embedding);
  return Embedder.load({ id: embedding.model, root: settings.modelsDir, allowRemote: settings.allowRemote }, "pretrained", embedding);
}
