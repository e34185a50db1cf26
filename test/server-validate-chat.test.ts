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
