/**
 * The guards, over real HTTP on the real corpus: the API token, per-client rate limits with
 * Retry-After, CORS only when configured, request deadlines (a hung LLM endpoint) and a client
 * disconnect stopping the generation.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import OpenAI from "openai";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readSseEvents, serversOnSharedIndex } from "./support/server-harness.ts";

const { serveWith } = serversOnSharedIndex();

const TOKEN = "s3cret-token_for.tests";

test("with API_TOKEN, the API needs the bearer token (except health)", async () => {
  const url = await serveWith({ API_TOKEN: TOKEN });
  const search = `${url}/api/search?q=${encodeURIComponent("中欧班列")}`;

  assert.equal((await fetch(`${url}/api/health`)).status, 200, "health stays open for probes");
  for (const authorization of [undefined, "Bearer wrong-token", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, "Bearer", `Bearer  ${TOKEN} extra`]) {
    const res = await fetch(search, { headers: authorization ? { authorization } : {} });
    assert.equal(res.status, 401, String(authorization));
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
    assert.equal((await res.json()).error.code, "unauthorized");
  }
  const ok = await fetch(search, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
  assert.ok((await ok.json()).results.length > 0);
  const chat = await fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"question":"辽宁"}' });
  assert.equal(chat.status, 401);
  assert.equal((await fetch(`${url}/api/articles`)).status, 401);

  // OpenAI clients send their API key as the bearer token.
  const wrong = new OpenAI({ baseURL: `${url}/v1`, apiKey: "nope", maxRetries: 0 });
  await assert.rejects(wrong.chat.completions.create({ model: "policy-qa", messages: [{ role: "user", content: "中欧班列" }] }), (err: { status?: number }) => err.status === 401);
  const right = new OpenAI({ baseURL: `${url}/v1`, apiKey: TOKEN, maxRetries: 0 });
  const completion = await right.chat.completions.create({ model: "policy-qa", messages: [{ role: "user", content: "中欧班列有什么要求" }] });
  assert.ok((completion.choices[0].message.content ?? "").length > 0);
});

test("rate limits: 429 with Retry-After per client, chat and search budgets apart", async () => {
  const url = await serveWith({ RATE_LIMIT_PER_MINUTE: "2", SEARCH_RATE_LIMIT_PER_MINUTE: "3" });
  // Invalid bodies keep this cheap: the limit is taken before the request is read.
  const chat = () => fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", "accept-language": "zh-CN" }, body: "{}" });
  assert.equal((await chat()).status, 400);
  assert.equal((await chat()).status, 400);
  const limited = await chat();
  assert.equal(limited.status, 429);
  const retryAfter = Number(limited.headers.get("retry-after"));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30, `Retry-After ${limited.headers.get("retry-after")}`);
  const body = await limited.json();
  assert.equal(body.error.code, "rate_limited");
  assert.match(body.error.message, new RegExp(`${retryAfter} 秒`));
  const v1 = await fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(v1.status, 429, "/v1 shares the chat budget");

  const search = () => fetch(`${url}/api/search?q=${encodeURIComponent("中欧班列")}`);
  for (let i = 0; i < 3; i++) assert.equal((await search()).status, 200, "search has its own budget");
  assert.equal((await search()).status, 429);
  assert.equal((await fetch(`${url}/api/health`)).status, 200, "health is never limited");
});

test("CORS is off by default and allows only the configured origin", async () => {
  const url = await serveWith({ CORS_ORIGIN: "http://app.example" });
  const preflight = await fetch(`${url}/api/chat`, {
    method: "OPTIONS",
    headers: { origin: "http://app.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
  });
  assert.ok(preflight.status === 204 || preflight.status === 200);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "http://app.example");
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /authorization/i);
  const other = await fetch(`${url}/api/health`, { headers: { origin: "http://evil.example" } });
  assert.notEqual(other.headers.get("access-control-allow-origin"), "http://evil.example");

  const closed = await serveWith({});
  const res = await fetch(`${closed}/api/health`, { headers: { origin: "http://app.example" } });
  assert.equal(res.headers.get("access-control-allow-origin"), null);
});

/** An LLM endpoint that reads requests and never answers; counts requests and the ones whose connection was dropped. */
async function hungEndpoint(): Promise<{ baseUrl: string; requests: () => number; dropped: () => number; stop(): Promise<void> }> {
  let requests = 0;
  let dropped = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    let asked = false;
    sockets.add(socket);
    socket.on("data", () => {
      if (!asked) requests++;
      asked = true;
    });
    socket.on("close", () => {
      if (asked) dropped++;
      sockets.delete(socket);
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    dropped: () => dropped,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

test("the request deadline bounds a hung generation: 504 as JSON, an error event on a stream", async () => {
  const llm = await hungEndpoint();
  try {
    const generator = createGenerator(readSettings({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: "hung", LLM_TIMEOUT_MS: "60000" }).generator);
    const url = await serveWith({ REQUEST_TIMEOUT_MS: "600" }, generator);
    const post = (body: unknown) => fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    // The LLM never answers and its own bound is minutes away: only the request deadline can end this.
    const res = await post({ question: "辽宁清洁能源强省有哪些措施" });
    assert.equal(res.status, 504);
    assert.equal((await res.json()).error.code, "timeout");
    assert.ok(await until(() => llm.requests() > 0 && llm.dropped() === llm.requests(), 3000), "the timed-out LLM call was abandoned");

    const stream = await post({ question: "辽宁清洁能源强省有哪些措施", stream: true });
    assert.equal(stream.status, 200);
    const events = await readSseEvents(stream);
    const last = events.at(-1)!;
    assert.equal(last.event, "error", "the stream ends with an error event, it does not hang");
    assert.equal(JSON.parse(last.data).error.code, "timeout");
  } finally {
    await llm.stop();
  }
});

test("health names the LLM's model but never its address", async () => {
  const llm = await hungEndpoint();
  try {
    const generator = createGenerator(readSettings({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: "hung-model", LLM_API_KEY: "sk-private" }).generator);
    const url = await serveWith({}, generator);
    const text = await (await fetch(`${url}/api/health`)).text();
    assert.deepEqual(JSON.parse(text).generator, { kind: "llm", model: "hung-model" });
    assert.ok(!/127\.0\.0\.1|https?:|baseUrl|sk-private/.test(text), text);
  } finally {
    await llm.stop();
  }
});

test("a client that disconnects stops its generation", async () => {
  const llm = await hungEndpoint();
  try {
    const generator = createGenerator(readSettings({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: "hung", LLM_TIMEOUT_MS: "60000" }).generator);
    const url = await serveWith({}, generator);
    const ac = new AbortController();
    const res = await fetch(`${url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "辽宁清洁能源强省有哪些措施", stream: true }),
      signal: ac.signal,
    });
    assert.equal(res.status, 200);
    assert.ok(await until(() => llm.requests() > 0, 5000), "the generation reached the LLM");
    assert.equal(llm.dropped(), 0);
    ac.abort();
    assert.ok(await until(() => llm.dropped() === llm.requests(), 5000), "the LLM request was abandoned with the client");
  } finally {
    await llm.stop();
  }
});
