/**
 * The generators behind one interface, chosen by settings: an OpenAI-compatible endpoint when
 * LLM_BASE_URL is set, a GGUF model run in-process when LLM_MODEL_PATH is, otherwise the offline
 * extractive composer.
 */
import type { GeneratorSettings } from "../../config/settings.ts";
import type { Progress } from "../../vectors/types.ts";
import type { GenerateInput, GeneratedPiece, Generator } from "./types.ts";
import { composeExtractive } from "./extractive.ts";
import { extractivePieces } from "./extractive-pieces.ts";
import { createLlmGenerator } from "./llm.ts";
import { segmenterFor } from "../../vectors/segmenter.ts";
import { analyzeQuestion, answerContext } from "./analysis.ts";
import { assessQuestion } from "./evidence.ts";

export type { Generator } from "./types.ts";
export type { GeneratorSettings } from "../../config/settings.ts";

/**
 * The generator the settings select, for those that need no loading (an endpoint, or none). A GGUF
 * model loads at start: use openGenerator.
 */
export function createGenerator(settings: GeneratorSettings): Generator {
  if (settings.llmModelPath) throw new Error("LLM_MODEL_PATH is set: the model has to be loaded first (openGenerator)");
  if (settings.llmBaseUrl && settings.llmModel) {
    return createLlmGenerator({
      baseUrl: settings.llmBaseUrl,
      model: settings.llmModel,
      apiKey: settings.llmApiKey,
      timeoutMs: settings.llmTimeoutMs,
      maxTokens: settings.llmMaxTokens,
      promptsDir: settings.promptsDir,
      stream: settings.llmStream,
    });
  }
  return createExtractiveGenerator();
}

export interface OpenGeneratorOptions {
  /** Model loading progress (stage "model", 0..100). */
  onProgress?: Progress;
  log?: (msg: string) => void;
}

/**
 * The generator the settings select, loaded and ready: a GGUF model is read into memory here, once,
 * with progress (node-llama-cpp is imported only then, so the default path never loads it).
 */
export async function openGenerator(settings: GeneratorSettings, opts: OpenGeneratorOptions = {}): Promise<Generator> {
  if (!settings.llmModelPath) return createGenerator(settings);
  const { loadGgufGenerator } = await import("./gguf.ts");
  return loadGgufGenerator({
    modelPath: settings.llmModelPath,
    threads: settings.llmThreads,
    timeoutMs: settings.llmTimeoutMs,
    maxTokens: settings.llmMaxTokens,
    promptsDir: settings.promptsDir,
    ...opts,
  });
}

/**
 * The offline composer as a generator: its quotes as literal text, its markers as cites, streamed in
 * small pieces like a model's tokens (a bracketed group is never cut, so it is escaped whole).
 */
export function createExtractiveGenerator(): Generator {
  return {
    info: () => ({ kind: "extractive" }),
    async *stream(input: GenerateInput): AsyncIterable<GeneratedPiece> {
      // The question analysed and the passages judged again, as the pipeline did (a few milliseconds).
      const context = input.index ? answerContext(input.index) : { seg: segmenterFor([]), chunks: input.chunks ?? [], glossary: input.glossary };
      const analysis = analyzeQuestion(input.question, context);
      const evidence = assessQuestion(analysis, input.passages, context);
      const text = composeExtractive(input.question, input.passages, { lang: input.lang, context, analysis, evidence, semantic: input.semantic });
      for (const piece of extractivePieces(text, input.passages)) {
        if (typeof piece === "object" && "literal" in piece) {
          for (const part of piece.literal.match(/\[[^[\]\n]{0,24}\]|\n|[^[\n]{1,6}|\[/g) ?? []) yield { literal: part };
        } else yield piece;
      }
    },
  };
}

/** How a generator is named in answers: "extractive" or "llm:<model>". */
export function generatorName(g: Generator): string {
  const info = g.info();
  return info.kind === "llm" ? `llm:${info.model ?? "unknown"}` : info.kind;
}
