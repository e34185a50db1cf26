/**
 * Background tasks of chat front ends (title, tags, follow-ups, search queries), recognised by their
 * shape — an instruction around a copied conversation — whatever the wording. The prompts below are
 * written for this test in the shapes of several products (Open WebUI, LobeChat, Chatbox, LibreChat,
 * Cherry Studio), not copied from any; ordinary questions, including ones that say "title", stay questions.
 * Also: what /v1 counts as a token and where max_tokens cuts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { backgroundReply, shortTitle, TITLE_WORDS, TRANSCRIPT_ROLES } from "../server/openai/background-task.ts";
import { countTokens, cutTokens, TokenBudget } from "../server/openai/tokens.ts";

const Q1 = "辽宁清洁能源强省有哪些措施？";
const A1 = "加快建设风光火核储一体化能源基地。[1]\n\n来源：\n[1] 《意见》 › 12.建设清洁能源强省";
const ask = (question: string, instructions: string[] = []) => backgroundReply({ question, instructions, history: [] });

const jsonTask = (task: string, output: string) =>
  `### Task:\n${task}\n### Guidelines:\n- Keep it short.\n- Use the chat's language.\n### Output:\nJSON format: ${output}\n### Chat History:\n<chat_history>\nUSER: ${Q1}\nASSISTANT: ${A1}\n</chat_history>`;

test("JSON-format tasks around a <chat_history>: a title from the first question, empty lists for the rest", () => {
  assert.deepEqual(JSON.parse(ask(jsonTask("Write a 3-5 word title for the chat.", '{ "title": "your title" }'))!), { title: "辽宁清洁能源强省有哪些措施" });
  assert.deepEqual(JSON.parse(ask(jsonTask("Write 1-3 tags for the chat.", '{ "tags": ["tag1", "tag2"] }'))!), { tags: [] });
  assert.deepEqual(JSON.parse(ask(jsonTask("Suggest 3-5 follow-up questions.", '{ "follow_ups": ["Question 1?"] }'))!), { follow_ups: [] });
  assert.deepEqual(JSON.parse(ask(jsonTask("Decide which web searches would help.", '{"queries": ["query1"]}'))!), { queries: [] });
});

test("plain-text title tasks in other shapes: system + <conversation>, a code fence, ||> labels", () => {
  // An instruction in the system message, the conversation in the user message.
  const lobe = ask(`<conversation>\nuser: ${Q1}\nassistant: ${A1}\n</conversation>\n\n请总结上述对话并生成一个简短的标题。`, [
    "你是一名擅长会话的助理，你需要将用户的会话总结为 10 个字以内的标题。",
  ]);
  assert.equal(lobe, "辽宁清洁能源强省有哪些措施");
  const fenced = ask(`Based on the chat history, give this conversation a name.\nKeep it short.\n\n\`\`\`\nuser: What does Liaoning plan for offshore wind power in coastal areas?\nassistant: Bases. [1]\n\`\`\`\n\nThe name is:`);
  assert.equal(fenced, "What does Liaoning plan for offshore wind power");
  const labelled = ask(`Please generate a concise, 5-word-or-less title for the conversation.\n\n||>User:\n"${Q1}"\n||>Response:\n"${A1}"\n\n||>Title:`);
  assert.equal(labelled, "辽宁清洁能源强省有哪些措施");
});

test("a conversation sent as a JSON array of messages, with the task in the system message", () => {
  const json = JSON.stringify([{ role: "user", content: "中欧班列开行情况如何" }, { role: "assistant", content: "……" }]);
  assert.equal(ask(json, ["将用户的会话总结为 10 个字以内的标题，不要使用标点符号。"]), "中欧班列开行情况如何");
  // The same array without any task is only a strange question.
  assert.equal(ask(json), undefined);
});

test("ordinary questions are not background tasks, even when they say title or quote a speaker", () => {
  for (const q of [
    Q1,
    "这份文件的标题是什么？",
    "What is the title of the provincial opinion?",
    "User: 辽宁清洁能源强省有哪些措施",
    '请把"用户：你好"翻译成英文',
    '{ "title": "x" } 是什么格式？',
  ]) {
    assert.equal(ask(q), undefined, q);
  }
  // A copied conversation with a question about it, not a title/tags task, is answered as a question.
  assert.equal(ask(`<chat_history>\nUSER: ${Q1}\nASSISTANT: ${A1}\n</chat_history>\n上面的回答对吗？`), undefined);
});

test("the role labels and title words are the ones the recogniser uses", () => {
  assert.ok(TRANSCRIPT_ROLES.includes("user") && TRANSCRIPT_ROLES.includes("assistant") && TRANSCRIPT_ROLES.includes("用户"));
  for (const w of ["a short title", "Name this conversation", "生成标题", "给对话命名"]) assert.match(w, TITLE_WORDS);
  for (const w of ["names of the plenum members", "Titles"]) assert.doesNotMatch(w, TITLE_WORDS, w);
});

test("a title is the first clause of the question, at most 20 characters or 8 words", () => {
  assert.equal(shortTitle("辽宁清洁能源强省有哪些措施？还有别的吗"), "辽宁清洁能源强省有哪些措施");
  assert.equal([...shortTitle("辽宁".repeat(30))].length, 20);
  assert.equal(shortTitle('"Who gave the lecture at the study session, and when?"'), "Who gave the lecture at the study session");
});

test("a token is a Han character, a run of Latin letters or digits, or a punctuation mark", () => {
  assert.equal(countTokens("辽宁清洁能源"), 6);
  assert.equal(countTokens("offshore wind 2035"), 3);
  assert.equal(countTokens("建设。[12]"), 6);
  assert.equal(countTokens("  \n "), 0);
});

test("max_tokens cuts at a token boundary and never leaves half a citation marker", () => {
  assert.equal(cutTokens("能源基地。[12] 海上风电", 5), "能源基地。");
  assert.equal(cutTokens("能源基地。[12] 海上风电", 7), "能源基地。");
  assert.equal(cutTokens("能源基地。[12] 海上风电", 8), "能源基地。[12]");
  assert.equal(cutTokens("wind power", 1), "wind");
  // Streamed in pieces, a word split across two pieces is one token, as in the whole text.
  const budget = new TokenBudget(2);
  assert.equal(budget.take("off"), "off");
  assert.equal(budget.take("shore wi"), "shore wi");
  assert.equal(budget.take("nd power"), "nd");
  assert.equal(budget.cut, true);
  assert.equal(budget.text(), "offshore wind");
  assert.equal(budget.take("more"), "");
});
