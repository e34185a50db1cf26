/**
 * The LLM generator against a loopback OpenAI-protocol stub (test/support/openai-stub.ts):
 * markers to nothing dropped from the stream, renumbering, the sentence-by-sentence check of the
 * finished answer, streaming and not, the prompts sent, follow-up rewriting by the model, and the
 * extractive fallback (with a reset of what was streamed) on a hanging, failing or unsupported answer.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { answer, answerStream, type AnswerEvent } from "../server/answer/pipeline.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import type { Citation } from "../server/answer/types.ts";
import { startOpenAiStub, type OpenAiStub, type StubRequest } from "./support/openai-stub.ts";
import { sharedIndex } from "./support/shared-index.ts";

const MISSION = "辽宁清洁能源强省有哪些措施";
/** Cites passage 2 first, then a passage that was never given ([9]), then passage 1, then none for a made-up claim. */
const SCRIPTED = "加快建设风光火核储一体化能源基地。[2] 支持沿海地区建设海上风电基地。[9] 稳步推进徐大堡核电基地建设。[1] 沈阳将建设一座月球基地。";

let stub: OpenAiStub;
let index: SearchIndex;

before(async () => {
  stub = await startOpenAiStub({ text: SCRIPTED });
  index = await sharedIndex();
});
after(() => stub.close());

function llm(overrides: Record<string, string> = {}) {
  const settings = readSettings({ LLM_BASE_URL: stub.baseUrl, LLM_MODEL: "stub-model", LLM_TIMEOUT_MS: "5000", ...overrides }).generator;
  return createGenerator(settings);
}

const userMessage = (r: StubRequest) => String(r.body.messages?.find((m) => m.role === "user")?.content ?? "");
const systemMessage = (r: StubRequest) => String(r.body.messages?.find((m) => m.role === "system")?.content ?? "");

test("while streaming, every [n] resolves through the tokens' cites to the passage done cites as [n]", async () => {
  stub.setReply({ text: SCRIPTED });
  const events: AnswerEvent[] = [];
  for await (const ev of answerStream({ question: MISSION }, { index, generator: llm() })) events.push(ev);
  const last = events[events.length - 1];
  assert.ok(last.type === "done");
  const finalCitations: Citation[] = last.citations;
  // What a client knows mid-stream: the text so far and the passages its tokens announced.
  const announced = new Map<number, string>();
  let text = "";
  for (const e of events) {
    if (e.type !== "token") continue;
    text += e.text;
    for (const c of e.cites ?? []) announced.set(c.n, c.chunkId);
    for (const m of text.matchAll(/\[(\d+)\]/g)) assert.ok(announced.has(Number(m[1])), `[${m[1]}] is shown before its passage is announced`);
  }
  // The scripted reply cites retrieved passage 2 first: shown as [1], it must be passage 2, not retrieval's [1].
  const retrieval = events[0];
  assert.ok(retrieval.type === "retrieval");
  assert.equal(announced.get(1), retrieval.passages[1].chunkId);
  for (const [n, chunkId] of announced) {
    const final = finalCitations.find((c) => c.n === n);
    if (final) assert.equal(final.chunkId, chunkId, `[${n}] means the same passage streamed and done`);
  }
});

