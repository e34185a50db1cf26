/**
 * The page's only link to the server: HTTP calls to /api/chat and /api/articles, each carrying the
 * access token when the user has given one.
 */
import { accessToken, setAccessToken } from "./access-token.ts";
import type { ArticleDetail, ArticleSummary, Citation, DoneEvent, HistoryTurn, RetrievalEvent, TokenEvent } from "./api-types.ts";
import { readSse } from "./sse.ts";
import { T } from "./strings.ts";

/** A failure worth showing to the user as is (message already in Chinese or from the server). */
export class ApiError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ChatHandlers {
  onRetrieval?(e: RetrievalEvent): void;
  onToken?(text: string, cites: Citation[]): void;
  /** The text streamed so far is withdrawn (the model's answer was replaced); tokens start again. */
  onReset?(): void;
}

/** The server wants an access token (API_TOKEN is set) and has none, or refused the one sent. */
export class UnauthorizedError extends ApiError {
  constructor(
    message: string,
    /** A token was sent and refused (rather than none given yet). */
    readonly rejected: boolean,
  ) {
    super(message, 401);
    this.name = "UnauthorizedError";
  }
}

async function send(url: string, init: RequestInit = {}): Promise<Response> {
  const token = accessToken();
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError(T.errorNetwork);
  }
  if (res.status === 401) {
    // A wrong or outdated token is forgotten, so the next request asks for a new one.
    if (token) setAccessToken(undefined);
    throw new UnauthorizedError(await errorMessage(res), !!token);
  }
  if (!res.ok) throw new ApiError(await errorMessage(res), res.status);
  return res;
}

/** The server's `{ error: { message } }`, or a generic line naming the status. */
async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: unknown } };
    if (typeof body?.error?.message === "string" && body.error.message) return body.error.message;
  } catch {
    // not JSON: fall through to the generic message
  }
  return T.errorHttp(res.status);
}

/**
 * Asks a question with streaming: `retrieval`, then `token`s (a `reset` withdraws those before it), then `done`.
 * Abort `signal` to stop; the promise then rejects with an AbortError.
 */
export async function streamChat(
  req: { question: string; history: HistoryTurn[] },
  handlers: ChatHandlers,
  signal: AbortSignal,
): Promise<DoneEvent> {
  const res = await send("/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ question: req.question, history: req.history, stream: true }),
    signal,
  });
  // A server that ignores the stream flag still answers correctly with one JSON body.
  if (!(res.headers.get("content-type") ?? "").includes("text/event-stream")) {
    return (await res.json()) as DoneEvent;
  }
  if (!res.body) throw new ApiError(T.errorStreamCut);
  for await (const msg of readSse(res.body)) {
    const data = JSON.parse(msg.data) as unknown;
    if (msg.event === "retrieval") handlers.onRetrieval?.(data as RetrievalEvent);
    else if (msg.event === "token") handlers.onToken?.((data as TokenEvent).text, (data as TokenEvent).cites ?? []);
    else if (msg.event === "reset") handlers.onReset?.();
    else if (msg.event === "done") return data as DoneEvent;
    else if (msg.event === "error") {
      const e = data as { error?: { message?: string } };
      throw new ApiError(e.error?.message || T.errorStreamCut);
    }
  }
  throw new ApiError(T.errorStreamCut);
}

export async function fetchArticles(): Promise<ArticleSummary[]> {
  const res = await send("/api/articles");
  return ((await res.json()) as { articles: ArticleSummary[] }).articles;
}

const articleCache = new Map<string, Promise<ArticleDetail>>();

/** One article in full; cached for the page's life (articles change only on re-ingest). */
export function fetchArticle(id: string): Promise<ArticleDetail> {
  let p = articleCache.get(id);
  if (!p) {
    p = send(`/api/articles/${encodeURIComponent(id)}`).then((r) => r.json() as Promise<ArticleDetail>);
    p.catch(() => articleCache.delete(id));
    articleCache.set(id, p);
  }
  return p;
}

export type { Citation };
