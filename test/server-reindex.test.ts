/**
 * Re-ingest while serving, over real HTTP on the real corpus: requests keep being answered from the
 * current index during a rebuild, and the server switches to the new build once it is complete —
 * whether the rebuild was asked for (POST /api/admin/reindex) or published by another process.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { isLoopback, readConfig } from "../server/config.ts";
import { watchIndex } from "../server/index-watch.ts";
import { rebuildInChild } from "../server/rebuild-in-child.ts";
import { createReindexer } from "../server/reindex.ts";
import { ServedIndex } from "../server/served-index.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import { currentIndexDir, newBuildDir, publishIndex } from "../vectors/index-folder.ts";
import { openSearchIndex } from "../vectors/search-index.ts";
import { CORPUS_DIR } from "./support/shared-index.ts";
import { listen, privateIndexRoot, type Running } from "./support/server-harness.ts";

const settings = readSettings({}).embedding;
const open = (dir: string) => openSearchIndex(dir, { settings });
let root: string;
let served: ServedIndex;
/** What the served index logged (switches, and builds it refused). */
const servedLog: string[] = [];
let running: Running;
let url: string;

before(async () => {
  root = await privateIndexRoot();
  served = new ServedIndex(await open(currentIndexDir(root)!), open, (msg) => servedLog.push(msg));
  const reindex = createReindexer({
    served,
    rebuild: ({ force, onProgress }) => rebuildInChild({ corpusDir: CORPUS_DIR, indexRoot: root, settings, force, onProgress }),
  });
  const config = readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0" });
  running = await listen(createApp({ config, getIndex: () => served.get(), generator: createGenerator(readSettings({}).generator), reindex }));
  url = running.url;
});

