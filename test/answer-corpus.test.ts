/**
 * The answer pipeline on the real corpus with the offline (extractive) generator: the mission's
 * question, a refusal, a follow-up, streaming, and the citation rules users rely on.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { answer, answerStream, type AnswerEvent } from "../server/answer/pipeline.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import type { AnswerResult, Citation } from "../server/answer/types.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import { sharedIndex } from "./support/shared-index.ts";

const generator = createGenerator(readSettings({}).generator);
const MISSION = "辽宁清洁能源强省有哪些措施";

const lastHeading = (c: Citation) => c.headingPath[c.headingPath.length - 1] ?? "";

/** Every [n] in the answer is a citation, numbered 1.. in order of first use, quoting its chunk verbatim. */
function assertCitationsSound(r: AnswerResult, index: SearchIndex): void {
  const used = [...r.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const firstUse = [...new Set(used)];
  assert.deepEqual(firstUse, r.citations.map((c) => c.n), "markers numbered in order of first use");
  assert.deepEqual(r.citations.map((c) => c.n), r.citations.map((_, i) => i + 1));
  const retrieved = new Set(r.passages.map((p) => p.chunkId));
  for (const c of r.citations) {
    assert.ok(retrieved.has(c.chunkId), `citation ${c.n} points at a passage that was retrieved`);
    const article = index.article(c.articleId);
    assert.ok(article, `article ${c.articleId} exists`);
    assert.equal(article.text.slice(c.start, c.end), c.quote, "quote is verbatim from the article");
  }
}

/** Each cited sentence of the answer appears verbatim in the passage its marker points at. */
function assertSentencesVerbatim(r: AnswerResult): void {
  for (const line of r.answer.split("\n")) {
    for (const m of line.replace(/^- /, "").matchAll(/([^\[\]]+?)((?:\[\d+\])+)/g)) {
      // A leading …… marks a sentence shortened to its trailing clauses; the rest is verbatim.
      const sentence = m[1].trim().replace(/^……/, "");
      const ns = [...m[2].matchAll(/\d+/g)].map((x) => Number(x[0]));
      assert.ok(
        ns.some((n) => r.citations[n - 1]?.quote.includes(sentence)),
        `"${sentence}" is not verbatim in the passage ${m[2]} cites`,
      );
    }
  }
}

test("the mission's question lists item 12's measures and cites it", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: MISSION }, { index, generator });
  assert.equal(r.refused, false);
  assert.equal(r.generator, "extractive");
  for (const measure of ["风光火核储", "海上风电", "徐大堡", "氢能", "抽水蓄能"]) assert.ok(r.answer.includes(measure), `answer mentions ${measure}:\n${r.answer}`);
  assert.ok(r.citations.some((c) => /^12\.建设清洁能源强省/.test(lastHeading(c))), "cites item 12");
  assert.match(r.answer.split("\n")[0], /^根据/, "one-line lead in Chinese");
  const points = r.answer.split("\n").filter((l) => l.startsWith("- "));
  assert.ok(points.length >= 3 && points.length <= 6, `a short list, not passages pasted:\n${r.answer}`);
  assertCitationsSound(r, index);
  assertSentencesVerbatim(r);
  assert.deepEqual(r.uncited, []);
});

test("the answer streams as several token events between retrieval and done", async () => {
  const index = await sharedIndex();
  const events: AnswerEvent[] = [];
  for await (const ev of answerStream({ question: MISSION }, { index, generator })) events.push(ev);
  assert.equal(events[0].type, "retrieval");
  const done = events[events.length - 1];
  assert.equal(done.type, "done");
  const tokens = events.filter((e): e is Extract<AnswerEvent, { type: "token" }> => e.type === "token");
  assert.ok(tokens.length > 10, `streamed in pieces (${tokens.length})`);
  assert.equal(tokens.map((t) => t.text).join(""), done.type === "done" ? done.answer : "");
});

test("a question the documents cannot answer is refused, with the closest passages as leads", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "徐大堡核电基地的总投资是多少亿元" }, { index, generator });
  assert.equal(r.refused, true);
  assert.match(r.answer, /^资料中没有找到/);
  assert.ok(r.citations.length >= 1, "offers leads");
  assert.ok(r.citations.some((c) => c.quote.includes("徐大堡")), "the lead is the passage about 徐大堡");
  assertCitationsSound(r, index);
});

test("an English question about something the documents lack is refused in English", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "How many kilometres long is the Shenyang–Baihe high-speed railway?" }, { index, generator });
  assert.equal(r.refused, true);
  assert.match(r.answer, /^The documents do not cover/);
});

test("the follow-up 那粮食安全呢？ is rewritten and answered from item 17, without the earlier passages", async () => {
  const index = await sharedIndex();
  const first = await answer({ question: MISSION }, { index, generator });
  const history = [
    { role: "user" as const, content: MISSION },
    { role: "assistant" as const, content: first.answer },
  ];
  const r = await answer({ question: "那粮食安全呢？", history }, { index, generator });
  assert.match(r.question, /粮食安全/);
  assert.doesNotMatch(r.question, /清洁能源/);
  assert.equal(r.refused, false);
  assert.ok(r.citations.some((c) => /^17\.提升保障国家粮食安全能力/.test(lastHeading(c))), `cites item 17:\n${r.answer}`);
  assert.ok(!r.citations.some((c) => /^12\./.test(lastHeading(c))), "item 12 is not carried over");
  assertCitationsSound(r, index);
  assertSentencesVerbatim(r);
});

test("a self-contained question after a conversation is left as it is", async () => {
  const index = await sharedIndex();
  const history = [
    { role: "user" as const, content: MISSION },
    { role: "assistant" as const, content: "……" },
  ];
  const r = await answer({ question: "中共中央政治局第九次集体学习是哪天进行的", history }, { index, generator });
  assert.equal(r.question, "中共中央政治局第九次集体学习是哪天进行的");
  assert.equal(r.refused, false);
  assert.ok(r.answer.includes("10月27日") || r.answer.includes("10 月 27 日"), r.answer);
});

test("an English question gets an English lead over verbatim Chinese sentences", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "What does Liaoning plan for offshore wind power in coastal areas?" }, { index, generator });
  assert.equal(r.refused, false);
  assert.match(r.answer, /^According to/);
  assert.ok(r.answer.includes("海上风电"), r.answer);
  assertSentencesVerbatim(r);
});
