/**
 * The generators behind one interface, chosen by settings: an OpenAI-compatible LLM when
 * LLM_BASE_URL is set, otherwise the offline extractive composer.
 */
import path from "node:path";
import type { GenerateInput, Generator } from "./types.ts";
import { composeExtractive } from "./extractive.ts";
import { createLlmGenerator } from "./llm.ts";
import { pieces } from "./stream-text.ts";

export type { Generator } from "./types.ts";

export interface GeneratorSettings {
  llmBaseUrl?: string;
  llmModel?: string;
  llmApiKey?: string;
  /** Bounds the wait for the first token and each silence after it (the whole answer: 6×). */
  llmTimeoutMs: number;
  promptsDir: string;
  /** Request streamed completions (default true; LLM_STREAM=0 for servers that cannot stream). */
  llmStream?: boolean;
}

export const DEFAULT_LLM_TIMEOUT_MS = 20_000;

/** Reads LLM_BASE_URL, LLM_MODEL, LLM_API_KEY, LLM_TIMEOUT_MS, LLM_STREAM and PROMPTS_DIR. */
export function readGeneratorSettings(env: NodeJS.ProcessEnv = process.env): GeneratorSettings {
  const llmBaseUrl = env.LLM_BASE_URL?.trim() || undefined;
  const llmModel = env.LLM_MODEL?.trim() || undefined;
  if (llmBaseUrl && !llmModel) throw new Error("LLM_BASE_URL is set but LLM_MODEL is not: name the model to ask (e.g. LLM_MODEL=qwen2.5:7b)");
  if (llmBaseUrl) {
    try {
      new URL(llmBaseUrl);
    } catch {
      throw new Error(`LLM_BASE_URL is not a URL: ${llmBaseUrl} (e.g. http://127.0.0.1:11434/v1)`);
    }
  }
  const rawTimeout = env.LLM_TIMEOUT_MS?.trim();
  const llmTimeoutMs = rawTimeout ? Number(rawTimeout) : DEFAULT_LLM_TIMEOUT_MS;
  if (!Number.isFinite(llmTimeoutMs) || llmTimeoutMs <= 0) throw new Error(`LLM_TIMEOUT_MS must be a positive number of milliseconds, got ${rawTimeout}`);
  return {
    llmBaseUrl,
    llmModel,
    llmApiKey: env.LLM_API_KEY?.trim() || undefined,
    llmTimeoutMs,
    promptsDir: path.resolve(env.PROMPTS_DIR?.trim() || "prompts"),
    llmStream: env.LLM_STREAM?.trim() !== "0",
  };
}

export function createGenerator(settings: GeneratorSettings): Generator {
  if (settings.llmBaseUrl && settings.llmModel) {
    return createLlmGenerator({
      baseUrl: settings.llmBaseUrl,
      model: settings.llmModel,
      apiKey: settings.llmApiKey,
      timeoutMs: settings.llmTimeoutMs,
      promptsDir: settings.promptsDir,
      stream: settings.llmStream,
    });
  }
  return createExtractiveGenerator();
}

/** The offline composer as a generator: streams its answer in small pieces like a model would. */
export function createExtractiveGenerator(): Generator {
  return {
    info: () => ({ kind: "extractive" }),
    async *stream(input: GenerateInput): AsyncIterable<string> {
      const text = composeExtractive(input.question, input.passages, { lang: input.lang, chunks: input.chunks, glossary: input.glossary });
      for (const piece of pieces(text)) yield piece;
    },
  };
}

/** How a generator is named in answers: "extractive" or "llm:<model>". */
export function generatorName(g: Generator): string {
  const info = g.info();
  return info.kind === "llm" ? `llm:${info.model ?? "unknown"}` : info.kind;
}
