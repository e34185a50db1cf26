/**
 * The server's settings, read from the environment once and validated as a whole, so a typo fails
 * at start with every problem listed instead of surfacing later as odd behaviour.
 */
import path from "node:path";
import { readEmbeddingSettings, type EmbeddingSettings } from "../vectors/embedding-settings.ts";
import { readGeneratorSettings, type GeneratorSettings } from "./answer/generator.ts";

export interface ServerConfig {
  host: string;
  port: number;
  corpusDir: string;
  indexDir: string;
  embedding: EmbeddingSettings;
  generator: GeneratorSettings;
  security: SecurityConfig;
  limits: LimitsConfig;
  /** How long SIGTERM waits for in-flight requests before closing what is left. */
  shutdownGraceMs: number;
  /** How often the served index checks whether `current` was republished by another process (0 = never). */
  indexWatchMs: number;
}

export interface SecurityConfig {
  /** When set, /api/* and /v1/* (except /api/health) require `Authorization: Bearer <token>`. */
  apiToken?: string;
  /** Allowed cross-origin origins; empty = CORS off. */
  corsOrigins: string[];
}

export interface LimitsConfig {
  /** Requests per minute per client on /api/chat and /v1/chat/completions (0 = unlimited). */
  chatPerMinute: number;
  /** Requests per minute per client on the other API routes (0 = unlimited). */
  searchPerMinute: number;
  maxBodyBytes: number;
  maxQuestionChars: number;
  /** Earlier messages accepted with a question (history length). */
  maxHistoryTurns: number;
  /** Characters per history message (assistant answers are longer than questions). */
  maxHistoryChars: number;
  /** Largest `k` accepted by /api/search and /api/chat. */
  maxK: number;
  requestTimeoutMs: number;
}

export interface ConfigVariable {
  name: string;
  default: string;
  description: string;
}

/** Every variable the server reads, with its default and meaning (the README's table is made from this). */
export const CONFIG_VARIABLES: ConfigVariable[] = [
  { name: "HOST", default: "127.0.0.1", description: "Interface to listen on (loopback only by default)." },
  { name: "PORT", default: "3000", description: "TCP port (0 = any free port)." },
  { name: "CORPUS_DIR", default: "corpus", description: "Folder of documents to ingest." },
  { name: "INDEX_DIR", default: "vectors/index", description: "Index root (builds/<stamp>, `current` symlink)." },
  { name: "EMBEDDING_MODEL", default: "(unset)", description: "transformers.js model id; unset = train a small model on the corpus." },
  { name: "MODELS_DIR", default: "models", description: "Folder searched for pretrained model folders." },
  { name: "ALLOW_REMOTE_MODELS", default: "0", description: "1 (or true) lets transformers.js download models from the hub; 0/false keeps it offline." },
  { name: "RERANKER_MODEL", default: "(unset)", description: "Cross-encoder model folder/id used by search mode `rerank`." },
  { name: "HYBRID_WEIGHTS", default: "(tuned defaults)", description: "Hybrid fusion weights, e.g. `dense=0.5,bm25=1,k0=60` (any of the three, comma-separated)." },
  { name: "LLM_BASE_URL", default: "(unset)", description: "OpenAI-compatible endpoint (Ollama, vLLM, DeepSeek…); unset = offline extractive answers." },
  { name: "LLM_MODEL", default: "(unset)", description: "Model name sent to the LLM endpoint." },
  { name: "LLM_API_KEY", default: "(unset)", description: "API key for the LLM endpoint." },
  { name: "LLM_TIMEOUT_MS", default: "20000", description: "Longest wait for the LLM's first token or between tokens before falling back to the extractive answer." },
  { name: "LLM_STREAM", default: "1", description: "0 (or false) for LLM servers that cannot stream completions." },
  { name: "PROMPTS_DIR", default: "prompts", description: "Folder of the prompt templates." },
  { name: "API_TOKEN", default: "(unset)", description: "When set, /api/* and /v1/* (except /api/health) require `Authorization: Bearer <token>`." },
  { name: "RATE_LIMIT_PER_MINUTE", default: "60", description: "Requests per minute per client to /api/chat and /v1/chat/completions (0 = off)." },
  { name: "SEARCH_RATE_LIMIT_PER_MINUTE", default: "600", description: "Requests per minute per client to the other API routes (0 = off); /api/health is never limited." },
  { name: "MAX_BODY_BYTES", default: "65536", description: "Largest request body accepted (413 above)." },
  { name: "MAX_QUESTION_CHARS", default: "2000", description: "Longest question accepted (400 above)." },
  { name: "MAX_HISTORY_TURNS", default: "20", description: "Most earlier messages accepted with a question." },
  { name: "MAX_HISTORY_CHARS", default: "20000", description: "Longest single history message accepted." },
  { name: "MAX_K", default: "50", description: "Largest number of passages a request may ask for (at most 50, the search's own cap)." },
  {
    name: "REQUEST_TIMEOUT_MS",
    default: "150000, or 2 × 6 × LLM_TIMEOUT_MS + 30000 with an LLM",
    description: "Time allowed to one API request (streams are cut with an `error` event); with an LLM it may not be shorter than that model's worst case.",
  },
  { name: "CORS_ORIGIN", default: "(unset: CORS off)", description: "Comma-separated origins allowed to call the API from a browser, or `*`." },
  { name: "SHUTDOWN_GRACE_MS", default: "10000", description: "On SIGTERM/SIGINT, how long in-flight requests may finish before the rest are closed." },
  { name: "INDEX_WATCH_MS", default: "2000", description: "How often the server checks for an index published by `npm run ingest` (0 = never)." },
];

