/**
 * The answer pipeline on the real corpus with the offline (extractive) generator, on questions made
 * up for the purpose: a broad question, refusals, a follow-up, streaming, and the citation rules users rely on.
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
/** A broad question about one item of the provincial opinion (made up; no eval case asks it so). */
const BROAD = "辽宁要怎样推进国资国企改革";

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

test("two questions in one, one of them unanswerable: the answerable one is answered, the other named as missing, not refused whole", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "中央金融工作会议在哪里召开？辽宁清洁能源强省建设要投入多少亿元？" }, { index, generator });
  assert.equal(r.refused, false, `something asked was answered:\n${r.answer}`);
  assert.match(r.answer, /北京/, r.answer);
  const last = r.answer.trim().split("\n").at(-1)!;
  assert.match(last, /^文件提到了.*清洁能源强省.*但没有给出具体金额\[\d+\]。$/, r.answer);
  assertCitationsSound(r, index);
  // The answered part's sentences are verbatim; the line naming what is missing is the product's own.
  assertSentencesVerbatim({ ...r, answer: r.answer.replace(last, "") });
});

test("a broad question lists the item's measures, each verbatim with its [n]", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: BROAD }, { index, generator });
  assert.equal(r.refused, false);
  assert.equal(r.generator, "extractive");
  for (const measure of ["三项制度改革", "国资监管", "太平湾"]) assert.ok(r.answer.includes(measure), `answer mentions ${measure}:\n${r.answer}`);
  assert.ok(r.citations.some((c) => /^15\.深化国资国企改革/.test(lastHeading(c))), "cites item 15");
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
  for await (const ev of answerStream({ question: BROAD }, { index, generator })) events.push(ev);
  assert.equal(events[0].type, "retrieval");
  const done = events[events.length - 1];
  assert.equal(done.type, "done");
  const tokens = events.filter((e): e is Extract<AnswerEvent, { type: "token" }> => e.type === "token");
  assert.ok(tokens.length > 10, `streamed in pieces (${tokens.length})`);
  assert.equal(tokens.map((t) => t.text).join(""), done.type === "done" ? done.answer : "");
});

test("a near miss is refused in one line naming the missing detail, citing the passage about the topic", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "徐大堡核电基地一年能发多少度电" }, { index, generator });
  assert.equal(r.refused, true);
  assert.match(r.answer, /^文件提到了.*徐大堡.*，但没有给出具体数字\[1\]。$/);
  assert.ok(r.citations[0].quote.includes("徐大堡"), "the cited passage is the one about 徐大堡");
  assertCitationsSound(r, index);
});

test("a question the documents know nothing of is refused with the closest passages as leads", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "明年大连海水浴场几月开放，门票多少钱" }, { index, generator });
  assert.equal(r.refused, true);
  assert.match(r.answer, /^(资料中没有找到|文件提到了)/);
  assertCitationsSound(r, index);
});

test("an English question about something the documents lack is refused in English", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "How many passengers a year will Dalian's new airport handle?" }, { index, generator });
  assert.equal(r.refused, true);
  assert.match(r.answer, /^The documents (do not cover|mention)/);
});

test("the follow-up 那民营经济呢？ is rewritten and answered from item 16, without the earlier passages", async () => {
  const index = await sharedIndex();
  const first = await answer({ question: BROAD }, { index, generator });
  const history = [
    { role: "user" as const, content: BROAD },
    { role: "assistant" as const, content: first.answer },
  ];
  const r = await answer({ question: "那民营经济呢？", history }, { index, generator });
  assert.match(r.question, /民营经济/);
  assert.doesNotMatch(r.question, /国资国企/);
  assert.equal(r.refused, false);
  assert.ok(r.citations.some((c) => /^16\.发展壮大民营经济/.test(lastHeading(c))), `cites item 16:\n${r.answer}`);
  assert.ok(!r.citations.some((c) => /^15\./.test(lastHeading(c))), "item 15 is not carried over");
  assertCitationsSound(r, index);
  assertSentencesVerbatim(r);
});

test("a self-contained question after a conversation is left as it is", async () => {
  const index = await sharedIndex();
  const history = [
    { role: "user" as const, content: BROAD },
    { role: "assistant" as const, content: "……" },
  ];
  const r = await answer({ question: "中央金融工作会议是几月几号开的", history }, { index, generator });
  assert.equal(r.question, "中央金融工作会议是几月几号开的");
  assert.equal(r.refused, false);
  assert.ok(r.answer.includes("10月30日"), r.answer);
});

test("an English question gets an English lead over verbatim Chinese sentences", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "What will Liaoning do to develop hydrogen energy?" }, { index, generator });
  assert.equal(r.refused, false);
  assert.match(r.answer, /^According to/);
  assert.ok(r.answer.includes("氢能"), r.answer);
  assertSentencesVerbatim(r);
});

test("a question on two meetings is answered from each article, every marker a citation", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "深改委第三次会议和中央金融工作会议各自部署了什么" }, { index, generator });
  assert.equal(r.refused, false, r.answer);
  assert.equal(new Set(r.citations.map((c) => c.articleId)).size, 2, `both articles cited:\n${r.answer}`);
  assert.ok(!r.answer.includes("\\["), `no marker left as escaped text:\n${r.answer}`);
  assertCitationsSound(r, index);
  assertSentencesVerbatim(r);
});

test("an English two-part question gets each slot: the date from the report's opening, and the speaker", async () => {
  const index = await sharedIndex();
  for (const question of [
    "When did the Central Financial Work Conference take place, and who gave the important speech there?",
    "Who made the important speech at the Central Financial Work Conference, and on what dates was it held?",
  ]) {
    const r = await answer({ question }, { index, generator });
    assert.equal(r.refused, false, r.answer);
    assert.ok(r.answer.includes("10月30日") && r.answer.includes("习近平"), `${question}\n${r.answer}`);
    assertCitationsSound(r, index);
  }
});

test("two questions in one, on two articles, are each searched and answered, both articles cited", async () => {
  const index = await sharedIndex();
  const r = await answer({ question: "国有资本经营预算制度要怎么完善？中央金融工作会议在哪里召开？" }, { index, generator });
  assert.equal(r.refused, false, r.answer);
  assert.match(r.answer, /扩大实施范围/, r.answer);
  assert.match(r.answer, /北京/, r.answer);
  assert.equal(new Set(r.citations.map((c) => c.articleId)).size, 2, `both articles cited:\n${r.answer}`);
  assertCitationsSound(r, index);
  assertSentencesVerbatim(r);
});
