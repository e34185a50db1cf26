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
  { name: "ALLOW_REMOTE_MODELS", default: "0", description: "1 lets transformers.js download models from the hub." },
  { name: "RERANKER_MODEL", default: "(unset)", description: "Cross-encoder model folder/id used by search mode `rerank`." },
  { name: "HYBRID_WEIGHTS", default: "(tuned defaults)", description: "Hybrid fusion weights, e.g. `dense=0.5,bm25=1,k0=60`." },
  { name: "LLM_BASE_URL", default: "(unset)", description: "OpenAI-compatible endpoint (Ollama, vLLM, DeepSeek…); unset = offline extractive answers." },
  { name: "LLM_MODEL", default: "(unset)", description: "Model name sent to the LLM endpoint." },
  { name: "LLM_API_KEY", default: "(unset)", description: "API key for the LLM endpoint." },
  { name: "LLM_TIMEOUT_MS", default: "20000", description: "Longest wait for the LLM's first token or between tokens before falling back to the extractive answer." },
  { name: "LLM_STREAM", default: "1", description: "0 for LLM servers that cannot stream completions." },
  { name: "PROMPTS_DIR", default: "prompts", description: "Folder of the prompt templates." },
  { name: "API_TOKEN", default: "(unset)", description: "When set, /api/* and /v1/* (except /api/health) require `Authorization: Bearer <token>`." },
  { name: "RATE_LIMIT_PER_MINUTE", default: "60", description: "Requests per minute per client to /api/chat and /v1/chat/completions (0 = off)." },
  { name: "SEARCH_RATE_LIMIT_PER_MINUTE", default: "600", description: "Requests per minute per client to the other API routes (0 = off); /api/health is never limited." },
  { name: "MAX_BODY_BYTES", default: "65536", description: "Largest request body accepted (413 above)." },
  { name: "MAX_QUESTION_CHARS", default: "2000", description: "Longest question accepted (400 above)." },
  { name: "MAX_HISTORY_TURNS", default: "20", description: "Most earlier messages accepted with a question." },
  { name: "MAX_HISTORY_CHARS", default: "20000", description: "Longest single history message accepted." },
  { name: "MAX_K", default: "50", description: "Largest number of passages a request may ask for." },
  { name: "REQUEST_TIMEOUT_MS", default: "150000", description: "Time allowed to one API request (streams are cut with an `error` event)." },
  { name: "CORS_ORIGIN", default: "(unset: CORS off)", description: "Comma-separated origins allowed to call the API from a browser, or `*`." },
  { name: "SHUTDOWN_GRACE_MS", default: "10000", description: "On SIGTERM/SIGINT, how long in-flight requests may finish before the rest are closed." },
  { name: "INDEX_WATCH_MS", default: "2000", description: "How often the server checks for an index published by `npm run ingest` (0 = never)." },
];

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
      maxK: int("MAX_K", 50, 1, 1000),
      // Above the LLM's own bound on a whole answer (6 × LLM_TIMEOUT_MS), so a slow model falls back first.
      requestTimeoutMs: int("REQUEST_TIMEOUT_MS", 150000, 100),
    },
    shutdownGraceMs: int("SHUTDOWN_GRACE_MS", 10000, 0),
    indexWatchMs: int("INDEX_WATCH_MS", 2000, 0),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
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
