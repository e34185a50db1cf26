/** The server's settings: safe defaults, every invalid value reported at once, every variable documented. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { CONFIG_VARIABLES, ConfigError, readConfig } from "../server/config.ts";

test("defaults: loopback on port 3000, the documented limits, no token, CORS off", () => {
  const c = readConfig({});
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.port, 3000);
  assert.equal(c.corpusDir, path.resolve("corpus"));
  assert.equal(c.indexDir, path.resolve("vectors/index"));
  assert.equal(c.limits.maxQuestionChars, 2000);
  assert.equal(c.limits.maxK, 50);
  assert.ok(c.limits.chatPerMinute > 0 && c.limits.searchPerMinute > c.limits.chatPerMinute);
  assert.equal(c.security.apiToken, undefined);
  assert.deepEqual(c.security.corsOrigins, []);
  assert.equal(c.generator.llmBaseUrl, undefined, "offline generator by default");
  assert.equal(c.embedding.model, undefined, "corpus-trained embeddings by default");
});

test("every invalid value is reported at once, naming the variable", () => {
  const env = {
    PORT: "abc",
    MAX_BODY_BYTES: "-5",
    REQUEST_TIMEOUT_MS: "1.5",
    CORS_ORIGIN: "not a url",
    API_TOKEN: "has space",
    LLM_BASE_URL: "http://127.0.0.1:11434/v1",
  };
  assert.throws(
    () => readConfig(env),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 6, err.message);
      for (const name of ["PORT", "MAX_BODY_BYTES", "REQUEST_TIMEOUT_MS", "CORS_ORIGIN", "API_TOKEN", "LLM_MODEL"]) {
        assert.match(err.message, new RegExp(name));
      }
      return true;
    },
  );
  assert.throws(() => readConfig({ PORT: "70000" }), /PORT/);
});

test("explicit values are used", () => {
  const c = readConfig({ HOST: "0.0.0.0", PORT: "0", API_TOKEN: "abc.DEF-123", CORS_ORIGIN: "https://a.example, http://b.example:8080", RATE_LIMIT_PER_MINUTE: "0" });
  assert.equal(c.host, "0.0.0.0");
  assert.equal(c.port, 0);
  assert.equal(c.security.apiToken, "abc.DEF-123");
  assert.deepEqual(c.security.corsOrigins, ["https://a.example", "http://b.example:8080"]);
  assert.equal(c.limits.chatPerMinute, 0);
});

test("the variables table lists every variable the settings read", () => {
  const documented = new Set(CONFIG_VARIABLES.map((v) => v.name));
  assert.equal(documented.size, CONFIG_VARIABLES.length, "no duplicates");
  const root = path.resolve(import.meta.dirname, "..");
  const sources = ["server/config.ts", "server/answer/generator.ts", "vectors/embedding-settings.ts"].map((f) => fs.readFileSync(path.join(root, f), "utf8"));
  const read = new Set<string>();
  for (const src of sources) {
    for (const m of src.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|\b(?:text|int)\("([A-Z][A-Z0-9_]+)"/g)) read.add(m[1] ?? m[2]);
  }
  assert.ok(read.size >= 20, `found ${read.size} variables`);
  for (const name of read) assert.ok(documented.has(name), `${name} is read but not in CONFIG_VARIABLES`);
  for (const v of CONFIG_VARIABLES) assert.ok(v.description.length > 10 && v.default.length > 0, v.name);
});

test("the README's configuration table names every variable", () => {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, "..", "README.md"), "utf8");
  for (const v of CONFIG_VARIABLES) assert.ok(readme.includes(`| \`${v.name}\` |`), `${v.name} is missing from README.md`);
});

test("MAX_K is capped at the search's own limit of 50", () => {
  assert.equal(readConfig({ MAX_K: "50" }).limits.maxK, 50);
  assert.equal(readConfig({ MAX_K: "8" }).limits.maxK, 8);
  assert.throws(() => readConfig({ MAX_K: "51" }), (err: unknown) => err instanceof ConfigError && /MAX_K="51" must be a whole number from 1 to 50/.test(err.message));
});

test("the request deadline leaves room for a slow LLM's two calls and its fallback", () => {
  const llm = { LLM_BASE_URL: "http://127.0.0.1:11434/v1", LLM_MODEL: "qwen" };
  assert.equal(readConfig({}).limits.requestTimeoutMs, 150_000, "offline: the documented default");
  // Default LLM_TIMEOUT_MS 20000: 2 calls × 6 × 20 s + 30 s.
  assert.equal(readConfig(llm).limits.requestTimeoutMs, 270_000);
  assert.equal(readConfig({ ...llm, LLM_TIMEOUT_MS: "5000" }).limits.requestTimeoutMs, 150_000);
  assert.equal(readConfig({ ...llm, LLM_TIMEOUT_MS: "5000", REQUEST_TIMEOUT_MS: "90000" }).limits.requestTimeoutMs, 90_000);
  assert.throws(
    () => readConfig({ ...llm, REQUEST_TIMEOUT_MS: "150000" }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 1 && /REQUEST_TIMEOUT_MS=150000 is shorter than the LLM's worst case of 270000 ms/.test(err.message),
  );
  assert.equal(readConfig({ REQUEST_TIMEOUT_MS: "600" }).limits.requestTimeoutMs, 600, "no LLM, no lower bound");
});

test("LLM_STREAM and ALLOW_REMOTE_MODELS take 1/0 or true/false, anything else is an error", () => {
  assert.equal(readConfig({}).generator.llmStream, true);
  assert.equal(readConfig({}).embedding.allowRemote, false);
  assert.equal(readConfig({ LLM_STREAM: "false" }).generator.llmStream, false);
  assert.equal(readConfig({ LLM_STREAM: "0" }).generator.llmStream, false);
  assert.equal(readConfig({ LLM_STREAM: "TRUE" }).generator.llmStream, true);
  assert.equal(readConfig({ ALLOW_REMOTE_MODELS: "true" }).embedding.allowRemote, true);
  assert.equal(readConfig({ ALLOW_REMOTE_MODELS: "0" }).embedding.allowRemote, false);
  assert.throws(
    () => readConfig({ LLM_STREAM: "no", ALLOW_REMOTE_MODELS: "yes" }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 2 && /LLM_STREAM="no"/.test(err.message) && /ALLOW_REMOTE_MODELS="yes"/.test(err.message),
  );
});

test("HYBRID_WEIGHTS is checked part by part instead of silently ignored", () => {
  assert.equal(readConfig({ HYBRID_WEIGHTS: "dense=0.5,bm25=1,k0=60" }).embedding.hybridWeights, "dense=0.5,bm25=1,k0=60");
  assert.doesNotThrow(() => readConfig({ HYBRID_WEIGHTS: "bm25=2" }));
  for (const bad of ["dense=abc", "dense=0.5,bm2=1", "k0=0", "dense=1.2.3", "0.5"]) {
    assert.throws(() => readConfig({ HYBRID_WEIGHTS: bad }), (err: unknown) => err instanceof ConfigError && /HYBRID_WEIGHTS/.test(err.message), bad);
  }
});
