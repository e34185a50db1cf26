/**
 * The API contract against the real server over real HTTP (real corpus, offline generator): Hono's typed
 * client `hc<AppType>` calls search, chat (JSON and SSE), articles and health, and every reply and
 * event parses with the contract's own schemas — so a route that drifts from the contract fails here.
 * Also: the page's bundle holds no server code and no zod (the page imports the contract as types only).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hc } from "hono/client";
import type { AppType } from "../server/app.ts";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import {
  articleDetailSchema,
  articleListSchema,
  chatResponseSchema,
  doneEventSchema,
  errorBodySchema,
  healthResponseSchema,
  retrievalEventSchema,
  searchResponseSchema,
  tokenEventSchema,
} from "../server/contract/index.ts";
import { buildWeb } from "../web/build.ts";
import { sharedIndex } from "./support/shared-index.ts";
import { listen, readSseEvents, type Running } from "./support/server-harness.ts";

let running: Running;
let client: ReturnType<typeof hc<AppType>>;

before(async () => {
  const index = await sharedIndex();
  const config = readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0" });
  running = await listen(createApp({ config, getIndex: () => index, generator: createGenerator(readSettings({}).generator) }));
  client = hc<AppType>(running.url);
});

after(() => running?.close());

test("search through the typed client: item 12 first for the mission question, reply as the contract says", async () => {
  const res = await client.api.search.$get({ query: { q: "辽宁清洁能源强省有哪些措施", k: "3", mode: "hybrid" } });
  assert.equal(res.status, 200);
  const body = searchResponseSchema.parse(await res.json());
  assert.equal(body.results.length, 3);
  assert.equal(body.results[0].itemNo, "12");
  assert.match(body.results[0].text, /清洁能源/);
});

test("a bad query through the typed client: 400 in the contract's error shape, in the query's language", async () => {
  const res = await client.api.search.$get({ query: { q: "中欧班列", k: "0" } });
  assert.equal(res.status, 400);
  const body = errorBodySchema.parse(await res.json());
  assert.equal(body.error.code, "invalid_k");
  assert.match(body.error.message, /\p{Script=Han}/u);
  assert.match(body.error.message, /50/);
});

test("chat (JSON) through the typed client: an answer citing item 12, reply as the contract says", async () => {
  const res = await client.api.chat.$post({ json: { question: "辽宁清洁能源强省有哪些措施", stream: false } });
  assert.equal(res.status, 200);
  const body = chatResponseSchema.strict().parse(await res.json());
  assert.equal(body.refused, false);
  assert.ok(body.citations.some((c) => c.itemNo === "12"), JSON.stringify(body.citations.map((c) => c.headingPath)));
  assert.match(body.answer, /\[1\]/);
  for (const c of body.citations) {
    assert.ok(body.answer.includes(`[${c.n}]`), `citation ${c.n} is used in the answer`);
    // The passage's sentence offsets travel with it (the page highlights by them).
    assert.ok(c.sentences?.length && c.sentences.every(([a, b]) => a < b && b <= c.quote.length), JSON.stringify(c.sentences));
  }
});

test("chat (SSE) through the typed client: every event parses with its contract schema", async () => {
  const res = await client.api.chat.$post({ json: { question: "那粮食安全呢？", history: [{ role: "user", content: "辽宁清洁能源强省有哪些措施" }], stream: true } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const events = await readSseEvents(res);
  const names = events.map((e) => e.event);
  assert.equal(names[0], "retrieval");
  assert.equal(names.at(-1), "done");
  const schemas = { retrieval: retrievalEventSchema.strict(), token: tokenEventSchema.strict(), done: doneEventSchema.strict() };
  for (const e of events) {
    const schema = schemas[e.event as keyof typeof schemas];
    assert.ok(schema, `known event ${e.event}`);
    schema.parse(JSON.parse(e.data));
  }
  const done = doneEventSchema.parse(JSON.parse(events.at(-1)!.data));
  const tokens = events.filter((e) => e.event === "token").map((e) => tokenEventSchema.parse(JSON.parse(e.data)).text);
  assert.equal(tokens.join(""), done.answer);
  assert.match(retrievalEventSchema.parse(JSON.parse(events[0].data)).question, /粮食/);
});

test("articles, one article and health through the typed client, as the contract says", async () => {
  const list = articleListSchema.strict().parse(await (await client.api.articles.$get()).json());
  assert.ok(list.articles.length >= 10);
  const res = await client.api.articles[":id"].$get({ param: { id: list.articles[0].id } });
  const article = articleDetailSchema.strict().parse(await res.json());
  for (const ch of article.chunks) assert.ok(ch.end > ch.start && ch.end <= article.text.length);
  const missing = await client.api.articles[":id"].$get({ param: { id: "no-such-article" } });
  assert.equal(missing.status, 404);
  assert.equal(errorBodySchema.parse(await missing.json()).error.code, "article_not_found");
  const health = healthResponseSchema.parse(await (await client.api.health.$get()).json());
  assert.equal(health.articles, list.articles.length);
});

test("the page's bundle holds only the page's own code: no server module, no zod", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-web-contract-"));
  try {
    const dir = await buildWeb({ outDir: out });
    // The source map lists every module esbuild put into app.js.
    const sources = (JSON.parse(fs.readFileSync(path.join(dir, "app.js.map"), "utf8")) as { sources: string[] }).sources;
    assert.ok(sources.some((s) => s.endsWith("src/api.ts")), sources.join(", "));
    for (const s of sources) assert.match(s, /(^|\/)web\/src\/[\w-]+\.ts$/, `only web/src modules are bundled: ${s}`);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, "app.js"), "utf8"), /ZodError|\$ZodType/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
