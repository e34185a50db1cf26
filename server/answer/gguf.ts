/**
 * A GGUF chat model run in this process (LLM_MODEL_PATH) through node-llama-cpp, behind the same
 * generator interface, timeouts (timed-stream.ts) and fallback as an OpenAI-compatible endpoint.
 *
 * - Loaded once, at start, with progress; node-llama-cpp is imported only here (an optional
 *   dependency: the offline default never loads it). Its prebuilt CPU binary ships inside the npm
 *   package; `build: "never"` keeps it from ever trying to download or compile llama.cpp.
 * - Threads are LLM_THREADS (default: the number of cores). More threads than cores makes llama.cpp's
 *   spinning workers fight for them: node-llama-cpp's own default of 4 decodes ~100× slower on 2 cores.
 * - One context sequence, so answers are written one at a time; a request waiting its turn counts
 *   against its first-token timeout like a slow endpoint, and falls back the same way.
 * - A model with a chat template gets the endpoint's prompts as a chat (system + user messages). One
 *   without (a base model, such as Gemma 3 270M as published in GGUF) only continues text: it gets
 *   prompts/completion.txt, a worked example followed by the passages and the question, stops at a
 *   blank line, and does not rewrite follow-ups (the rule-based rewrite does).
 * - Sampling is greedy (temperature 0), so an answer is repeatable.
 */
