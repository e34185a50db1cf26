/**
 * The neutral re-framings `npm run eval -- --variants` asks: fixed templates, the same for every case,
 * that change the wording and never the request. Shown on questions of no eval set.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { reorderClause, variantsOf, VARIANT_TEMPLATES } from "../evals/variants.ts";
import { parseCases, type EvalCase } from "../evals/cases.ts";
import { caseSets } from "../evals/run.ts";

const zh: EvalCase = { id: "port", question: "大连港口建设有哪些措施", evidence: ["某段证据文字内容"], must: [["港口"]], answerable: true, lang: "zh" };

test("a Chinese question gets the four framings and a reordered clause; the facts asked for stay the same", () => {
  assert.deepEqual(variantsOf(zh).map((v) => [v.id, v.case.question]), [
    ["port#zh-want", "我想知道，大连港口建设有哪些措施"],
    ["port#zh-qingwen", "请问大连港口建设有哪些措施"],
    ["port#zh-lookup", "请帮我查一下：大连港口建设有哪些措施"],
    ["port#zh-from-docs", "大连港口建设有哪些措施？请根据文件回答。"],
    ["port#zh-reordered", "有哪些措施，大连港口建设？"],
  ]);
  for (const v of variantsOf(zh)) assert.deepEqual([v.case.evidence, v.case.must, v.case.answerable], [zh.evidence, zh.must, true]);
});

test("an English question gets the three English framings; a question already framed so is not framed twice", () => {
  const en: EvalCase = { ...zh, id: "en", question: "Who chaired the meeting?", lang: "en" };
  assert.deepEqual(variantsOf(en).map((v) => v.case.question), [
    "I'd like to know: Who chaired the meeting?",
    "Please tell me, Who chaired the meeting?",
    "Who chaired the meeting? Please answer from the documents.",
  ]);
  const polite = variantsOf({ ...zh, question: "请问大连港口建设有哪些措施？" }).map((v) => v.template);
  assert.equal(polite.includes("zh-qingwen"), false);
  assert.ok(polite.includes("zh-want"));
});

test("a follow-up is re-framed in its last question only; unanswerable cases get no variants", () => {
  const history = [{ role: "user" as const, content: "大连港口建设有哪些措施？" }, { role: "assistant" as const, content: "建设国际航运中心。" }];
  const follow = variantsOf({ ...zh, question: "那机场呢？", history });
  assert.ok(follow.length >= 4);
  for (const v of follow) assert.deepEqual(v.case.history, history);
  assert.equal(follow[0].case.question, "我想知道，那机场呢？");
  assert.deepEqual(variantsOf({ ...zh, answerable: false, evidence: [], must: [] }), []);
});

test("reordered clause: the leading topic goes behind the part that asks, or nothing when there is no clear topic", () => {
  assert.equal(reorderClause("新时代的主要矛盾是什么"), "什么是新时代的主要矛盾？");
  assert.equal(reorderClause("市长是谁"), "谁是市长？");
  assert.equal(reorderClause("沈阳地铁三号线是哪年开通的"), "是哪年开通的，沈阳地铁三号线？");
  assert.equal(reorderClause("省政府如何支持民营企业"), "如何支持民营企业，省政府？");
  assert.equal(reorderClause("对冰雪旅游，省政府提出了哪些要求"), "省政府提出了哪些要求，对冰雪旅游？");
  assert.equal(reorderClause("哪些城市入选了试点"), null); // nothing before the interrogative
  assert.equal(reorderClause("会议提出了哪些要求？还有什么"), null); // two sentences
  assert.equal(reorderClause("Who chaired the meeting?"), null);
});

test("the templates are documented and each has a stable id", () => {
  const ids = VARIANT_TEMPLATES.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length);
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../evals/README.md"), "utf8");
  for (const id of ids) assert.ok(readme.includes(`\`${id}\``), `evals/README.md documents ${id}`);
});

test("a case's kind is optional and must be one of the documented kinds", () => {
  const line = (extra: object) => JSON.stringify({ ...zh, ...extra });
  assert.equal(parseCases(line({ kind: "list" }))[0].kind, "list");
  assert.equal(parseCases(line({}))[0].kind, undefined);
  assert.throws(() => parseCases(line({ kind: "trivia" })), /cases:1: kind must be one of fact, list/);
});

test("the gate's case sets: qa, then heldout, then any other set in the folder by name", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evals-sets-"));
  for (const f of ["blind.jsonl", "heldout.jsonl", "qa.jsonl", "notes.md", "another.jsonl"]) fs.writeFileSync(path.join(dir, f), "");
  assert.deepEqual(caseSets(dir).map((f) => path.basename(f)), ["qa.jsonl", "heldout.jsonl", "another.jsonl", "blind.jsonl"]);
  fs.rmSync(dir, { recursive: true, force: true });
});
