/**
 * Embeddings through an OpenAI-compatible endpoint, against small embeddings servers on loopback that
 * speak the protocol the way real ones differ (test/support/embeddings-stub.ts): a server that honours
 * `input_type`, one that ignores it (Ollama, TEI), one that rejects it (OpenAI). These run on every
 * machine; the same paths against the real multilingual-e5-small are in e5-*.test.ts.
 *
 * What a user would notice: roles reach the server the way it understands them, requests are bounded
 * batches sent one at a time, a server that is down or refuses is an error naming its URL and what to
 * do, the previous index keeps serving, and an index is never searched with another model.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readSettings } from "../config/settings.ts";
import { openIndex, runIngest } from "../ingest/build.ts";
import { prepareIndex } from "../server/prepare-index.ts";
import { currentIndexDir } from "../vectors/index-folder.ts";
import { EmbeddingEndpointError, EndpointEmbedder, PROBE_TEXT } from "../vectors/endpoint-embedder.ts";
import { EmbeddingMismatchError, indexMatchesSettings, openSearchIndex } from "../vectors/search-index.ts";
import { BOOKLET, layoutBooklet } from "./fixtures/ingest/make-files.ts";
import { startEmbeddingsStub, type EmbeddingsStub } from "./support/embeddings-stub.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vectors-endpoint-"));
const corpus = path.join(tmp, "corpus");
fs.mkdirSync(corpus);
fs.writeFileSync(path.join(corpus, "booklet.txt"), layoutBooklet(BOOKLET));
const stubs: EmbeddingsStub[] = [];
after(async () => {
  await Promise.all(stubs.map((s) => s.close()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function stub(opts: Parameters<typeof startEmbeddingsStub>[0] = {}): Promise<EmbeddingsStub> {
  const s = await startEmbeddingsStub(opts);
  stubs.push(s);
  return s;
}

const settingsFor = (baseUrl: string, extra: Record<string, string> = {}) =>
  readSettings({ EMBEDDING_BASE_URL: baseUrl, EMBEDDING_MODEL: "multilingual-e5-small", ...extra }).embedding;
const endpoint = (baseUrl: string, over: Partial<{ model: string; apiKey: string; batchSize: number; timeoutMs: number }> = {}) => ({
  baseUrl,
  model: "multilingual-e5-small",
  batchSize: 8,
  timeoutMs: 5000,
  ...over,
});
let rootNo = 0;
const newRoot = () => path.join(tmp, `index-${++rootNo}`);

test("a server that honours input_type gets the raw text with the role; others get the model's prefixes", async () => {
  const honours = await stub({ inputType: "honour" });
  const e1 = await EndpointEmbedder.connect(endpoint(honours.baseUrl));
  assert.equal(e1.info.roles, "input_type");
  honours.requests.length = 0;
  await e1.embedQuery("清洁能源");
  await e1.embedDocuments(["建设海上风电基地。"]);
  assert.deepEqual(honours.requests.map((r) => [r.input, r.input_type]), [[["清洁能源"], "query"], [["建设海上风电基地。"], "document"]]);

  for (const inputType of ["ignore", "reject"] as const) {
    const server = await stub({ inputType });
    const e = await EndpointEmbedder.connect(endpoint(server.baseUrl));
    assert.equal(e.info.roles, "prefix", inputType);
    server.requests.length = 0;
    await e.embedQuery("清洁能源");
    await e.embedDocuments(["建设海上风电基地。"]);
    assert.deepEqual(server.requests.map((r) => [r.input, r.input_type]), [[["query: 清洁能源"], undefined], [["passage: 建设海上风电基地。"], undefined]], inputType);
  }
});

test("ingest through an endpoint: bounded batches one at a time, the manifest records provider, model, dimensions and the origin only", async () => {
  const server = await stub({ inputType: "honour" });
  const root = newRoot();
  const summary = await runIngest({ corpusDir: corpus, indexRoot: root, settings: settingsFor(server.baseUrl, { EMBEDDING_BATCH_SIZE: "3", EMBEDDING_API_KEY: "secret-key" }) });
  const sizes = server.requests.map((r) => r.input.length);
  assert.ok(sizes.every((n) => n >= 1 && n <= 3), `every request holds at most EMBEDDING_BATCH_SIZE=3 texts: ${sizes.join(",")}`);
  const embedded = server.requests.filter((r) => r.input_type === "document").reduce((n, r) => n + r.input.length, 0);
  const sentences = JSON.parse(fs.readFileSync(path.join(summary.indexDir, "sentences.json"), "utf8")).rows.length;
  assert.equal(embedded, summary.chunks + sentences + 1, "each passage and sentence once, plus the role probe");
  assert.ok(server.requests.every((r) => r.authorization === "Bearer secret-key"), "the key goes in the Authorization header");

  const manifestText = fs.readFileSync(path.join(summary.indexDir, "manifest.json"), "utf8");
  const { embedding } = JSON.parse(manifestText);
  assert.equal(embedding.provider, "openai-compatible");
  assert.equal(embedding.model, "multilingual-e5-small");
  assert.equal(embedding.dimensions, 64);
  assert.equal(embedding.roles, "input_type");
  assert.equal(embedding.endpoint, new URL(server.baseUrl).origin);
  assert.doesNotMatch(manifestText, /secret-key/, "the key is never written");

  const index = await openSearchIndex(summary.indexDir, { settings: settingsFor(server.baseUrl), log: () => {} });
  const hits = await index.search("城市树木移植需要批准吗", { k: 3, mode: "dense" });
  assert.match(hits[0].chunk.text, /移植/, "dense search through the endpoint finds the passage");
  assert.equal(index.denseStatus().state, "ok");
  server.requests.length = 0;
  await index.search("城市树木的养护责任", { k: 3, mode: "bm25" });
  assert.equal(server.requests.length, 0, "keyword search asks the endpoint nothing");
  await index.search("城市树木的养护责任", { k: 3 });
  await index.search("城市树木的养护责任", { k: 3, mode: "dense" });
  assert.equal(server.requests.length, 1, "a question is embedded once, then its vector is reused");
});

test("an unchanged passage is not embedded again by the next build with the same model; --force embeds everything", async () => {
  const server = await stub({ inputType: "honour" });
  const root = newRoot();
  const settings = settingsFor(server.baseUrl);
  await runIngest({ corpusDir: corpus, indexRoot: root, settings });
  const second = path.join(tmp, "corpus-plus");
  fs.cpSync(corpus, second, { recursive: true });
  fs.writeFileSync(path.join(second, "notice.txt"), "关于加强储能建设的通知\n\n一、加快新型储能发展，建设一批电网侧储能电站。\n");
  server.requests.length = 0;
  const summary = await runIngest({ corpusDir: second, indexRoot: root, settings });
  const texts = server.requests.filter((r) => r.input_type === "document").flatMap((r) => r.input).filter((t) => t !== PROBE_TEXT);
  assert.ok(texts.length > 0 && texts.every((t) => /储能/.test(t)), `only the new file's texts are embedded: ${texts.join(" | ")}`);
  const index = await openSearchIndex(summary.indexDir, { settings, log: () => {} });
  assert.match((await index.search("城市树木移植", { k: 1, mode: "dense" }))[0].chunk.text, /移植/, "reused vectors still find their passages");

  server.requests.length = 0;
  await runIngest({ corpusDir: second, indexRoot: root, settings, force: true });
  const all = server.requests.filter((r) => r.input_type === "document").reduce((n, r) => n + r.input.length, 0);
  assert.ok(all > texts.length + 10, "--force embeds every text again");
});

test("errors name the endpoint and say what to do: down, wrong key, unknown model, a timeout; a 503 is retried", async () => {
  const closed = await stub();
  const downUrl = closed.baseUrl;
  await closed.close();
  stubs.splice(stubs.indexOf(closed), 1);
  await assert.rejects(EndpointEmbedder.connect(endpoint(downUrl)), (err: Error) => {
    assert.ok(err instanceof EmbeddingEndpointError);
    assert.match(err.message, new RegExp(`${downUrl.replace(/[.]/g, "\\.")} \\(model "multilingual-e5-small"\\) is not reachable \\(ECONNREFUSED\\)`));
    assert.match(err.message, /start it, or check EMBEDDING_BASE_URL/);
    return true;
  });

  const keyed = await stub({ apiKey: "right" });
  await assert.rejects(EndpointEmbedder.connect(endpoint(keyed.baseUrl, { apiKey: "wrong" })), /refused the request \(HTTP 401: Incorrect API key provided\): check EMBEDDING_API_KEY/);

  const named = await stub({ model: "bge-m3" });
  await assert.rejects(EndpointEmbedder.connect(endpoint(named.baseUrl)), /answered 404 \(model "multilingual-e5-small" not found, try pulling it first\)/);

  const slow = await stub();
  slow.hang(true);
  const t0 = performance.now();
  await assert.rejects(EndpointEmbedder.connect(endpoint(slow.baseUrl, { timeoutMs: 300 })), /did not answer within 300 ms \(EMBEDDING_TIMEOUT_MS\)/);
  assert.equal(slow.requests.length, 3, "one try and two retries");
  assert.ok(performance.now() - t0 < 10_000);
  slow.hang(false);

  const flaky = await stub({ inputType: "honour" });
  flaky.failNext(1, 503);
  const e = await EndpointEmbedder.connect(endpoint(flaky.baseUrl));
  assert.equal(e.info.dimensions, 64, "the 503 was retried and the build went on");
});

test("endpoint down: the ingest fails naming it and the previous index keeps serving, by keywords, saying so", async () => {
  const server = await stub({ inputType: "honour" });
  const root = newRoot();
  const settings = settingsFor(server.baseUrl);
  const first = await runIngest({ corpusDir: corpus, indexRoot: root, settings });
  const gone = await startEmbeddingsStub();
  await gone.close(); // its port now refuses connections
  const down = settingsFor(gone.baseUrl);

  // A changed corpus needs a build; the endpoint is down: the build fails and `current` stays.
  const changed = path.join(tmp, "corpus-changed");
  fs.cpSync(corpus, changed, { recursive: true });
  fs.writeFileSync(path.join(changed, "more.txt"), "关于推进清洁能源发展的意见\n\n一、大力发展风电和光伏发电。\n");
  await assert.rejects(runIngest({ corpusDir: changed, indexRoot: root, settings: down }), (err: Error) => {
    assert.ok(err instanceof EmbeddingEndpointError, String(err));
    assert.ok(err.message.startsWith(`Embedding endpoint ${gone.baseUrl} (model "multilingual-e5-small") is not reachable (ECONNREFUSED)`), err.message);
    return true;
  });
  assert.equal(currentIndexDir(root), fs.realpathSync(first.indexDir));

  // `npm run ingest` was asked to build: it fails too.
  await assert.rejects(openIndex({ corpusDir: changed, indexRoot: root, settings: down }), EmbeddingEndpointError);
  // At start (prepareIndex, as `npm start` does): the previous index of that model is served, keywords only.
  const logs: string[] = [];
  const index = await prepareIndex({ corpusDir: changed, indexRoot: root, settings: down, log: (m) => logs.push(m) });
  assert.equal(fs.realpathSync(index.dir), fs.realpathSync(first.indexDir));
  assert.match(logs.join("\n"), /serving the previous one/);
  const status = index.denseStatus();
  assert.equal(status.state, "unavailable");
  assert.ok(status.reason!.includes(gone.baseUrl), status.reason);
  const hits = await index.search("城市树木移植需要批准吗", { k: 3 });
  assert.match(hits[0].chunk.text, /移植/, "keyword search answers");
  assert.ok(hits.every((h) => h.ranks.dense === undefined));
  assert.deepEqual(await index.search("城市树木", { mode: "dense" }), []);
  assert.equal(index.semantic, undefined, "no sentence similarity while the model cannot be reached");

  // No previous index of that model: the start fails with the endpoint's error (no crash loop, no other model).
  await assert.rejects(prepareIndex({ corpusDir: corpus, indexRoot: newRoot(), settings: down, log: () => {} }), EmbeddingEndpointError);
});

test("an endpoint that comes back is used again after the retry interval", async () => {
  const server = await stub({ inputType: "honour" });
  const root = newRoot();
  const settings = settingsFor(server.baseUrl);
  const summary = await runIngest({ corpusDir: corpus, indexRoot: root, settings });
  const logs: string[] = [];
  const index = await openSearchIndex(summary.indexDir, { settings, log: (m) => logs.push(m), endpointRetryMs: 200 });
  server.failNext(100, 503);
  const during = await index.search("城市树木移植需要批准吗", { k: 3 });
  assert.ok(during.length > 0 && during.every((h) => h.ranks.dense === undefined), "a failing endpoint: keywords only, no error");
  assert.equal(index.denseStatus().state, "unavailable");
  server.failNext(0, 503);
  await new Promise((r) => setTimeout(r, 250));
  const afterwards = await index.search("城市树木移植需要批准吗", { k: 3 });
  assert.ok(afterwards.some((h) => h.ranks.dense !== undefined), "dense again once it answers");
  assert.equal(index.denseStatus().state, "ok");
  assert.match(logs.join("\n"), /answers again/);
});

test("an index is never searched with another model; the ingest rebuilds for the new one", async () => {
  const server = await stub({ inputType: "honour" });
  const root = newRoot();
  const e5 = settingsFor(server.baseUrl);
  const built = await runIngest({ corpusDir: corpus, indexRoot: root, settings: e5 });
  const manifest = JSON.parse(fs.readFileSync(path.join(built.indexDir, "manifest.json"), "utf8"));
  const other = readSettings({ EMBEDDING_BASE_URL: server.baseUrl, EMBEDDING_MODEL: "bge-m3" }).embedding;
  const trained = readSettings({}).embedding;
  assert.equal(indexMatchesSettings(manifest, e5), true);
  assert.equal(indexMatchesSettings(manifest, settingsFor("http://127.0.0.1:1234/v1")), true, "the same served model at a new address");
  assert.equal(indexMatchesSettings(manifest, other), false);
  assert.equal(indexMatchesSettings(manifest, trained), false);
  await assert.rejects(openSearchIndex(built.indexDir, { settings: other, log: () => {} }), (err: Error) => {
    assert.ok(err instanceof EmbeddingMismatchError);
    assert.match(err.message, /built with embedding model "multilingual-e5-small" from the endpoint at http:\/\/127\.0\.0\.1:\d+, but the settings ask for embedding model "bge-m3"/);
    return true;
  });
  await assert.rejects(openSearchIndex(built.indexDir, { settings: trained, log: () => {} }), EmbeddingMismatchError);

  // A server that now answers with other dimensions under the same name: refused, and rebuilt by openIndex.
  const wider = await stub({ inputType: "honour", dimensions: 96 });
  const moved = settingsFor(wider.baseUrl);
  await assert.rejects(openSearchIndex(built.indexDir, { settings: moved, log: () => {} }), /now gives 96 dimensions, the index holds 64/);
  const logs: string[] = [];
  const rebuilt = await openIndex({ corpusDir: corpus, indexRoot: root, settings: moved, log: (m) => logs.push(m) });
  assert.equal(rebuilt.embedding.dimensions, 96);
  assert.match(logs.join("\n"), /Rebuilding it/);
});
