/**
 * Loading transformers.js models from a folder, one place for every model this project uses
 * (the corpus-trained embedder, pretrained embedders, cross-encoder rerankers).
 * transformers.js reads its model root from a global `env`, so loads are serialized.
 */
import fs from "node:fs";
import path from "node:path";
import { env } from "@huggingface/transformers";
// The same runtime transformers.js runs on (its exact pin); used to check a model file on its own.
import ort from "onnxruntime-node";

export interface ModelLocation {
  /** Model id, e.g. "Xenova/bge-small-zh-v1.5": the folder <root>/<id>/ */
  id: string;
  /** Folder holding model folders (MODELS_DIR, or <index>/model for the trained one). */
  root: string;
  /** Allow downloading from the hub when the folder is absent. */
  allowRemote: boolean;
}

/** The files a transformers.js model folder needs (besides tokenizer_config.json, which is optional-ish). */
export const MODEL_FILES = ["config.json", "tokenizer.json", "onnx/model.onnx"];

/** Files missing from <root>/<id>/, empty when the folder is complete. */
export function missingModelFiles(loc: Pick<ModelLocation, "id" | "root">): string[] {
  const dir = path.join(loc.root, loc.id);
  return MODEL_FILES.filter((f) => !fs.existsSync(path.join(dir, f)));
}

export class ModelUnavailableError extends Error {
  override name = "ModelUnavailableError";
}

/** The message shown when a configured model cannot be loaded: where we looked and how to fix it. */
export function unavailableMessage(loc: ModelLocation, missing: string[], what = "model"): string {
  const dir = path.join(loc.root, loc.id);
  return (
    `${what} "${loc.id}" not found: looked in ${dir} (missing ${missing.join(", ")}). ` +
    `Provide it by downloading its ONNX export (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) ` +
    `into ${dir}/ (MODELS_DIR=${loc.root}), or set ALLOW_REMOTE_MODELS=1 to let transformers.js download it.`
  );
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Whether transformers.js has created an ONNX session in this process yet. Until it has, a failed
 * session would poison every later one: it keeps the first session promise and awaits it before each
 * new session (`createInferenceSession`: `wasmInitPromise ??= sessionPromise`), so after a damaged
 * model.onnx even a freshly written model fails with the old file's error, and a rebuild could never
 * replace it. So the model files of every load are opened by ONNX Runtime directly first, until one
 * load has succeeded through transformers.js.
 */
let sessionPrimed = false;

/** The ONNX files a load may open, that exist locally (a remote download is checked by transformers.js as it arrives). */
function localOnnxFiles(loc: Pick<ModelLocation, "id" | "root">): string[] {
  const file = path.join(loc.root, loc.id, "onnx", "model.onnx");
  return fs.existsSync(file) ? [file] : [];
}

/** Opens each ONNX file with ONNX Runtime itself and releases it; throws with the runtime's message when one is damaged. */
async function checkOnnxFiles(files: string[]): Promise<void> {
  for (const file of files) {
    const session = await ort.InferenceSession.create(file);
    await session.release();
  }
}

/**
 * Runs `load` with transformers.js pointed at `loc` (local root, remote on/off).
 * Throws ModelUnavailableError (with the message above) when the folder is incomplete and remote is off.
 */
export function withModelEnv<T>(loc: ModelLocation, load: () => Promise<T>, what = "model"): Promise<T> {
  const run = async () => {
    const missing = missingModelFiles(loc);
    if (missing.length && !loc.allowRemote) throw new ModelUnavailableError(unavailableMessage(loc, missing, what));
    env.allowLocalModels = true;
    env.localModelPath = loc.root.endsWith(path.sep) ? loc.root : loc.root + path.sep;
    env.allowRemoteModels = loc.allowRemote;
    // transformers.js caches a download at <cacheDir>/<id>/<file>: the same layout as a local model
    // folder, so a model fetched once (ALLOW_REMOTE_MODELS=1) loads offline from MODELS_DIR afterwards.
    if (loc.allowRemote) env.cacheDir = loc.root;
    try {
      if (!sessionPrimed) await checkOnnxFiles(localOnnxFiles(loc));
      const loaded = await load();
      sessionPrimed = true;
      return loaded;
    } catch (err) {
      if (err instanceof ModelUnavailableError) throw err;
      throw new ModelUnavailableError(`${what} "${loc.id}" could not be loaded from ${path.join(loc.root, loc.id)}: ${(err as Error).message}`, { cause: err });
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
