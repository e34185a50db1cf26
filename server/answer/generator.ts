/**
 * The generators behind one interface, chosen by settings: an OpenAI-compatible LLM when
 * LLM_BASE_URL is set, otherwise the offline extractive composer.
 */
import type { GeneratorSettings } from "../../config/settings.ts";
import type { GenerateInput, Generator } from "./types.ts";
import { composeExtractive } from "./extractive.ts";
import { createLlmGenerator } from "./llm.ts";
import { pieces } from "./stream-text.ts";
import { segmenterFor } from "../../vectors/segmenter.ts";
import { analyzeQuestion, answerContext } from "./analysis.ts";
import { assessQuestion } from "./evidence.ts";

export type { Generator } from "./types.ts";
export type { GeneratorSettings } from "../../config/settings.ts";

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
      // The question analysed and the passages judged again, as the pipeline did (a few milliseconds).
      const context = input.index ? answerContext(input.index) : { seg: segmenterFor([]), chunks: input.chunks ?? [], glossary: input.glossary };
      const analysis = analyzeQuestion(input.question, context);
      const evidence = assessQuestion(analysis, input.passages, context);
      const text = composeExtractive(input.question, input.passages, { lang: input.lang, context, analysis, evidence, semantic: input.semantic });
      for (const piece of pieces(text)) yield piece;
    },
  };
}

/** How a generator is named in answers: "extractive" or "llm:<model>". */
export function generatorName(g: Generator): string {
  const info = g.info();
  return info.kind === "llm" ? `llm:${info.model ?? "unknown"}` : info.kind;
}
