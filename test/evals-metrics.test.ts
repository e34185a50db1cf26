/**
 * The eval's measures on constructed inputs: a wrong figure here would mislead every later change.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  ablationRows, checkCitations, citationMarkers, evidenceRank, factCoverage, failureReasons, kindRows, listFacts, percentile,
  retrievalSummary, summarize, summarizeVariants, type CaseResult,
} from "../evals/metrics.ts";
import { ablationChart } from "../evals/chart.ts";
import { renderMarkdown, writeReport, type EvalReport } from "../evals/report.ts";
import { checkThresholds, checkValues, suggestThresholds, thresholdsFor } from "../evals/thresholds.ts";
import type { EvalCase } from "../evals/cases.ts";

const passage = (text: string) => ({ headingPath: ["《意见》", "12.建设清洁能源强省"], text });

test("evidence rank ignores the corpus's line breaks and stray spaces", () => {
  const passages = [passage("会议还研究了其他事项。"), passage("稳步推进徐大 堡核电\n基地建设，有序提升")];
  assert.equal(evidenceRank(passages, ["稳步推进徐大堡核电基地建设"]), 2);
  assert.equal(evidenceRank(passages, ["不存在的片段内容"]), null);
  assert.equal(evidenceRank(passages, ["不存在的片段内容", "会议还研究了其他事项"]), 1);
  assert.equal(evidenceRank(passages, []), null);
});

test("hit@k and MRR", () => {
  const s = retrievalSummary([1, 2, 4, null]);
  assert.deepEqual(s, { n: 4, hit1: 0.25, hit3: 0.5, hit5: 0.75, mrr: (1 + 0.5 + 0.25) / 4 });
  assert.deepEqual(retrievalSummary([]), { n: 0, hit1: 0, hit3: 0, hit5: 0, mrr: 0 });
});

test("key facts: one phrase per group, spacing, width and case ignored", () => {
  const answer = "要建设风光火核储一体化能源基地[1]，支持沿海地区建设海上 风电基地，推动５Ｇ+工业互联网; Beijing.";
  const f = factCoverage(answer, [["风光火核储"], ["海上风电"], ["氢能", "氢"], ["5G+工业互联网"], ["beijing"]]);
  assert.equal(f.met, 4);
  assert.equal(f.total, 5);
  assert.deepEqual(f.missing, [["氢能", "氢"]]);
});

test("citation markers in the forms answers use", () => {
  assert.deepEqual(citationMarkers("甲[1]。乙[2][3]，丙[1, 4]；丁[2，5]、戊[6、7]"), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(citationMarkers("no citations [a] [] here"), []);
});

test("citation checks: unresolved markers, quotes not in the corpus, evidence cited", () => {
  const sources = ["稳步推进徐大堡核电基地建设，有序提升核电使用比例。发挥氢能技术研发"];
  const ok = checkCitations({
    answer: "稳步推进徐大堡核电基地建设[1]。",
    citations: [{ n: 1, ...passage("稳步推进徐大堡核电基地 建设，有序提升") }],
    sources, evidence: ["稳步推进徐大堡核电基地建设"], refused: false,
  });
  assert.deepEqual(ok, { markers: [1], unresolved: [], notVerbatim: [], evidenceCited: true });
  const bad = checkCitations({
    answer: "核电基地在大连[1][3]。",
    citations: [{ n: 1, ...passage("核电基地位于大连市") }, { n: 2, ...passage("") }],
    sources, evidence: ["稳步推进徐大堡核电基地建设"], refused: false,
  });
  assert.deepEqual(bad, { markers: [1, 3], unresolved: [3], notVerbatim: [1, 2], evidenceCited: false });
  const refused = checkCitations({ answer: "文件没有提到。", citations: [], sources, evidence: ["x"], refused: true });
  assert.equal(refused.evidenceCited, null);
});

test("percentiles by nearest rank", () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 95), 95);
  assert.equal(percentile([7], 95), 7);
  assert.equal(percentile([], 50), 0);
});

function result(over: Partial<CaseResult>): CaseResult {
  return {
    id: "c", question: "q", lang: "zh", answerable: true, followUp: false, standalone: "q", retrieved: [],
    retrieval: { rank: 1, ms: 1 }, answer: "答案[1]", refused: false, citations: [{ n: 1, ...passage("答案") }],
    facts: { met: 2, total: 2, missing: [] }, list: { total: 0, withFact: 0 },
    citation: { markers: [1], unresolved: [], notVerbatim: [], evidenceCited: true }, latencyMs: 10, ...over,
  };
}

test("summary: refusals, false refusals, recall (a refused answerable case meets no facts), English hit@5", () => {
  const results = [
    result({ id: "a" }),
    result({ id: "b", refused: true, retrieval: { rank: null, ms: 1 }, latencyMs: 30 }),
    result({ id: "c", lang: "en", retrieval: { rank: 6, ms: 1 }, facts: { met: 1, total: 2, missing: [["x"]] }, citation: { markers: [1, 2], unresolved: [2], notVerbatim: [], evidenceCited: false } }),
    result({ id: "d", answerable: false, refused: true, retrieval: { rank: null, ms: 1 }, facts: { met: 0, total: 0, missing: [] }, latencyMs: 20 }),
    result({ id: "e", answerable: false, refused: false, followUp: true, retrieval: { rank: null, ms: 1 }, facts: { met: 0, total: 0, missing: [] } }),
  ];
  const s = summarize(results, "hybrid");
  assert.equal(s.answerable, 3);
  assert.equal(s.unanswerable, 2);
  assert.equal(s.followUps, 1);
  assert.equal(s.retrieval.hit5, 1 / 3);
  assert.equal(s.englishHit5, 0);
  assert.equal(s.followUpHit5, null); // the only follow-up is unanswerable
  assert.equal(s.keyFactRecall, (1 + 0 + 0.5) / 3);
  assert.equal(s.allFactsRate, 1 / 3);
  assert.equal(s.refusalAccuracy, 0.5);
  assert.equal(s.falseRefusalRate, 1 / 3);
  assert.equal(s.citationsResolve, 2 / 3); // answered: a, c, e; c has an unresolved [2]
  assert.equal(s.citedEvidence, 1 / 2);
  assert.equal(s.latencyP50Ms, 10);
  assert.equal(s.latencyP95Ms, 30);
  assert.deepEqual(failureReasons(results[0]), []);
  assert.deepEqual(failureReasons(results[4]), ["answered a question the corpus cannot answer"]);
  assert.ok(failureReasons(results[2]).includes("evidence not in the top 5 passages"));
  assert.ok(failureReasons(results[2]).includes("unresolved citation markers [2]"));
});

test("ablation rows, chart and report", () => {
  const results = [
    result({ id: "a", ablation: { bm25: { rank: 1, ms: 2 }, dense: { rank: null, ms: 4 } } }),
    result({ id: "b", question: "q2", lang: "en", refused: true, ablation: { bm25: { rank: 3, ms: 2 }, dense: { rank: 1, ms: 4 } } }),
  ];
  const rows = ablationRows(results, ["bm25", "dense"]);
  assert.deepEqual(rows.map((r) => [r.mode, r.hit1, r.hit3, r.englishHit5]), [["bm25", 0.5, 1, 1], ["dense", 0.5, 0.5, 1]]);
  const svg = ablationChart(rows);
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(svg.match(/<rect x="\d/g)?.length, 2 * 4 + 4); // 4 bars per mode + 4 legend swatches
  const cases: EvalCase[] = [
    { id: "a", question: "q", evidence: ["答案"], must: [["答案"]], answerable: true, lang: "zh" },
    { id: "b", question: "q2", history: [{ role: "user", content: "前一问" }, { role: "assistant", content: "前一答" }], evidence: ["答案"], must: [["答案"]], answerable: true, lang: "en" },
  ];
  const report: EvalReport = {
    createdAt: "2026-01-01T00:00:00.000Z",
    options: { file: "evals/qa.jsonl", mode: "hybrid", k: 10, target: "in-process", ablation: true },
    target: {}, summary: summarize(results, "hybrid"), ablation: rows, warnings: [], cases: results,
  };
  const md = renderMarkdown(report, cases, "x.svg");
  assert.match(md, /## Summary/);
  assert.match(md, /\| bm25 \| 50\.0% \| 100\.0% \|/);
  assert.match(md, /## Failed cases \(1 of 2\)/);
  assert.match(md, /### b: q2[\s\S]*refused an answerable question[\s\S]*history: user: 前一问/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evals-report-"));
  const files = writeReport(report, cases, dir);
  const stored = JSON.parse(fs.readFileSync(files.json, "utf8"));
  assert.deepEqual(stored.summary, report.summary);
  assert.equal(stored.cases.length, 2);
  assert.ok(fs.readFileSync(files.md, "utf8").includes(`![ablation chart](${path.basename(files.svg!)})`));
  fs.rmSync(dir, { recursive: true, force: true });
});

test("thresholds: below a minimum or above a maximum fails, unknown names are reported, unmeasured ones skipped", () => {
  const s = summarize([result({})], "hybrid");
  assert.deepEqual(checkThresholds(s, { min: { hit5: 1, keyFactRecall: 0.9 }, max: { falseRefusalRate: 0 } }), []);
  const problems = checkThresholds({ ...s, keyFactRecall: 0.5 }, { min: { keyFactRecall: 0.9, nope: 1, englishHit5: 0.9 }, max: { latencyP95Ms: 5 } });
  assert.equal(problems.length, 3);
  assert.match(problems.join("\n"), /keyFactRecall = 0\.500, below the threshold 0\.900/);
});

test("list lines: the share of \"- \" lines holding a key fact, matched as key facts are (spacing, width, case)", () => {
  const answer = "主要有以下几点：\n- 建设风光火核储一体化基地。[1]\n- 支持建设海上 风电基地。[1]\n- 会议还研究了其他事项。[2]\n  - 推动５Ｇ应用。[3]\n不是列表行 氢能";
  assert.deepEqual(listFacts(answer, [["风光火核储"], ["海上风电", "氢能"], ["5G"]]), { total: 4, withFact: 3 });
  assert.deepEqual(listFacts("一句话的回答：风光火核储。", [["风光火核储"]]), { total: 0, withFact: 0 });
  // Pooled over the lines of every answered list answer; refused and prose answers do not count.
  const s = summarize([
    result({ id: "a", list: { total: 4, withFact: 3 } }),
    result({ id: "b", list: { total: 6, withFact: 1 } }),
    result({ id: "c", refused: true, list: { total: 5, withFact: 0 } }),
    result({ id: "d" }),
  ], "hybrid");
  assert.equal(s.listAnswers, 2);
  assert.equal(s.listFactShare, 4 / 10);
  assert.equal(summarize([result({})], "hybrid").listFactShare, null);
});

test("kinds: near misses refused as their own figure, key figures per kind, \"(no kind)\" for cases without one", () => {
  const results = [
    result({ id: "a", kind: "list", facts: { met: 1, total: 2, missing: [["x"]] } }),
    result({ id: "b", kind: "list", refused: true }),
    result({ id: "c", kind: "near-miss", answerable: false, refused: true, facts: { met: 0, total: 0, missing: [] } }),
    result({ id: "d", kind: "near-miss", answerable: false, refused: false, facts: { met: 0, total: 0, missing: [] } }),
    result({ id: "e", kind: "near-miss", answerable: false, refused: true, facts: { met: 0, total: 0, missing: [] } }),
    result({ id: "f" }),
  ];
  const s = summarize(results, "hybrid");
  assert.equal(s.nearMisses, 3);
  assert.equal(s.nearMissRefusal, 2 / 3);
  assert.equal(summarize([result({})], "hybrid").nearMissRefusal, null);
  assert.deepEqual(kindRows(results).map((r) => [r.kind, r.cases, r.falseRefusalRate, r.refusalRate, r.keyFactRecall]), [
    ["list", 2, 0.5, null, 0.25],
    ["near-miss", 3, null, 2 / 3, null],
    ["(no kind)", 1, 0, null, 1],
  ]);
});

test("variants: answerability and key-fact changes against the plain question, headline figures over the variants", () => {
  const plain = [
    result({ id: "a" }),
    result({ id: "b", facts: { met: 1, total: 2, missing: [["y"]] } }),
    result({ id: "c", refused: true }),
  ];
  const v = (of: string, template: string, over: Partial<CaseResult>) => ({ of, template, result: result({ id: `${of}#${template}`, ...over }) });
  const s = summarizeVariants(plain, [
    v("a", "p1", {}), // same verdict
    v("a", "p2", { refused: true }), // refused now: answerability and facts change
    v("b", "p1", { facts: { met: 1, total: 2, missing: [["x"]] } }), // another fact met: facts change
    v("b", "p2", { facts: { met: 1, total: 2, missing: [["y"]] } }),
    v("c", "p1", { refused: true }), // refused both ways: no change
    v("c", "p2", {}), // answered now
  ], "hybrid");
  assert.equal(s.variants, 6);
  assert.equal(s.cases, 3);
  assert.equal(s.answerabilityChanged, 2 / 6);
  assert.equal(s.factsChanged, 3 / 6);
  assert.equal(s.summary.falseRefusalRate, 2 / 6);
  assert.deepEqual(s.byTemplate.map((t) => [t.template, t.variants, t.answerabilityChanged]), [["p1", 3, 0], ["p2", 3, 2 / 3]]);
  assert.deepEqual(s.changes.map((c) => [c.id, c.changed]), [
    ["a#p2", ["answerability", "facts"]], ["b#p1", ["facts"]], ["c#p2", ["answerability", "facts"]],
  ]);
});

test("thresholds per set: a set's block over the defaults, variants apart, a set without a block gets the defaults", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "evals-thresholds-")), "t.json");
  fs.writeFileSync(file, JSON.stringify({
    default: { min: { quotesVerbatim: 1 }, max: { errors: 0 } },
    sets: { qa: { min: { hit5: 0.9 }, max: {}, variants: { max: { answerabilityChanged: 0.05 } } } },
  }));
  assert.deepEqual(thresholdsFor("qa", { file }), { min: { quotesVerbatim: 1, hit5: 0.9 }, max: { errors: 0 }, own: true });
  assert.deepEqual(thresholdsFor("qa", { file, variants: true }), { min: { quotesVerbatim: 1 }, max: { errors: 0, answerabilityChanged: 0.05 }, own: true });
  assert.deepEqual(thresholdsFor("blind", { file }), { min: { quotesVerbatim: 1 }, max: { errors: 0 }, own: false });
  assert.deepEqual(checkValues({ answerabilityChanged: 0.1, errors: 0 }, { min: {}, max: { answerabilityChanged: 0.05 } }), [
    "answerabilityChanged = 0.100, above the threshold 0.050",
  ]);
  // A set without unanswerable cases does not fail a refusal threshold it cannot measure.
  assert.deepEqual(checkThresholds(summarize([result({})], "hybrid"), { min: { refusalAccuracy: 0.9 }, max: {} }), []);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test("suggested thresholds: today's figures minus 0.02 or one case, invariants exact, the unmeasured left out", () => {
  const results = [...Array.from({ length: 9 }, (_, i) => result({ id: `a${i}` })), result({ id: "r", refused: true })];
  const t = suggestThresholds(summarize(results, "hybrid"));
  assert.equal(t.min.hit5, 0.9); // 10 answerable cases, all found: one case is 0.1
  assert.equal(t.min.keyFactRecall, 0.8);
  assert.equal(t.max.falseRefusalRate, 0.2);
  assert.equal(t.min.citationsResolve, 1);
  assert.equal(t.max.errors, 0);
  assert.equal("refusalAccuracy" in t.min, false);
  assert.equal("nearMissRefusal" in t.min, false);
});
