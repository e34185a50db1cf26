/**
 * Loading transformers.js models from a folder, one place for every model this project uses
 * (the corpus-trained embedder, pretrained embedders, cross-encoder rerankers).
 * transformers.js reads its model root from a global `env`, so loads are serialized.
 */
import fs from "node:fs";
import path from "node:path";
import { env } from "@huggingface/transformers";

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
      return await load();
    } catch (err) {
      if (err instanceof ModelUnavailableError) throw err;
      throw new ModelUnavailableError(`${what} "${loc.id}" could not be loaded from ${path.join(loc.root, loc.id)}: ${(err as Error).message}`, { cause: err });
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
