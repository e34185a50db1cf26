/**
 * Answers with any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, DeepSeek,
 * Qwen …) through LangChain's ChatOpenAI. Timeouts are enforced here: LLM_TIMEOUT_MS bounds the wait
 * for the first token and every silence after it, and the whole answer may take at most
 * TOTAL_FACTOR times that. Any failure throws; the pipeline falls back to the extractive composer.
 */
import { LIMITS } from "../../config/limits.ts";
import { ChatOpenAI } from "@langchain/openai";
import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatTurn, GenerateInput, Generator, GeneratorInfo } from "./types.ts";
import { fillPrompt, languageName, readPrompt, renderHistory, renderInstructions, renderPassages } from "./prompts.ts";
import { questionLanguage } from "../../vectors/language.ts";

export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  promptsDir: string;
  /** Ask for a streamed response (default true); some servers only answer whole. */
  stream?: boolean;
}

/** One call's whole-answer bound, in units of timeoutMs (shared with the request deadline). */
const TOTAL_FACTOR = LIMITS.llmTotalFactor;

export class LlmTimeoutError extends Error {
  override name = "LlmTimeoutError";
}

export function createLlmGenerator(settings: LlmSettings): Generator {
  const chat = new ChatOpenAI({
    model: settings.model,
    // Local servers want no key, but the client insists on one.
    apiKey: settings.apiKey || "not-needed",
    configuration: { baseURL: settings.baseUrl },
    temperature: 0.1,
    streaming: settings.stream !== false,
    // Old llama.cpp/vLLM builds reject stream_options; usage is not needed here.
    streamUsage: false,
    // A retry would only delay the fallback.
    maxRetries: 0,
  });

  const info: GeneratorInfo = { kind: "llm", model: settings.model, baseUrl: settings.baseUrl };

  return {
    info: () => info,

    async *stream(input: GenerateInput, signal?: AbortSignal): AsyncIterable<string> {
      let system = fillPrompt(readPrompt(settings.promptsDir, "system"), { language: languageName(input.lang) });
      // A client's system messages (/v1) follow the rules, framed as the client's and unable to lift them.
      if (input.instructions?.length) {
        system += fillPrompt(readPrompt(settings.promptsDir, "instructions"), { instructions: renderInstructions(input.instructions) });
      }
      const user = fillPrompt(readPrompt(settings.promptsDir, "answer"), {
        question: input.question,
        passages: renderPassages(input.passages),
        history: renderHistory(input.history),
        language: languageName(input.lang),
      });
      yield* withoutThinking(timed(chat, [new SystemMessage(system), new HumanMessage(user)], settings, signal));
    },

    async rewrite(question: string, history: ChatTurn[], signal?: AbortSignal): Promise<string> {
      const prompt = fillPrompt(readPrompt(settings.promptsDir, "rewrite"), {
        question,
        history: renderHistory(history),
        language: languageName(questionLanguage(question)),
      });
      let out = "";
      for await (const piece of timed(chat, [new HumanMessage(prompt)], settings, signal)) out += piece;
      return out;
    },
  };
}

/** Streams the model's text, aborting when the first token or any next one is late, or the total runs over. */
async function* timed(
  chat: ChatOpenAI,
  messages: BaseMessage[],
  settings: LlmSettings,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const ctrl = new AbortController();
  let reason: Error | undefined;
  const abort = (err: Error) => {
    reason ??= err;
    ctrl.abort(err);
  };
  const onCallerAbort = () => abort(new Error("request aborted"));
  if (signal?.aborted) onCallerAbort();
  signal?.addEventListener("abort", onCallerAbort, { once: true });

  let idle: NodeJS.Timeout | undefined;
  const arm = (what: string) => {
    clearTimeout(idle);
    idle = setTimeout(() => abort(new LlmTimeoutError(`no ${what} from ${settings.baseUrl} within ${settings.timeoutMs} ms`)), settings.timeoutMs);
  };
  const total = setTimeout(
    () => abort(new LlmTimeoutError(`answer from ${settings.baseUrl} took over ${settings.timeoutMs * TOTAL_FACTOR} ms`)),
    settings.timeoutMs * TOTAL_FACTOR,
  );
  arm("first token");
  try {
    if (chat.streaming) {
      const stream = await chat.stream(messages, { signal: ctrl.signal });
      for await (const chunk of stream) {
        arm("further tokens");
        const text = textOf(chunk.content);
        if (text) yield text;
      }
    } else {
      const msg = await chat.invoke(messages, { signal: ctrl.signal });
      yield textOf(msg.content);
    }
  } catch (err) {
    // Report the timeout rather than the client's generic "aborted".
    throw reason ?? err;
  } finally {
    clearTimeout(idle);
    clearTimeout(total);
    signal?.removeEventListener("abort", onCallerAbort);
    ctrl.abort(); // closes the HTTP request if the consumer stopped early
  }
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p === "string" ? p : p && typeof p === "object" && "text" in p ? String(p.text) : "")).join("");
  }
  return "";
}

/** Drops a leading <think>…</think> block (reasoning models put it in the content). */
async function* withoutThinking(source: AsyncIterable<string>): AsyncGenerator<string> {
  let head = "";
  let decided = false;
  for await (const piece of source) {
    if (decided) {
      yield piece;
      continue;
    }
    head += piece;
    const trimmed = head.trimStart();
    if (!trimmed) continue;
    if ("<think>".startsWith(trimmed.slice(0, 7)) && trimmed.length < 7) continue;
    if (!trimmed.startsWith("<think>")) {
      decided = true;
      yield head;
      continue;
    }
    const close = trimmed.indexOf("</think>");
    if (close < 0) continue;
    decided = true;
    const rest = trimmed.slice(close + "</think>".length).replace(/^\s+/, "");
    if (rest) yield rest;
  }
  if (!decided && head.trim() && !head.trimStart().startsWith("<think>")) yield head;
}
