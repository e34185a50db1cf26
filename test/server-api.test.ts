/**
 * The HTTP API over real HTTP on the real corpus, with the offline (extractive) generator: health,
 * search, chat as JSON and SSE, articles, the web page with its security headers, and the
 * OpenAI-compatible endpoint driven by the official `openai` client.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import { buildWeb } from "../web/build.ts";
import { sharedIndex } from "./support/shared-index.ts";
import { listen, rawGet, readSseEvents, type Running } from "./support/server-harness.ts";
import type { Citation as CitationJson } from "../server/answer/types.ts";

const MISSION = "辽宁清洁能源强省有哪些措施";
const ITEM12_TERMS = ["风光火核储", "海上风电", "徐大堡", "氢能", "抽水蓄能"];

let index: SearchIndex;
let running: Running;
let url: string;
let webDir: string;

before(async () => {
  index = await sharedIndex();
  webDir = await buildWeb({ outDir: fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-web-")) });
  const config = readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0" });
  const app = createApp({ config, getIndex: () => index, generator: createGenerator(readSettings({}).generator), webDir });
  running = await listen(app);
  url = running.url;
});

after(async () => {
  await running?.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});


const postJson = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url + p, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

/** The citation pointing at item `no` of the section whose heading contains `heading`, if any. */
const citationOf = (citations: CitationJson[], no: string, heading: string) =>
  citations.find((c) => c.itemNo === no && c.headingPath.some((h) => h.includes(heading)));

test("health reports the index and the generator", async () => {
  const res = await fetch(`${url}/api/health`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, "ok");
  assert.equal(body.articles, index.core.articles.length);
  assert.ok(body.articles >= 10, `the seed booklet holds 12 articles, got ${body.articles}`);
  assert.equal(body.chunks, index.core.chunks.length);
  assert.equal(body.embedding.model, index.embedding.model);
  assert.equal(body.generator.kind, "extractive");
});

test("search puts the opinion's item 12 first for the mission question, passages verbatim", async () => {
  const res = await fetch(`${url}/api/search?q=${encodeURIComponent(MISSION)}`);
  assert.equal(res.status, 200);
  const { results } = await res.json();
  assert.equal(results.length, 5, "k defaults to 5");
  assert.equal(results[0].itemNo, "12");
  assert.ok(results[0].headingPath.some((h: string) => h.includes("清洁能源强省")), results[0].headingPath.join(" › "));
  for (const r of results) {
    assert.equal(r.text, index.chunk(r.id)?.text, "text is the passage verbatim");
    assert.ok("dense" in r.ranks && "bm25" in r.ranks);
    assert.equal(typeof r.score, "number");
  }
  const scores = results.map((r: { score: number }) => r.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), "best first");
});

test("search honours k (up to 50) and mode", async () => {
  const many = await (await fetch(`${url}/api/search?q=${encodeURIComponent("中欧班列")}&k=50`)).json();
  assert.ok(many.results.length > 5 && many.results.length <= 50);
  assert.equal(new Set(many.results.map((r: { id: string }) => r.id)).size, many.results.length, "no passage twice");
  const bm25 = await (await fetch(`${url}/api/search?q=${encodeURIComponent("中欧班列")}&k=3&mode=bm25`)).json();
  assert.ok(bm25.results.length >= 1 && bm25.results.length <= 3);
  for (const r of bm25.results) assert.equal(typeof r.ranks.bm25, "number");
  assert.ok(bm25.results.some((r: CitationJson) => r.itemNo === "22"), "中欧班列 is the opinion's item 22");
});

test("chat (JSON) answers the mission question from item 12, citing it with a verbatim quote", async () => {
  const res = await postJson("/api/chat", { question: MISSION });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.refused, false);
  const cited = citationOf(body.citations, "12", "清洁能源强省");
  assert.ok(cited, `cites item 12; got ${body.citations.map((c: CitationJson) => c.headingPath.at(-1)).join(" | ")}`);
  const found = ITEM12_TERMS.filter((t) => body.answer.includes(t));
  assert.ok(found.length >= 3, `the answer names item 12's measures (found ${found.join("、")}): ${body.answer}`);
  assert.match(body.answer, new RegExp(`\\[${cited.n}\\]`));
  body.citations.forEach((c: CitationJson, i: number) => {
    assert.equal(c.n, i + 1, "numbered 1.. in order");
    assert.equal(c.quote, index.chunk(c.chunkId)?.text, "quote is the passage verbatim");
  });
});