/** The search returns at most this many passages (vectors caps k there), so a larger MAX_K would promise nothing. */
export const MAX_K_LIMIT = 50;

/**
 * The worst time an LLM may take within one request: a follow-up makes two calls (rewrite, then
 * answer), each bounded by 6 × LLM_TIMEOUT_MS (TOTAL_FACTOR in server/answer/llm.ts), plus a margin
 * for retrieval and the extractive fallback. REQUEST_TIMEOUT_MS must leave room for it, or a slow model
 * would end in a 504 instead of the fallback answer.
 */
export function llmWorstCaseMs(llmTimeoutMs: number): number {
  const CALLS = 2;
  const TOTAL_FACTOR = 6;
  const MARGIN_MS = 30_000;
  return CALLS * TOTAL_FACTOR * llmTimeoutMs + MARGIN_MS;
}

/** Raised for invalid settings; the message lists every problem, one per line. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads and validates the environment; throws ConfigError listing every invalid value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? "∞" : max}`);
      return fallback;
    }
    return Number(raw);
  };

  /** 1/0 or true/false; undefined when unset (the settings reader's default stands). */
  const flag = (name: string, fallback: boolean): boolean | undefined => {
    const raw = text(name)?.toLowerCase();
    if (raw === undefined) return undefined;
    if (raw === "1" || raw === "true") return true;
    if (raw === "0" || raw === "false") return false;
    problems.push(`${name}=${JSON.stringify(env[name]?.trim())} must be 1 or 0 (or true / false)`);
    return fallback;
  };

  const host = text("HOST") ?? "127.0.0.1";
  if (/[\s/]/.test(host)) problems.push(`HOST=${JSON.stringify(host)} is not a host name or address`);

  const apiToken = text("API_TOKEN");
  if (apiToken !== undefined && !/^[A-Za-z0-9._~+/=-]+$/.test(apiToken)) {
    problems.push("API_TOKEN may only contain letters, digits and . _ ~ + / = - (it is sent in an HTTP header)");
  }

  const corsOrigins = parseCorsOrigins(text("CORS_ORIGIN"), problems);

  let embedding: EmbeddingSettings;
  let generator: GeneratorSettings;
  try {
    embedding = readEmbeddingSettings(env);
  } catch (err) {
    problems.push(`embedding settings: ${(err as Error).message}`);
    embedding = readEmbeddingSettings({});
  }
  try {
    generator = readGeneratorSettings(env);
  } catch (err) {
    problems.push(`generator settings: ${(err as Error).message}`);
    generator = readGeneratorSettings({});
  }

  // Booleans that the settings readers take loosely ("false" would have meant true): checked here.
  const allowRemote = flag("ALLOW_REMOTE_MODELS", false);
  if (allowRemote !== undefined) embedding = { ...embedding, allowRemote };
  const llmStream = flag("LLM_STREAM", true);
  if (llmStream !== undefined) generator = { ...generator, llmStream };
  checkHybridWeights(text("HYBRID_WEIGHTS"), problems);

  // Defaults stay consistent: with an LLM the default deadline grows with LLM_TIMEOUT_MS; an explicit
  // value shorter than the model's worst case is refused rather than cutting its fallback short.
  const llmWorst = generator.llmBaseUrl ? llmWorstCaseMs(generator.llmTimeoutMs) : 0;
  const requestTimeoutMs = int("REQUEST_TIMEOUT_MS", Math.max(150_000, llmWorst), 100);
  if (text("REQUEST_TIMEOUT_MS") !== undefined && requestTimeoutMs < llmWorst) {
    problems.push(
      `REQUEST_TIMEOUT_MS=${requestTimeoutMs} is shorter than the LLM's worst case of ${llmWorst} ms ` +
        `(2 calls × 6 × LLM_TIMEOUT_MS=${generator.llmTimeoutMs} + 30000): raise it, or lower LLM_TIMEOUT_MS`,
    );
  }

  const config: ServerConfig = {
    host,
    port: int("PORT", 3000, 0, 65535),
    corpusDir: path.resolve(text("CORPUS_DIR") ?? "corpus"),
    indexDir: path.resolve(text("INDEX_DIR") ?? "vectors/index"),
    embedding,
    generator,
    security: { apiToken, corsOrigins },
    limits: {
      chatPerMinute: int("RATE_LIMIT_PER_MINUTE", 60, 0),
      searchPerMinute: int("SEARCH_RATE_LIMIT_PER_MINUTE", 600, 0),
      maxBodyBytes: int("MAX_BODY_BYTES", 65536, 1024, 16 * 1024 * 1024),
      maxQuestionChars: int("MAX_QUESTION_CHARS", 2000, 1, 100_000),
      maxHistoryTurns: int("MAX_HISTORY_TURNS", 20, 0, 1000),
      maxHistoryChars: int("MAX_HISTORY_CHARS", 20000, 1, 1_000_000),
      maxK: int("MAX_K", MAX_K_LIMIT, 1, MAX_K_LIMIT),
      requestTimeoutMs,
    },
    shutdownGraceMs: int("SHUTDOWN_GRACE_MS", 10000, 0),
    indexWatchMs: int("INDEX_WATCH_MS", 2000, 0),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * HYBRID_WEIGHTS as vectors/fusion.ts reads it ("dense=0.5,bm25=1,k0=60"), where a part it does not
 * understand is silently skipped: here every part must be one of the three names with a number.
 */
function checkHybridWeights(raw: string | undefined, problems: string[]): void {
  if (raw === undefined) return;
  const bad = raw
    .split(/[,;\s]+/)
    .filter((part) => part !== "")
    .filter((part) => {
      const m = /^(dense|bm25|k0)[=:](\d+(?:\.\d+)?|\.\d+)$/.exec(part);
      return !m || (m[1] === "k0" && Number(m[2]) <= 0);
    });
  if (bad.length > 0) {
    problems.push(
      `HYBRID_WEIGHTS=${JSON.stringify(raw)}: cannot read ${bad.map((b) => JSON.stringify(b)).join(", ")}; ` +
        "write name=number pairs of dense, bm25 and k0 (k0 above 0), e.g. dense=0.5,bm25=1,k0=60",
    );
  }
}

function parseCorsOrigins(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  if (raw === "*") return ["*"];
  const origins: string[] = [];
  for (const part of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
    try {
      const url = new URL(part);
      if (url.origin === "null" || url.origin !== part.replace(/\/$/, "")) throw new Error();
      origins.push(url.origin);
    } catch {
      problems.push(`CORS_ORIGIN entry ${JSON.stringify(part)} is not an origin like https://example.org`);
    }
  }
  return origins;
}

/** True for addresses only this machine can reach (used to warn and to guard the admin route). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address === "localhost" || /^(::ffff:)?127\./.test(address);
}