test("a streamed LLM answer loses its [9], is renumbered in order of first use, and is checked sentence by sentence", async () => {
  stub.setReply({ text: SCRIPTED });
  const before = stub.requests.length;
  const events: AnswerEvent[] = [];
  for await (const ev of answerStream({ question: MISSION }, { index, generator: llm() })) events.push(ev);
  const retrieval = events[0];
  const done = events[events.length - 1];
  assert.ok(retrieval.type === "retrieval" && done.type === "done");
  const tokens = events.filter((e) => e.type === "token").map((e) => (e.type === "token" ? e.text : ""));
  assert.ok(tokens.length > 3, "streamed in several tokens");
  assert.ok(!events.some((e) => e.type === "reset"), "nothing withdrawn");
  assert.equal(tokens.join(""), "加快建设风光火核储一体化能源基地。[1] 支持沿海地区建设海上风电基地。 稳步推进徐大堡核电基地建设。[2] 沈阳将建设一座月球基地。");
  // The sentence that lost its [9] gets the passage that says it; the made-up one stays uncited.
  const windAt = retrieval.passages.findIndex((p) => p.quote.includes("支持沿海地区建设海上风电基地"));
  assert.ok(windAt >= 0);
  const cited = [retrieval.passages[1], retrieval.passages[0]];
  const windN = cited.findIndex((p) => p.chunkId === retrieval.passages[windAt].chunkId) + 1 || 3;
  assert.equal(done.answer, `加快建设风光火核储一体化能源基地。[1] 支持沿海地区建设海上风电基地。[${windN}] 稳步推进徐大堡核电基地建设。[2] 沈阳将建设一座月球基地。`);
  assert.deepEqual(done.citations.slice(0, 2).map((c) => c.chunkId), [retrieval.passages[1].chunkId, retrieval.passages[0].chunkId]);
  assert.deepEqual(done.citations.map((c) => c.n), done.citations.map((_, i) => i + 1));
  for (const c of done.citations) assert.ok(done.answer.includes(`[${c.n}]`), `citation ${c.n} is used`);
  assert.deepEqual(done.uncited, ["沈阳将建设一座月球基地。"]);
  assert.deepEqual(
    { ...done.check, supportedShare: undefined },
    { sentences: 4, marked: 2, supportedAsCited: 2, attached: 1, unsupported: 1, supportedShare: undefined, fellBack: false },
  );
  assert.equal(done.generator, "llm:stub-model");
  assert.equal(done.refused, false);
  assert.equal(done.notice, undefined);

  const sent = stub.requests.slice(before);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].body.stream, true);
  assert.equal(sent[0].body.model, "stub-model");
  assert.equal(sent[0].body.max_tokens, 512, "LLM_MAX_TOKENS bounds the answer");
  assert.match(systemMessage(sent[0]), /ONLY from the numbered passages/);
  assert.match(userMessage(sent[0]), /<passage n="1" source="[^"]+">/);
  assert.ok(userMessage(sent[0]).includes(MISSION));
  assert.ok(userMessage(sent[0]).includes(retrieval.passages[0].quote), "passages quoted verbatim in the prompt");
});

test("an answer whose markers are junk and whose sentences no passage supports is replaced by the extractive answer", async () => {
  stub.setReply({ text: "Lorem ipsum dolor sit amet.[7] 沈阳将建设一座月球基地。[12] 大连要举办星际博览会。【资料9】" });
  const events: AnswerEvent[] = [];
  for await (const ev of answerStream({ question: MISSION }, { index, generator: llm() })) events.push(ev);
  const done = events[events.length - 1];
  assert.ok(done.type === "done");
  const resetAt = events.findIndex((e) => e.type === "reset");
  assert.ok(resetAt > 0 && events.slice(1, resetAt).some((e) => e.type === "token"), "the model's text was streamed, then withdrawn");
  const after = events.slice(resetAt + 1).map((e) => (e.type === "token" ? e.text : "")).join("");
  assert.equal(after, done.answer, "after the reset the client is sent exactly the final answer");
  assert.ok(!done.answer.includes("月球"), "none of the model's text is kept");
  assert.equal(done.generator, "extractive");
  assert.match(done.notice ?? "", /无法在资料中找到依据/);
  assert.equal(done.check?.fellBack, true);
  assert.equal(done.check?.supportedShare, 0);
  for (const measure of ["风光火核储", "海上风电", "徐大堡"]) assert.ok(done.answer.includes(measure), measure);
});

test("a non-streaming endpoint gives the same checked answer", async () => {
  stub.setReply({ text: SCRIPTED });
  const before = stub.requests.length;
  const r = await answer({ question: MISSION }, { index, generator: llm({ LLM_STREAM: "0" }) });
  assert.ok(!stub.requests[before].body.stream, "asked without stream");
  assert.ok(!r.answer.includes("[9]"));
  assert.deepEqual(r.citations.map((c) => c.n), [1, 2]);
  assert.equal(r.citations[0].chunkId, r.passages[1].chunkId);
});

test("a hanging endpoint falls back to the extractive answer and says so", { timeout: 20_000 }, async () => {
  stub.setReply({ hang: true });
  const r = await answer({ question: MISSION }, { index, generator: llm({ LLM_TIMEOUT_MS: "300" }) });
  assert.equal(r.generator, "extractive");
  assert.match(r.notice ?? "", /超时/);
  assert.equal(r.refused, false);
  for (const measure of ["风光火核储", "海上风电", "徐大堡"]) assert.ok(r.answer.includes(measure), measure);
  assert.ok(r.citations.length >= 1);
});

