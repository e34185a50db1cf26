/** How /v1/chat/completions requests become a question plus history (and instructions), at the MAX_HISTORY_TURNS edges. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { openAiRequestSchema } from "../server/contract/openai.ts";
import { readConversation } from "../server/openai/conversation.ts";

const limits = { maxQuestionChars: 2000, maxHistoryChars: 20000, maxK: 50 };
const parseOpenAiRequest = (body: unknown, l: typeof limits & { maxHistoryTurns: number }) => readConversation(openAiRequestSchema.parse(body).messages, l);
const conversation = {
  messages: [
    { role: "system", content: "You are helpful." },
    { role: "user", content: "辽宁清洁能源强省有哪些措施？" },
    { role: "assistant", content: "包括风电和光伏。[1]" },
    { role: "user", content: "海洋经济呢？" },
    { role: "assistant", content: "建设海洋经济强省。[1]" },
    { role: "user", content: "那粮食安全呢？" },
  ],
};

test("MAX_HISTORY_TURNS=0: a multi-turn request is answered with no history, not refused", () => {
  const r = parseOpenAiRequest(conversation, { ...limits, maxHistoryTurns: 0 });
  assert.equal(r.question, "那粮食安全呢？");
  assert.deepEqual(r.history, []);
});

test("a longer conversation than MAX_HISTORY_TURNS keeps its latest messages", () => {
  const r = parseOpenAiRequest(conversation, { ...limits, maxHistoryTurns: 2 });
  assert.deepEqual(
    r.history.map((m) => m.content),
    ["海洋经济呢？", "建设海洋经济强省。[1]"],
  );
  assert.equal(parseOpenAiRequest(conversation, { ...limits, maxHistoryTurns: 20 }).history.length, 4);
});

test("system and developer messages become instructions, never history or question", () => {
  const r = parseOpenAiRequest(
    { messages: [{ role: "developer", content: [{ type: "text", text: "Answer briefly." }] }, ...conversation.messages] },
    { ...limits, maxHistoryTurns: 20 },
  );
  assert.deepEqual(r.instructions, ["Answer briefly.", "You are helpful."]);
  assert.ok(r.history.every((m) => m.role === "user" || m.role === "assistant"));
  assert.equal(r.question, "那粮食安全呢？");
});

test("a JSON body is parsed once: the route gets it validated, and a bad one is refused in its question's language", async () => {
  const { Hono } = await import("hono");
  const { z } = await import("zod");
  const { validJson } = await import("../server/http/validate.ts");
  const { inputLanguage } = await import("../server/http/question-language.ts");
  const { ApiError } = await import("../server/http/errors.ts");
  const schema = z.object({ question: z.string().max(5, "question_too_long") });
  const app = new Hono()
    .post("/ask", validJson(schema, { limits: { maxQuestionChars: 5 }, langOf: inputLanguage }), (c) => c.json({ got: c.req.valid("json").question }))
    .onError((err, c) => c.json({ lang: err instanceof ApiError ? err.lang : undefined }, 400));
  const ask = (question: string) => app.request("/ask", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  await ask("海洋"); // the first request also loads node's fetch, which parses its own settings
  const parse = JSON.parse;
  let parses = 0;
  JSON.parse = ((...args: Parameters<typeof JSON.parse>) => (parses++, parse(...args))) as typeof JSON.parse;
  try {
    const ok = await ask("海洋经济");
    assert.equal(parses, 1);
    assert.deepEqual(await ok.json(), { got: "海洋经济" });
  } finally {
    JSON.parse = parse;
  }
  const long = await ask("What about the ocean economy?");
  assert.equal((await long.json()).lang, "en");
});

test("one reading of a request's language: a search's q, a chat question, the latest OpenAI message showing one", async () => {
  const { inputLanguage } = await import("../server/http/question-language.ts");
  assert.equal(inputLanguage({ q: ["  What is planned?", "辽宁"] }), "en");
  assert.equal(inputLanguage({ question: "Who spoke at the 全会?" }), "en");
  assert.equal(inputLanguage({ messages: [{ role: "user", content: "Hello there" }, { role: "user", content: [{ type: "text", text: "海洋经济呢？" }] }, { role: "user", content: "123" }] }), "zh");
  assert.equal(inputLanguage({ question: 42 }), undefined);
  assert.equal(inputLanguage("辽宁"), undefined);
});
