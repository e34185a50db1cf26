/**
 * The eval runner as a user drives it: scoring a running server over HTTP gives the same verdicts
 * as scoring in-process, a server's bearer token is used, and `npm run eval` writes its report.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import { runEval } from "../evals/run.ts";
import { loadCases } from "../evals/cases.ts";
import type { CaseResult } from "../evals/metrics.ts";
import { CORPUS_DIR, sharedIndex, sharedIndexRoot } from "./support/shared-index.ts";
import { listen, type Running } from "./support/server-harness.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const TOKEN = "eval-test-token";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "evals-runner-"));

// A slice of the real cases with every kind in it: facts, a follow-up, English, unanswerable.
const all = loadCases(path.join(ROOT, "evals/qa.jsonl"));
const pick = [
  ...all.filter((c) => c.answerable && !c.history && c.lang === "zh").slice(0, 4),
  ...all.filter((c) => c.history?.length).slice(0, 2),
  ...all.filter((c) => c.lang === "en").slice(0, 2),
  ...all.filter((c) => !c.answerable).slice(0, 3),
];
const FILE = path.join(tmp, "slice.jsonl");
fs.writeFileSync(FILE, pick.map((c) => JSON.stringify(c)).join("\n") + "\n");

let index: SearchIndex;
let running: Running;
const generator = createGenerator(readSettings({}).generator);

before(async () => {
  index = await sharedIndex();
  const config = readConfig({ API_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0" });
  running = await listen(createApp({ config, getIndex: () => index, generator }));
});

after(async () => {
  await running?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const verdicts = (results: CaseResult[]) =>
  results.map((r) => ({
    id: r.id, standalone: r.standalone, rank: r.retrieval.rank, refused: r.refused, facts: r.facts.met,
    markers: r.citation.markers, unresolved: r.citation.unresolved, notVerbatim: r.citation.notVerbatim, error: r.error,
  }));

test("scoring a server over HTTP gives the same verdicts as scoring in-process", async () => {
  const local = await runEval({ file: FILE, index, generator, corpusDir: CORPUS_DIR, reportsDir: null, mode: "hybrid" });
  const remote = await runEval({ file: FILE, baseUrl: running.url, token: TOKEN, corpusDir: CORPUS_DIR, reportsDir: null, mode: "hybrid" });
  assert.equal(remote.results.length, pick.length);
  assert.deepEqual(verdicts(remote.results), verdicts(local.results));
  assert.equal(remote.summary.errors, 0);
  assert.equal(remote.report.options.target, running.url);
});

test("without the server's token the run stops with the server's 401 instead of scoring anything", async () => {
  await assert.rejects(
    runEval({ file: FILE, baseUrl: running.url, corpusDir: CORPUS_DIR, reportsDir: null, limit: 1 }),
    /HTTP 401/,
  );
});

test("npm run eval writes the JSON and Markdown report and prints the summary", async () => {
  const out = path.join(tmp, "reports");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "evals/run.ts"), "--file", FILE, "--limit", "3", "--index", sharedIndexRoot(), "--out", out],
    { cwd: ROOT, env: { ...process.env, LLM_BASE_URL: "", EMBEDDING_MODEL: "" } },
  );
  assert.match(stdout, /\| retrieval hit@5 \| \d+\.\d%/);
  const files = fs.readdirSync(out).sort();
  assert.deepEqual(files.map((f) => path.extname(f)), [".json", ".md"]);
  const json = JSON.parse(fs.readFileSync(path.join(out, files[0]), "utf8"));
  assert.equal(json.cases.length, 3);
  assert.match(fs.readFileSync(path.join(out, files[1]), "utf8"), /^# Eval report/);
});

test("a bad option fails with a message and exit code 2", async () => {
  await assert.rejects(
    promisify(execFile)(process.execPath, ["--import", "tsx", path.join(ROOT, "evals/run.ts"), "--mode", "magic"], { cwd: ROOT }),
    (err: { code: number; stderr: string }) => err.code === 2 && /--mode must be one of/.test(err.stderr),
  );
});