test("chat follows up: 那粮食安全呢？ after the mission question answers from item 17", async () => {
  const first = await (await postJson("/api/chat", { question: MISSION })).json();
  const res = await postJson("/api/chat", {
    question: "那粮食安全呢？",
    history: [
      { role: "user", content: MISSION },
      { role: "assistant", content: first.answer },
    ],
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.refused, false);
  assert.notEqual(body.question, "那粮食安全呢？", "the follow-up was rewritten into a standalone question");
  assert.ok(body.citations.some((c: CitationJson) => c.itemNo === "17"), `cites item 17: ${JSON.stringify(body.citations.map((c: CitationJson) => c.headingPath))}`);
});

test("chat says so when the documents do not cover the question", async () => {
  const body = await (await postJson("/api/chat", { question: "火星探测器计划在哪一年发射？" })).json();
  assert.equal(body.refused, true);
  assert.match(body.answer, /没有找到|未找到|没有提到|未提及/);
});

test("chat streams SSE: retrieval, several tokens, then done", async () => {
  for (const [body, headers] of [
    [{ question: MISSION, stream: true }, {}],
    [{ question: MISSION }, { accept: "text/event-stream" }],
  ] as const) {
    const res = await postJson("/api/chat", body, headers);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const events = await readSseEvents(res);
    assert.equal(events[0].event, "retrieval");
    const retrieval = JSON.parse(events[0].data);
    assert.ok(retrieval.passages.length > 0);
    const tokens = events.filter((e) => e.event === "token");
    assert.ok(tokens.length >= 3, `several token events, got ${tokens.length}`);
    const last = events.at(-1)!;
    assert.equal(last.event, "done");
    const done = JSON.parse(last.data);
    assert.equal(done.refused, false);
    assert.ok(citationOf(done.citations, "12", "清洁能源强省"));
    assert.ok(tokens.map((t) => JSON.parse(t.data).text).join("").length > 0);
  }
});

test("articles list and article text with every chunk's offsets", async () => {
  const { articles } = await (await fetch(`${url}/api/articles`)).json();
  assert.equal(articles.length, index.core.articles.length);
  assert.equal(
    articles.reduce((n: number, a: { chunks: number }) => n + a.chunks, 0),
    index.core.chunks.length,
    "every chunk belongs to a listed article",
  );
  const opinion = articles.find((a: { title: string }) => a.title.includes("意见"));
  assert.ok(opinion, "the opinion is listed");
  const detail = await (await fetch(`${url}/api/articles/${encodeURIComponent(opinion.id)}`)).json();
  assert.equal(detail.chunks.length, opinion.chunks);
  for (const ch of detail.chunks) assert.equal(detail.text.slice(ch.start, ch.end), index.chunk(ch.id)?.text);
});

test("unknown and traversal-looking article ids get 404", async () => {
  for (const raw of ["/api/articles/no-such-id", "/api/articles/..%2F..%2Fpackage.json", "/api/articles/%2e%2e", "/api/articles/..%5C..%5Cpackage.json"]) {
    const res = await rawGet(url, raw);
    assert.equal(res.status, 404, raw);
    assert.ok(JSON.parse(res.body).error.code, raw);
    assert.doesNotMatch(res.body, /"dependencies"/);
  }
});

test("the page is served with a strict CSP and security headers", async () => {
  const res = await fetch(`${url}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/html/);
  assert.match(await res.text(), /<script[^>]+src=/);
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("referrer-policy"), "no-referrer");
  const api = await fetch(`${url}/api/health`, { headers: { origin: "http://elsewhere.example" } });
  assert.equal(api.headers.get("x-content-type-options"), "nosniff");
  assert.equal(api.headers.get("access-control-allow-origin"), null, "CORS is off by default");
});

test("path traversal on static files gets 404, never a file outside web/dist", async () => {
  for (const raw of ["/../package.json", "/%2e%2e/package.json", "/..%2fpackage.json", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "//etc/passwd", "/..%5Cpackage.json", "/%5C..%5Cpackage.json", "/app.js/../../package.json"]) {
    const res = await rawGet(url, raw);
    assert.equal(res.status, 404, raw);
    assert.doesNotMatch(res.body, /"dependencies"|root:x:0/, raw);
  }
});

test("the openai client gets an answer with its sources, not streamed", async () => {
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "not-needed", maxRetries: 0 });
  const completion = await client.chat.completions.create({ model: "policy-qa", messages: [{ role: "user", content: MISSION }] });
  const content = completion.choices[0].message.content ?? "";
  assert.equal(completion.choices[0].finish_reason, "stop");
  assert.match(content, /\[1\]/);
  const sources = content.slice(content.lastIndexOf("来源："));
  assert.match(sources, /^来源：\n\[1\] /, "a numbered source list ends the content");
  assert.match(sources, /清洁能源强省/, "item 12 is among the sources");
  const citations = (completion as unknown as { citations: CitationJson[] }).citations;
  assert.ok(citationOf(citations, "12", "清洁能源强省"));
});

test("the openai client gets an answer with its sources, streamed", async () => {
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "not-needed", maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: "policy-qa",
    stream: true,
    messages: [
      { role: "system", content: "You are a pirate." },
      { role: "user", content: MISSION },
    ],
  });
  let content = "";
  let chunks = 0;
  let last: unknown;
  for await (const chunk of stream) {
    chunks++;
    content += chunk.choices[0]?.delta?.content ?? "";
    last = chunk;
  }
  assert.ok(chunks >= 4, `streamed in several chunks, got ${chunks}`);
  assert.match(content, /\[1\]/);
  assert.match(content, /来源：\n\[1\] [^\n]+/);
  assert.match(content.slice(content.lastIndexOf("来源：")), /清洁能源强省/);
  const final = last as { choices: { finish_reason: string }[]; citations: CitationJson[] };
  assert.equal(final.choices[0].finish_reason, "stop");
  assert.ok(citationOf(final.citations, "12", "清洁能源强省"), "the final chunk carries the citations");
});

test("the openai client carries a conversation: earlier messages are the history of a follow-up", async () => {
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "not-needed", maxRetries: 0 });
  const first = await client.chat.completions.create({ model: "policy-qa", messages: [{ role: "user", content: MISSION }] });
  const followUp = await client.chat.completions.create({
    model: "policy-qa",
    messages: [
      { role: "user", content: MISSION },
      // Sent back as the client received it, source list included.
      { role: "assistant", content: first.choices[0].message.content ?? "" },
      { role: "user", content: "那粮食安全呢？" },
    ],
  });
  const citations = (followUp as unknown as { citations: CitationJson[] }).citations;
  assert.ok(citations.some((c) => c.itemNo === "17"), `cites item 17: ${JSON.stringify(citations.map((c) => c.headingPath.at(-1)))}`);
});