import fs from "node:fs";
import path from "node:path";
import type { LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import type { Progress } from "../../vectors/types.ts";
import type { ChatTurn, GenerateInput, Generator, GeneratorInfo } from "./types.ts";
import { answerPrompt, completionPrompt, rewritePrompt, withoutThinking } from "./prompts.ts";
import { timedStream } from "./timed-stream.ts";

export interface GgufSettings {
  modelPath: string;
  threads: number;
  timeoutMs: number;
  /** Most tokens one answer may take. */
  maxTokens: number;
  promptsDir: string;
  /** Chat or plain continuation; by default chat when the model file has a chat template. */
  mode?: "chat" | "completion";
  /** Loading progress, stage "model", 0..100. */
  onProgress?: Progress;
  log?: (msg: string) => void;
}

/** Context window asked for (the model's own is used when smaller): six passages and an answer fit. */
const CONTEXT_TOKENS = 8192;
/** Most tokens a rewritten follow-up question may take. */
const REWRITE_MAX_TOKENS = 96;
/** A continued text's answer ends at a blank line (the example answer is one paragraph). */
const COMPLETION_STOPS = ["\n\n"];

/** The package, or a message saying how to get it. */
async function importLlamaCpp(): Promise<typeof import("node-llama-cpp")> {
  try {
    return await import("node-llama-cpp");
  } catch (err) {
    throw new Error(
      "LLM_MODEL_PATH is set but node-llama-cpp is not installed (it is an optional dependency; " +
        "an install with --omit=optional leaves it out): run npm install node-llama-cpp@3.21.1",
      { cause: err },
    );
  }
}

/** Loads the model file and returns a generator over it; throws with a clear message when it cannot. */
export async function loadGgufGenerator(s: GgufSettings): Promise<Generator> {
  const file = path.basename(s.modelPath);
  if (!fs.existsSync(s.modelPath) || !fs.statSync(s.modelPath).isFile()) throw new Error(`LLM_MODEL_PATH=${s.modelPath}: no such file`);
  const lib = await importLlamaCpp();
  const log = s.log ?? (() => {});
  const llama = await lib.getLlama({
    build: "never",
    gpu: "auto",
    maxThreads: s.threads,
    progressLogs: false,
    logLevel: lib.LlamaLogLevel.error,
    logger: (_level, message) => log(`llama.cpp: ${message.trim()}`),
  });
  let model: LlamaModel;
  try {
    s.onProgress?.("model", 0, 100);
    model = await llama.loadModel({ modelPath: s.modelPath, onLoadProgress: (p) => s.onProgress?.("model", Math.round(p * 100), 100) });
  } catch (err) {
    await llama.dispose();
    throw new Error(`LLM_MODEL_PATH=${s.modelPath} could not be loaded as a GGUF model: ${(err as Error).message}`, { cause: err });
  }
  const context = await model.createContext({ contextSize: Math.min(model.trainContextSize, CONTEXT_TOKENS), threads: s.threads, sequences: 1 });
  const sequence = context.getSequence();
  const hasTemplate = typeof (model.fileInfo.metadata as { tokenizer?: { chat_template?: unknown } }).tokenizer?.chat_template === "string";
  const mode = s.mode ?? (hasTemplate ? "chat" : "completion");
  const millions = (model.fileInsights.totalParameters / 1e6).toFixed(0);
  log(`GGUF model ${file}: ${millions}M parameters, ${mode}, ${s.threads} threads, context ${context.contextSize}, ${llama.gpu ? `GPU ${llama.gpu}` : "CPU"}.`);

  const turns = new Turns();
  const timed = (write: Write, signal?: AbortSignal) =>
    timedStream((sig) => generate(turns, write, sig), { timeoutMs: s.timeoutMs, source: file, signal });
  // Each call gets a fresh chat or completion over the one sequence, freed when it ends.
  const chat =
    (system: string | undefined, user: string, maxTokens: number): Write =>
    (onText, signal) => {
      const session = new lib.LlamaChatSession({ contextSequence: sequence, ...(system ? { systemPrompt: system } : {}), autoDisposeSequence: false });
      const done = session.prompt(user, { maxTokens, temperature: 0, signal, onTextChunk: onText });
      return { done, dispose: () => session.dispose({ disposeSequence: false }) };
    };
  const completion =
    (prompt: string): Write =>
    (onText, signal) => {
      const writer = new lib.LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
      const done = writer.generateCompletion(prompt, { maxTokens: s.maxTokens, temperature: 0, signal, onTextChunk: onText, customStopTriggers: COMPLETION_STOPS });
      return { done, dispose: () => writer.dispose({ disposeSequence: false }) };
    };

  const info: GeneratorInfo = { kind: "llm", model: file };
  const generator: Generator = {
    info: () => info,
    async *stream(input: GenerateInput, signal?: AbortSignal): AsyncIterable<string> {
      if (mode === "completion") {
        // A continuation may open with the line break after "回答：".
        yield* trimStart(timed(completion(completionPrompt(s.promptsDir, input)), signal));
        return;
      }
      const { system, user } = answerPrompt(s.promptsDir, input);
      yield* withoutThinking(timed(chat(system, user, s.maxTokens), signal));
    },
    async close() {
      await llama.dispose();
    },
  };
  if (mode === "chat") {
    generator.rewrite = async (question: string, history: ChatTurn[], signal?: AbortSignal) => {
      let out = "";
      for await (const piece of timed(chat(undefined, rewritePrompt(s.promptsDir, question, history), REWRITE_MAX_TOKENS), signal)) out += piece;
      return out;
    };
  }
  return generator;
}

/** Starts writing one answer, text handed to onText as it comes; `done` settles when it ends. */
type Write = (onText: (text: string) => void, signal: AbortSignal) => { done: Promise<unknown>; dispose(): void };

/** Drops the whitespace a stream opens with. */
async function* trimStart(source: AsyncIterable<string>): AsyncGenerator<string> {
  let started = false;
  for await (const piece of source) {
    const text = started ? piece : piece.trimStart();
    if (!text) continue;
    started = true;
    yield text;
  }
}

/** One answer from the model as an async stream of text, written when the sequence is free. */
async function* generate(turns: Turns, write: Write, signal: AbortSignal): AsyncGenerator<string> {
  const release = await turns.wait(signal);
  // Stopped by the caller's signal, or here when the consumer leaves early.
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: string[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let writing: ReturnType<Write> | undefined;
  try {
    writing = write((text) => {
      chunks.push(text);
      notify();
    }, stop.signal);
    void writing.done.then(
      () => {
        finished = true;
        notify();
      },
      (err: unknown) => {
        failure = err;
        finished = true;
        notify();
      },
    );
    for (;;) {
      if (chunks.length) {
        yield chunks.splice(0).join("");
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure !== undefined) throw failure;
  } finally {
    signal.removeEventListener("abort", onAbort);
    stop.abort();
    await writing?.done.catch(() => {});
    writing?.dispose();
    release();
  }
}

/** Hands the one context sequence to one answer at a time, in order of arrival. */
class Turns {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves with a release function once it is this caller's turn; rejects if `signal` fires first. */
  async wait(signal: AbortSignal): Promise<() => void> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        void previous.then(() => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        });
      });
    } catch (err) {
      // Give the turn up as soon as it comes, so those behind are not held.
      void previous.then(release);
      throw err;
    }
    return release;
  }
}
