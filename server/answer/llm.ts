/**
 * Answers with any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, DeepSeek,
 * Qwen …) through LangChain's ChatOpenAI, under the shared timeouts (timed-stream.ts). Any failure
 * throws; the pipeline falls back to the extractive composer.
 */
import { ChatOpenAI } from "@langchain/openai";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { ChatTurn, GenerateInput, Generator, GeneratorInfo } from "./types.ts";
import { answerPrompt, rewritePrompt, withoutThinking } from "./prompts.ts";
import { timedStream } from "./timed-stream.ts";

export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  /** Most tokens one answer may take. */
  maxTokens: number;
  promptsDir: string;
  /** Ask for a streamed response (default true); some servers only answer whole. */
  stream?: boolean;
}

export function createLlmGenerator(settings: LlmSettings): Generator {
  const chat = new ChatOpenAI({
    model: settings.model,
    // Local servers want no key, but the client insists on one.
    apiKey: settings.apiKey || "not-needed",
    configuration: { baseURL: settings.baseUrl },
    temperature: 0.1,
    maxTokens: settings.maxTokens,
    streaming: settings.stream !== false,
    // Old llama.cpp/vLLM builds reject stream_options; usage is not needed here.
    streamUsage: false,
    // A retry would only delay the fallback.
    maxRetries: 0,
  });

  const info: GeneratorInfo = { kind: "llm", model: settings.model, baseUrl: settings.baseUrl };
  const timed = (system: string | undefined, user: string, signal?: AbortSignal) =>
    timedStream((s) => textOf(chat, system, user, s), { timeoutMs: settings.timeoutMs, source: settings.baseUrl, signal });

  return {
    info: () => info,

    async *stream(input: GenerateInput, signal?: AbortSignal): AsyncIterable<string> {
      const { system, user } = answerPrompt(settings.promptsDir, input);
      yield* withoutThinking(timed(system, user, signal));
    },

    async rewrite(question: string, history: ChatTurn[], signal?: AbortSignal): Promise<string> {
      let out = "";
      for await (const piece of timed(undefined, rewritePrompt(settings.promptsDir, question, history), signal)) out += piece;
      return out;
    },
  };
}

/** The model's text, streamed or (LLM_STREAM=0) whole. */
async function* textOf(chat: ChatOpenAI, system: string | undefined, user: string, signal: AbortSignal): AsyncGenerator<string> {
  const messages = [...(system ? [new SystemMessage(system)] : []), new HumanMessage(user)];
  if (chat.streaming) {
    for await (const chunk of await chat.stream(messages, { signal })) yield contentText(chunk.content);
  } else {
    yield contentText((await chat.invoke(messages, { signal })).content);
  }
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p === "string" ? p : p && typeof p === "object" && "text" in p ? String(p.text) : "")).join("");
  }
  return "";
}
