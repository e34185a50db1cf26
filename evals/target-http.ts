/**
 * A running server, scored over its public HTTP API (/api/search, /api/chat, /api/articles):
 * what a user of the deployed service gets, including its rate limits (429 is waited out).
 */
import type { EvalTurn } from "./cases.ts";
import { compact } from "./cases.ts";
import type { CitedPassage } from "./metrics.ts";
import { readCorpusTexts, type EvalTarget } from "./target.ts";

export interface HttpTargetOptions {
  baseUrl: string;
  /** Bearer token when the server sets API_TOKEN. */
  token?: string;
  corpusDir: string;
}

interface ApiCitation {
  n: number;
  chunkId: string;
  title: string;
  headingPath: string[];
  quote: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createHttpTarget(opts: HttpTargetOptions): Promise<EvalTarget> {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;

  async function call<T>(pathname: string, init: RequestInit = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}${pathname}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
      if (res.status === 429 && attempt < 5) {
        const wait = Number(res.headers.get("retry-after")) || 2 ** attempt;
        await sleep(wait * 1000);
        continue;
      }
      const body = await res.text();
      if (!res.ok) throw new Error(`${init.method ?? "GET"} ${pathname} → HTTP ${res.status}: ${body.slice(0, 200)}`);
      return JSON.parse(body) as T;
    }
  }

  const health = await call<Record<string, unknown>>("/api/health");
  // The cleaned articles the server indexed: cited quotes are checked against them as well as the raw files.
  const list = await call<{ articles: { id: string }[] }>("/api/articles");
  const articles = await Promise.all(
    list.articles.map((a) => call<{ text: string }>(`/api/articles/${encodeURIComponent(a.id)}`)),
  );

  return {
    name: base,
    info: { server: base, ...health },
    async search(query, { k, mode }) {
      const params = new URLSearchParams({ q: query, k: String(k) });
      if (mode) params.set("mode", mode);
      const r = await call<{ results: { id: string; title: string; headingPath: string[]; text: string }[] }>(`/api/search?${params}`);
      return r.results.map((x) => ({ chunkId: x.id, title: x.title, headingPath: x.headingPath, text: x.text }));
    },
    async chat(question: string, history: EvalTurn[] | undefined, k?: number) {
      const r = await call<{ answer: string; citations: ApiCitation[]; refused: boolean; question?: string; notice?: string }>(
        "/api/chat",
        { method: "POST", body: JSON.stringify({ question, ...(history ? { history } : {}), ...(k ? { k } : {}), stream: false }) },
      );
      const citations: CitedPassage[] = (r.citations ?? []).map((c) => ({
        n: c.n, chunkId: c.chunkId, title: c.title, headingPath: c.headingPath ?? [], text: c.quote ?? "",
      }));
      return { question: r.question ?? question, answer: r.answer ?? "", refused: !!r.refused, citations, notice: r.notice };
    },
    sources: [...readCorpusTexts(opts.corpusDir), ...articles.map((a) => compact(a.text ?? ""))],
    async close() {},
  };
}
