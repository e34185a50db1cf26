/**
 * A small OpenAI-protocol server for tests, on 127.0.0.1 with node:http. It answers
 * POST /v1/chat/completions (and /chat/completions) with scripted text, streamed as real SSE
 * (`data: {chat.completion.chunk}` lines, then `data: [DONE]`) when the request asks for
 * `stream: true`, or as one chat.completion JSON otherwise. It records every request body, can
 * hang (never answer, or stop mid-stream) to test timeouts, and can fail with an HTTP status.
 *
 *   const stub = await startOpenAiStub({ reply: "答案。[1]" });
 *   ... LLM_BASE_URL = stub.baseUrl ...
 *   await stub.close();
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StubReply {
  /** The scripted answer text. */
  text?: string;
  /** Pieces to stream (default: `text` cut into 4-character pieces). */
  pieces?: string[];
  /** Never send anything (the connection stays open until the client gives up). */
  hang?: boolean;
  /** Stream this many pieces, then hang. */
  hangAfter?: number;
  /** Answer with this HTTP status and an OpenAI-style error body. */
  status?: number;
  /** Delay before each streamed piece, ms. */
  delayMs?: number;
}

export interface StubRequest {
  body: {
    model?: string;
    stream?: boolean;
    messages?: { role: string; content: unknown }[];
    [key: string]: unknown;
  };
  headers: http.IncomingHttpHeaders;
}

export interface OpenAiStub {
  /** Base URL to hand to an OpenAI client, e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: StubRequest[];
  /** Replace the script for the following requests. */
  setReply(reply: StubReply | ((req: StubRequest) => StubReply)): void;
  close(): Promise<void>;
}

export async function startOpenAiStub(initial: StubReply | ((req: StubRequest) => StubReply) = { text: "" }): Promise<OpenAiStub> {
  let script = initial;
  const requests: StubRequest[] = [];
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || !/\/chat\/completions$/.test(req.url ?? "")) {
        return sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: "invalid_request_error" } });
      }
      let body: StubRequest["body"];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return sendJson(res, 400, { error: { message: "invalid JSON", type: "invalid_request_error" } });
      }
      const request = { body, headers: req.headers };
      requests.push(request);
      const reply = typeof script === "function" ? script(request) : script;
      void respond(res, body, reply, hanging);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setReply(reply) {
      script = reply;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function respond(res: http.ServerResponse, body: StubRequest["body"], reply: StubReply, hanging: Set<http.ServerResponse>): Promise<void> {
  const model = body.model ?? "stub-model";
  const id = `chatcmpl-stub-${Date.now()}`;
  const created = Math.floor(Date.now() / 1000);
  if (reply.hang) {
    hanging.add(res);
    res.on("close", () => hanging.delete(res));
    return;
  }
  if (reply.status) {
    return sendJson(res, reply.status, { error: { message: `scripted failure ${reply.status}`, type: "server_error", code: null } });
  }
  const text = reply.text ?? "";
  if (!body.stream) {
    return sendJson(res, 200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop", logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: text.length, total_tokens: 10 + text.length },
    });
  }
  const pieces = reply.pieces ?? (text.match(/[\s\S]{1,4}/g) ?? []);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`;
  res.write(chunk({ role: "assistant", content: "" }, null));
  for (let i = 0; i < pieces.length; i++) {
    if (reply.hangAfter !== undefined && i >= reply.hangAfter) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    res.write(chunk({ content: pieces[i] }, null));
  }
  res.write(chunk({}, "stop"));
  res.end("data: [DONE]\n\n");
}
