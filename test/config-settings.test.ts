/** The settings: safe defaults, every invalid value reported at once, every variable documented, one reader for every command. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { ConfigError, readConfig } from "../server/config.ts";
import { VARIABLES } from "../config/settings.ts";
import { withCurrentTable } from "../config/readme-table.ts";

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

const ROOT = path.resolve(import.meta.dirname, "..");

test("no product code reads the environment except through config/settings.ts", () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.ts$/.test(e.name) && /process\.env\.[A-Z]|process\.env\[/.test(fs.readFileSync(path.join(ROOT, rel), "utf8"))) offenders.push(rel);
    }
  };
  for (const dir of ["server", "ingest", "vectors", "evals", "web"]) walk(dir);
  assert.deepEqual(offenders, [], "these files read variables past the schema");
});

test("every variable is documented, and the README's table is the one made from the schema", () => {
  for (const [name, spec] of Object.entries(VARIABLES)) assert.ok(spec.description.length > 10, name);
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  assert.equal(withCurrentTable(readme), readme, "README.md's configuration table differs from config/settings.ts: run npm run docs:config");
});

test("the ingest CLI and the server read every variable the same way", () => {
  // One value for each variable, none the default, each valid on its own and together.
  const env: Record<string, string> = {
    HOST: "127.0.0.2", PORT: "4321", CORPUS_DIR: "some/corpus", INDEX_DIR: "some/index",
    EMBEDDING_MODEL: "served-e5", EMBEDDING_BASE_URL: "http://127.0.0.1:9/v1", EMBEDDING_API_KEY: "ek", EMBEDDING_BATCH_SIZE: "7", EMBEDDING_TIMEOUT_MS: "1234",
    MODELS_DIR: "some/models", ALLOW_REMOTE_MODELS: "true", RERANKER_MODEL: "some/reranker", HYBRID_WEIGHTS: "dense=0.3,bm25=1,k0=9",
    LLM_MODEL_PATH: "some/model.gguf", LLM_THREADS: "3", LLM_MAX_TOKENS: "99", LLM_TIMEOUT_MS: "7000",
    LLM_STREAM: "false", PROMPTS_DIR: "some/prompts", REFUSAL_THRESHOLD: "0.4", API_TOKEN: "tok.en", ALLOWED_HOSTS: "qa.example, Intranet",
    RATE_LIMIT_PER_MINUTE: "5", SEARCH_RATE_LIMIT_PER_MINUTE: "6", MAX_BODY_BYTES: "2048", MAX_QUESTION_CHARS: "300", MAX_HISTORY_TURNS: "4",
    MAX_HISTORY_CHARS: "500", MAX_K: "9", REQUEST_TIMEOUT_MS: "200000", CORS_ORIGIN: "https://a.example", SHUTDOWN_GRACE_MS: "11",
    INDEX_WATCH_MS: "0", LOG_FORMAT: "json", LOG_LEVEL: "warn", LOG_QUESTIONS: "1",
  };
  const unset = Object.keys(VARIABLES).filter((name) => !(name in env) && !["LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY"].includes(name));
  assert.deepEqual(unset, [], "the test sets every variable (the LLM endpoint ones are exclusive with LLM_MODEL_PATH)");
  const run = (script: string) =>
    JSON.parse(execFileSync(process.execPath, ["--import", "tsx", script, "--check-config"], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, encoding: "utf8" }));
  const server = run("server/main.ts");
  const ingest = run("ingest/cli.ts");
  assert.deepEqual(ingest, server);
  assert.equal(server.embedding.batchSize, 7);
  assert.equal(server.embedding.allowRemote, true);
  assert.equal(server.embedding.apiKey, "(set)", "secrets are not printed");
  assert.equal(server.security.apiToken, "(set)");
  assert.deepEqual(server.security.allowedHosts, ["qa.example", "intranet"]);
  assert.equal(server.generator.llmThreads, 3);
  assert.equal(server.log.questions, true);
  assert.equal(server.answer.refusalThreshold, 0.4);
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
