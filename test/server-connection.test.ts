/**
 * Connections as HTTP clients use them, over real sockets: a keep-alive client whose request was
 * refused before its body was read (413, 401, 429) must be able to send its next request, and a long
 * Chinese question in a GET query must get an answer, not a bare header-size error.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { serversOnSharedIndex } from "./support/server-harness.ts";

const { serveWith } = serversOnSharedIndex();

const BIG = JSON.stringify({ question: "辽".repeat(270_000) }); // ~800 KB of UTF-8

test("keep-alive (fetch): after a 413 for an 800 KB body, the next request on the client succeeds, 10 times of 10", async () => {
  const url = await serveWith({});
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: BIG });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.code, "payload_too_large");
    // What a client sees next: fetch reuses its pooled connection unless the server said to close it.
    const next = await fetch(`${url}/api/health`);
    assert.equal(next.status, 200, `round ${i}`);
    await next.arrayBuffer();
  }
});

/** Sends requests one after another on one keep-alive socket (node's Agent), reporting each status and the sockets used. */
async function onOneAgent(url: string, requests: { method: string; path: string; headers?: Record<string, string>; body?: string }[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  const results: { status: number; connection?: string }[] = [];
  try {
    for (const r of requests) {
      results.push(
        await new Promise((resolve, reject) => {
          const req = http.request(`${url}${r.path}`, { method: r.method, agent, headers: r.headers }, (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
          });
          req.on("socket", (s) => sockets.add(s));
          req.on("error", reject);
          req.end(r.body);
        }),
      );
      await new Promise((r) => setTimeout(r, 600)); // past the server's give-up time for an unread body
    }
  } finally {
    agent.destroy();
  }
  return { results, sockets: sockets.size };
}

test("keep-alive (node Agent): an early 413, 401 or 429 with an unread body says Connection: close, and the next request succeeds", async () => {
  const plain = await serveWith({});
  const tooBig = await onOneAgent(plain, [
    { method: "POST", path: "/api/chat", headers: { "content-type": "application/json" }, body: BIG },
    { method: "GET", path: "/api/health" },
  ]);
  assert.deepEqual(tooBig.results.map((r) => r.status), [413, 200]);
  assert.equal(tooBig.results[0].connection, "close", "the refusal tells the client not to reuse the connection");

  const guarded = await serveWith({ API_TOKEN: "t0ken", RATE_LIMIT_PER_MINUTE: "2" });
  // Under the size limit; the 401 takes one of the two requests a minute (limits come first).
  const body = JSON.stringify({ question: "辽宁".repeat(8000) });
  const auth = { authorization: "Bearer t0ken", "content-type": "application/json" };
  const refused = await onOneAgent(guarded, [
    // Chunked: no length to tell the server it could read the body cheaply, so it is left unread.
    { method: "POST", path: "/api/chat", headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, body },
    { method: "GET", path: "/api/health" },
    { method: "POST", path: "/api/chat", headers: auth, body: JSON.stringify({ question: "辽宁清洁能源强省有哪些措施" }) },
    { method: "POST", path: "/api/chat", headers: { ...auth, "transfer-encoding": "chunked" }, body },
    { method: "GET", path: "/api/health" },
  ]);
  assert.deepEqual(refused.results.map((r) => r.status), [401, 200, 200, 429, 200]);
  assert.equal(refused.results[0].connection, "close");
  assert.equal(refused.results[3].connection, "close");
  assert.equal(refused.results[2].connection, "keep-alive", "a request whose body was read keeps its connection");
});

test("a 2,000-character Chinese question fits in GET /api/search; a longer URL gets a JSON 431 that says to use POST", async () => {
  const url = await serveWith({});
  const longest = "辽宁清洁能源强省有哪些措施".repeat(200).slice(0, 2000);
  const ok = await fetch(`${url}/api/search?q=${encodeURIComponent(longest)}`);
  assert.equal(ok.status, 200, "the longest accepted question is answered, not refused for its header size");
  assert.ok((await ok.json()).results.length > 0);

  const over = await fetch(`${url}/api/search?q=${encodeURIComponent(longest + "辽")}`);
  assert.equal(over.status, 400);
  assert.equal((await over.json()).error.code, "question_too_long");

  // Far past any question the API takes: node refuses the headers; the refusal is still the API's JSON error.
  const huge = await fetch(`${url}/api/search?q=${encodeURIComponent("辽".repeat(20_000))}`);
  assert.equal(huge.status, 431);
  assert.match(huge.headers.get("content-type") ?? "", /application\/json/);
  const body = await huge.json();
  assert.equal(body.error.code, "headers_too_large");
  assert.match(body.error.message, /POST \/api\/chat/);
  assert.match(body.error.message, /^\p{Script=Han}/u, "Chinese first");
});