test("an endpoint that stalls mid-answer: the client is told to discard the partial text, and the answer is the extractive one alone", { timeout: 20_000 }, async () => {
  stub.setReply({ text: SCRIPTED, hangAfter: 3 });
  const events: AnswerEvent[] = [];
  for await (const ev of answerStream({ question: MISSION }, { index, generator: llm({ LLM_TIMEOUT_MS: "300" }) })) events.push(ev);
  const done = events[events.length - 1];
  assert.ok(done.type === "done");
  const resetAt = events.findIndex((e) => e.type === "reset");
  assert.ok(resetAt > 0, "a reset event follows the partial text");
  const partial = events.slice(0, resetAt).map((e) => (e.type === "token" ? e.text : "")).join("");
  assert.ok(partial.startsWith("加快建设"), "the partial LLM text was streamed first");
  const after = events.slice(resetAt + 1).map((e) => (e.type === "token" ? e.text : "")).join("");
  assert.equal(after, done.answer, "the final answer is what the client shows after the reset");
  assert.ok(!done.answer.startsWith("加快建设"), "the partial LLM text is not kept ahead of the offline answer");
  assert.ok(done.answer.includes("徐大堡"), "the extractive answer");
  assert.match(done.notice ?? "", /超时/);
  assert.ok(done.citations.every((c) => done.answer.includes(`[${c.n}]`)), "only what the extractive answer cites");
});

test("an endpoint answering HTTP 500 falls back with a notice, never an error", async () => {
  stub.setReply({ status: 500 });
  const r = await answer({ question: "What does Liaoning plan for offshore wind power in coastal areas?" }, { index, generator: llm() });
  assert.equal(r.generator, "extractive");
  assert.match(r.notice ?? "", /language model failed/);
  assert.ok(r.answer.includes("海上风电"));
});

test("with a model configured, a follow-up is rewritten by the model before retrieval", async () => {
  stub.setReply((req) =>
    userMessage(req).includes("Standalone question:")
      ? { text: "辽宁粮食安全有哪些措施？" }
      : { text: "严格落实耕地保护和粮食安全责任制。[1]" },
  );
  const history = [
    { role: "user" as const, content: MISSION },
    { role: "assistant" as const, content: "加快建设风光火核储一体化能源基地。[1]" },
  ];
  const r = await answer({ question: "那粮食安全呢？", history }, { index, generator: llm() });
  assert.equal(r.question, "辽宁粮食安全有哪些措施？");
  assert.ok(r.passages.some((p) => /^17\./.test(p.headingPath[p.headingPath.length - 1] ?? "")), "retrieved item 17");
  const rewriteRequest = stub.requests.find((q) => userMessage(q).includes("Standalone question:"));
  assert.ok(rewriteRequest && userMessage(rewriteRequest).includes("那粮食安全呢？"));
  assert.ok(!userMessage(rewriteRequest).includes("[1]"), "old markers are stripped from the history");
});

test("a model that finds no answer in the passages yields a refusal with leads", async () => {
  stub.setReply({ text: "资料中没有找到徐大堡核电基地总投资的数字。" });
  const r = await answer({ question: "徐大堡核电基地建设有什么要求" }, { index, generator: llm() });
  assert.equal(r.refused, true);
  assert.ok(r.citations.length >= 1, "leads offered");
  assert.match(r.answer, /\[1\]/);
});

test("settings: LLM_BASE_URL needs LLM_MODEL; no URL means the extractive composer", () => {
  assert.throws(() => readSettings({ LLM_BASE_URL: "http://127.0.0.1:1/v1" }).generator, /LLM_MODEL/);
  assert.throws(() => readSettings({ LLM_TIMEOUT_MS: "soon" }).generator, /LLM_TIMEOUT_MS/);
  assert.equal(createGenerator(readSettings({}).generator).info().kind, "extractive");
  const info = llm().info();
  assert.deepEqual(info, { kind: "llm", model: "stub-model", baseUrl: stub.baseUrl });
});

test("a follow-up with a hanging model is rewritten by rule and answered without asking the model twice", { timeout: 20_000 }, async () => {
  stub.setReply({ hang: true });
  const before = stub.requests.length;
  const history = [
    { role: "user" as const, content: MISSION },
    { role: "assistant" as const, content: "加快建设风光火核储一体化能源基地。[1]" },
  ];
  const r = await answer({ question: "那粮食安全呢？", history }, { index, generator: llm({ LLM_TIMEOUT_MS: "300" }) });
  assert.equal(stub.requests.length - before, 1, "only the rewrite was attempted");
  assert.match(r.question, /粮食安全/);
  assert.equal(r.generator, "extractive");
  assert.match(r.notice ?? "", /超时/);
  assert.ok(r.citations.some((c) => /^17\./.test(c.headingPath[c.headingPath.length - 1] ?? "")));
});
