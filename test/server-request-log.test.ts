/**
 * The request log, over real HTTP: one line per request (time, method, path, status, ms, request id),
 * refusals included; the id taken from X-Request-Id or generated, and echoed; questions' text only
 * with LOG_QUESTIONS=1; human-readable by default, JSON with LOG_FORMAT=json — also from the real
 * server started as a user starts it, whose stderr then holds nothing but JSON records.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import { createLogger } from "../log/logger.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import { CORPUS_DIR, sharedIndex } from "./support/shared-index.ts";
import { listen, privateIndexRoot, type Running } from "./support/server-harness.ts";
import { startServerProcess, type ServerProcess } from "./support/server-process.ts";

let index: SearchIndex;
const servers: Running[] = [];
let child: ServerProcess | undefined;
let root: string | undefined;
before(async () => {
  index = await sharedIndex();
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  child?.kill();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** Serves the app with a logger whose lines are collected. */
async function serveWith(env: Record<string, string>): Promise<{ url: string; lines: string[] }> {
  const config = readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0", ...env });
  const lines: string[] = [];
  const logger = createLogger(config.log, { sink: { write: (line) => lines.push(line) } });
  const running = await listen(createApp({ config, getIndex: () => index, generator: createGenerator(readSettings({}).generator), logger }));
  servers.push(running);
  return { url: running.url, lines };
}

const QUESTION = "辽宁清洁能源强省有哪些措施";
const chat = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ question: QUESTION }) });
/** Lines are written when a response has gone out: give the last one that moment. */
const settle = () => new Promise((r) => setTimeout(r, 50));

test("JSON: one record per request, refusals included, with time, method, path, status, ms and request id", async () => {
  const { url, lines } = await serveWith({ LOG_FORMAT: "json", RATE_LIMIT_PER_MINUTE: "3" });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await chat(url);
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  const search = await fetch(`${url}/api/search?q=${encodeURIComponent(QUESTION)}`, { headers: { "x-request-id": "trace-42" } });
  assert.equal(search.headers.get("x-request-id"), "trace-42", "a usable id is kept and echoed");
  await search.arrayBuffer();
  const odd = await fetch(`${url}/api/health`, { headers: { "x-request-id": "not usable; <script>" } });
  const generated = odd.headers.get("x-request-id")!;
  assert.match(generated, /^[0-9a-f-]{36}$/, "an unusable id is replaced");
  await odd.arrayBuffer();
  await settle();

  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  const records = lines.map((l) => JSON.parse(l));
  assert.equal(records.length, 7, lines.join(""));
  assert.deepEqual(records.map((r) => r.status), [...statuses, 200, 200]);
  for (const r of records) {
    assert.ok(!Number.isNaN(Date.parse(r.time)), `a timestamp: ${r.time}`);
    assert.equal(typeof r.ms, "number");
    assert.equal(typeof r.reqId, "string");
    assert.equal(r.level, "info");
  }
  assert.deepEqual(records.slice(0, 5).map((r) => [r.method, r.path]), Array(5).fill(["POST", "/api/chat"]));
  assert.equal(records[5].reqId, "trace-42");
  assert.equal(records[5].path, "/api/search", "the path without the query string");
  assert.equal(records[6].reqId, generated);
  assert.ok(!lines.join("").includes(QUESTION), "no question text without LOG_QUESTIONS");
});

test("LOG_QUESTIONS=1 adds the question to its request's record; pretty lines read as one line each", async () => {
  const withQuestions = await serveWith({ LOG_FORMAT: "json", LOG_QUESTIONS: "1" });
  await (await chat(withQuestions.url)).arrayBuffer();
  await (await fetch(`${withQuestions.url}/api/search?q=${encodeURIComponent("中欧班列")}`)).arrayBuffer();
  await settle();
  assert.deepEqual(withQuestions.lines.map((l) => JSON.parse(l).question), [QUESTION, "中欧班列"]);

  const quiet = await serveWith({ LOG_LEVEL: "warn" });
  await (await chat(quiet.url)).arrayBuffer();
  await settle();
  assert.deepEqual(quiet.lines, [], "LOG_LEVEL=warn leaves out the info-level request lines");

  const pretty = await serveWith({});
  await (await chat(pretty.url, { "x-request-id": "r-1" })).arrayBuffer();
  await settle();
  assert.equal(pretty.lines.length, 1);
  assert.match(pretty.lines[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO  POST \/api\/chat 200 [\d.]+ ms {2}reqId=r-1\n$/);
});

test("the real server with LOG_FORMAT=json writes only JSON records on stderr: start-up, progress, requests, stop", { timeout: 120_000 }, async () => {
  root = await privateIndexRoot();
  child = await startServerProcess({ env: { CORPUS_DIR, INDEX_DIR: root, LOG_FORMAT: "json", RATE_LIMIT_PER_MINUTE: "2" } });
  for (let i = 0; i < 3; i++) await (await chat(child.url)).arrayBuffer();
  child.child.kill("SIGTERM");
  assert.equal(await child.exited, 0);
  const records = child.stderr().trim().split("\n").map((l) => {
    assert.doesNotThrow(() => JSON.parse(l), `not JSON: ${l}`);
    return JSON.parse(l);
  });
  assert.ok(records.some((r) => /Using the index/.test(r.msg)));
  assert.ok(records.some((r) => r.stage === "read"), "progress lines are records too");
  assert.deepEqual(records.filter((r) => r.path === "/api/chat").map((r) => r.status), [200, 200, 429]);
  assert.ok(records.some((r) => /SIGTERM received/.test(r.msg)));
});