after(async () => {
  await running?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const build = async (): Promise<string> => (await (await fetch(`${url}/api/health`)).json()).index.build;

const ask = async (): Promise<void> => {
  const search = await fetch(`${url}/api/search?q=${encodeURIComponent("中欧班列")}&k=3`);
  assert.equal(search.status, 200);
  assert.equal((await search.json()).results.length, 3);
  const chat = await fetch(`${url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question: "辽宁清洁能源强省有哪些措施" }),
  });
  assert.equal(chat.status, 200);
  const body = await chat.json();
  assert.equal(body.refused, false);
  assert.ok(body.citations.length > 0);
};

test("POST /api/admin/reindex rebuilds in the background while answering, then switches", async () => {
  const before = await build();
  const start = await fetch(`${url}/api/admin/reindex`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"force":true}' });
  assert.equal(start.status, 202);
  assert.equal((await start.json()).state, "running");
  const again = await fetch(`${url}/api/admin/reindex`, { method: "POST", headers: { "content-type": "application/json" } });
  assert.equal(again.status, 409, "one reindex at a time");
  assert.equal((await again.json()).error.code, "reindex_running");

  let answeredDuring = 0;
  let status: { state: string; result?: { indexDir: string; switched: boolean } };
  for (;;) {
    await ask();
    const served = await build();
    status = await (await fetch(`${url}/api/admin/reindex`)).json();
    if (status.state !== "running") break;
    // Read before a "still running" status: the switch only happens once the new build is complete.
    assert.equal(served, before, "the old index serves until the new one is complete");
    answeredDuring++;
  }
  assert.equal(status.state, "done", JSON.stringify(status));
  assert.ok(answeredDuring >= 1, "requests were answered while the rebuild ran");
  assert.equal(status.result?.switched, true);
  const after = await build();
  assert.notEqual(after, before);
  assert.equal(after, path.basename(status.result!.indexDir));
  await ask();
});

test("an index published by another process is picked up without a restart", async () => {
  const watcher = watchIndex(root, served, 50);
  try {
    const before = await build();
    // Another process publishing a complete build: a copy of the current one under a new name.
    const next = newBuildDir(root);
    fs.cpSync(currentIndexDir(root)!, next, { recursive: true });
    publishIndex(root, next, 2);
    const deadline = Date.now() + 5000;
    while ((await build()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await build(), path.basename(next));
    await ask();

    // A broken build published by mistake is refused; the working one keeps serving.
    const broken = newBuildDir(root);
    fs.cpSync(next, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, "chunks.json"), '[{"id": "trunc');
    publishIndex(root, broken, 3);
    // Wait until the watcher has actually tried the broken build, so "still serving" means refused.
    const refused = () => servedLog.some((m) => m.includes(broken) && m.includes("could not be opened"));
    const tryDeadline = Date.now() + 10_000;
    while (!refused() && Date.now() < tryDeadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(refused(), `the watcher tried the broken build: ${servedLog.join("\n")}`);
    assert.equal(await build(), path.basename(next));
    await ask();
  } finally {
    watcher.stop();
  }
});

test("without API_TOKEN only this machine may reindex; with it, the token decides", async () => {
  const app = (env: Record<string, string>) =>
    createApp({
      config: readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0", ...env }),
      getIndex: () => served.get(),
      generator: createGenerator(readSettings({}).generator),
      reindex: { start: () => false, status: () => ({ state: "idle" }), settled: async () => {} },
    });
  // The socket a request arrived on, as @hono/node-server hands it to the app.
  const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress, remotePort: 40000, remoteFamily: remoteAddress.includes(":") ? "IPv6" : "IPv4" } } });
  const open = app({});
  assert.equal((await open.request("/api/admin/reindex", {}, from("203.0.113.7"))).status, 403);
  assert.equal((await open.request("/api/admin/reindex", {}, from("::ffff:192.168.1.20"))).status, 403);
  assert.equal((await open.request("/api/admin/reindex", {}, from("127.0.0.1"))).status, 200);
  assert.equal((await open.request("/api/admin/reindex", {}, from("::1"))).status, 200);
  const guarded = app({ API_TOKEN: "admin-token" });
  assert.equal((await guarded.request("/api/admin/reindex", {}, from("127.0.0.1"))).status, 401);
  const withToken = { headers: { authorization: "Bearer admin-token" } };
  assert.equal((await guarded.request("/api/admin/reindex", withToken, from("203.0.113.7"))).status, 200);
  assert.ok(isLoopback("::ffff:127.0.0.1") && !isLoopback(undefined));
});

test("a web page elsewhere cannot start a reindex through this machine's browser", async () => {
  const app = createApp({
    config: readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0" }),
    getIndex: () => served.get(),
    generator: createGenerator(readSettings({}).generator),
    reindex: { start: () => false, status: () => ({ state: "idle" }), settled: async () => {} },
  });
  const local = { incoming: { socket: { remoteAddress: "127.0.0.1", remotePort: 40000, remoteFamily: "IPv4" } } };
  const post = async (headers: Record<string, string>, body?: string) => {
    const res = await app.request("http://127.0.0.1:3000/api/admin/reindex", { method: "POST", headers, body }, local);
    return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
  };
  // What a cross-site <form method=post> can send: no JSON content type, empty or form body.
  // (A form always sends a Content-Type; a body-less POST without one is curl's `-X POST`.)
  assert.deepEqual(await post({}, "force=1"), { status: 400, code: "unsupported_content_type" });
  assert.deepEqual(await post({ "content-type": "application/x-www-form-urlencoded" }, ""), { status: 400, code: "unsupported_content_type" });
  assert.deepEqual(await post({ "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example" }, ""), { status: 403, code: "cross_origin" });
  assert.deepEqual(await post({ "content-type": "text/plain" }, ""), { status: 400, code: "unsupported_content_type" });
  // JSON from another origin (possible after a CORS preflight, or from a misconfigured CORS_ORIGIN).
  assert.deepEqual(await post({ "content-type": "application/json", origin: "http://evil.example" }, "{}"), { status: 403, code: "cross_origin" });
  assert.deepEqual(await post({ "content-type": "application/json", origin: "null" }, "{}"), { status: 403, code: "cross_origin" });
  // The server's own page, and a client without Origin (curl, scripts), get through to the reindexer
  // (which this stub reports as busy).
  assert.deepEqual(await post({ "content-type": "application/json", origin: "http://127.0.0.1:3000" }, "{}"), { status: 409, code: "reindex_running" });
  assert.deepEqual(await post({ "content-type": "application/json" }), { status: 409, code: "reindex_running" });
  // No body at all and no Content-Type (`curl -X POST`): accepted; with a foreign Origin it is not.
  assert.deepEqual(await post({}), { status: 409, code: "reindex_running" });
  assert.deepEqual(await post({ origin: "http://evil.example" }), { status: 403, code: "cross_origin" });
  assert.deepEqual(await post({ "content-type": "application/json" }, '{"force":"yes"}'), { status: 400, code: "invalid_body" });
});

test("a replaced index is closed (its models released) after the grace period; the one serving is not", async () => {
  const closed: string[] = [];
  const fake = (dir: string) => ({ dir, close: async () => void closed.push(dir) }) as unknown as SearchIndex;
  const swapped = new ServedIndex(fake("/builds/a"), async (dir) => fake(dir), () => {}, { closeAfterMs: 0 });
  assert.equal(await swapped.switchTo("/builds/b"), true);
  assert.equal(swapped.get().dir, "/builds/b");
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(closed, ["/builds/a"]);
  assert.equal(await swapped.switchTo("/builds/b"), false, "the same build is not reopened");
  await swapped.switchTo("/builds/c");
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(closed, ["/builds/a", "/builds/b"]);
});
