/**
 * A model that stalls mid-answer, over real HTTP against the real corpus (the model is the loopback
 * OpenAI-protocol stub): the chat stream sends the partial text, a `reset` event, then the extractive
 * answer, and `done` holds that answer alone; /v1, which cannot take back what it streamed, holds a
 * model's text until it is checked, so an OpenAI client receives only the final answer.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import { sharedIndex } from "./support/shared-index.ts";
import { listen, readSseEvents, type Running } from "./support/server-harness.ts";
import { startOpenAiStub, type OpenAiStub } from "./support/openai-stub.ts";

const MISSION = "辽宁清洁能源强省有哪些措施";
const MODEL_TEXT = "加快建设风光火核储一体化能源基地。[1] 支持沿海地区建设海上风电基地。[1]";

let stub: OpenAiStub;
let running: Running;

before(async () => {
  stub = await startOpenAiStub({ text: MODEL_TEXT });
  const env = { LLM_BASE_URL: stub.baseUrl, LLM_MODEL: "stub", LLM_TIMEOUT_MS: "400", RATE_LIMIT_PER_MINUTE: "0" };
  const index = await sharedIndex();
  const app = createApp({ config: readConfig(env), getIndex: () => index, generator: createGenerator(readSettings(env).generator) });
  running = await listen(app);
});
after(async () => {
  await running?.close();
  await stub?.close();
});

test("chat SSE: partial model text, then reset, then the extractive answer; done is that answer alone", { timeout: 30_000 }, async () => {
  stub.setReply({ text: MODEL_TEXT, hangAfter: 3 });
  const res = await fetch(`${running.url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ question: MISSION }),
  });
  const events = await readSseEvents(res);
  const names = events.map((e) => e.event);
  const resetAt = names.indexOf("reset");
  assert.ok(resetAt > 0, `a reset event: ${names.join(" ")}`);
  const text = (from: number, to: number) =>
    events.slice(from, to).filter((e) => e.event === "token").map((e) => JSON.parse(e.data).text).join("");
  assert.ok(text(0, resetAt).startsWith("加快建设"), "the model's partial text came first");
  const done = JSON.parse(events[events.length - 1].data);
  assert.equal(names[names.length - 1], "done");
  assert.equal(text(resetAt + 1, events.length), done.answer, "what follows the reset is the final answer");
  assert.ok(done.answer.startsWith("根据"), `the extractive answer alone: ${done.answer.slice(0, 40)}`);
  assert.equal(done.generator, "extractive");
  assert.match(done.notice, /超时/);
});

test("/v1 streamed: a stalled model's text never reaches the client; it receives the extractive answer and its sources", { timeout: 30_000 }, async () => {
  stub.setReply({ text: MODEL_TEXT, hangAfter: 3 });
  const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: "none", maxRetries: 0 });
  const stream = await client.chat.completions.create({ model: "policy-qa", stream: true, messages: [{ role: "user", content: MISSION }] });
  let content = "";
  let chunks = 0;
  let last: { notice?: string } = {};
  for await (const chunk of stream) {
    content += chunk.choices[0]?.delta?.content ?? "";
    chunks++;
    last = chunk as unknown as { notice?: string };
  }
  assert.ok(content.startsWith("根据"), `no withdrawn model text: ${content.slice(0, 40)}`);
  assert.match(content, /\n\n来源：\n\[1\] /);
  assert.ok(chunks > 3, "the checked answer still arrives in pieces");
  assert.match(last.notice ?? "", /超时/);
});

test("/v1 streamed: a model's checked answer is what the client receives, markers matching the sources", { timeout: 30_000 }, async () => {
  stub.setReply({ text: MODEL_TEXT });
  const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: "none", maxRetries: 0 });
  const stream = await client.chat.completions.create({ model: "policy-qa", stream: true, messages: [{ role: "user", content: MISSION }] });
  let content = "";
  for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? "";
  const [answer, sources] = content.split("\n\n来源：\n");
  assert.equal(answer, MODEL_TEXT);
  assert.equal(sources.split("\n").length, 1, "one source, the one both sentences cite");
});
