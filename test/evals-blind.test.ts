/**
 * The blind sets (evals/blind1.jsonl … blind5.jsonl, blind7.jsonl … blind9.jsonl, blind11.jsonl … blind15.jsonl): each written by a helper who had seen neither the
 * system, its code nor the other sets, run once untouched (figures in the README), then kept as held-out
 * gate sets that nobody tunes on. A typo in one would quietly skew its figures, and a tuning case close to
 * one of its questions would make it no longer held out: both are checked here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { compact, loadCases, type EvalCase } from "../evals/cases.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const corpus = fs
  .readdirSync(path.join(ROOT, "corpus"))
  .filter((f) => f.endsWith(".txt"))
  .map((f) => compact(fs.readFileSync(path.join(ROOT, "corpus", f), "utf8")))
  .join("\n");
const tuned = loadCases(path.join(ROOT, "evals/qa.jsonl"));
const BLIND = ["blind1.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl", "blind5.jsonl", "blind7.jsonl", "blind8.jsonl", "blind9.jsonl", "blind11.jsonl", "blind12.jsonl", "blind13.jsonl", "blind14.jsonl", "blind15.jsonl"];

/** Character-bigram Jaccard similarity of two questions (whitespace and case ignored). */
function similarity(a: string, b: string): number {
  const grams = (s: string) => {
    const t = compact(s).toLowerCase();
    return new Set(Array.from({ length: Math.max(0, t.length - 1) }, (_, i) => t.slice(i, i + 2)));
  };
  const x = grams(a);
  const y = grams(b);
  const shared = [...x].filter((g) => y.has(g)).length;
  return shared / Math.max(1, x.size + y.size - shared);
}

/** Half the bigrams shared: a re-wording of the same question (checked by eye when the blind sets were added). */
const NEAR_DUPLICATE = 0.5;
/**
 * At most this share of a blind set's questions re-word a tuning question: writers who never met ask
 * the same facts over one small corpus (up to 16% when blinds 1–4 were added, 16.1% for blind 5, 17.9% for
 * blind 8, written after qa.jsonl had grown to 466 cases, 19.9% for blind 14, after it had grown to 557).
 */
const MAX_CLOSE_SHARE = 0.2;

for (const file of BLIND) {
  const cases: EvalCase[] = loadCases(path.join(ROOT, "evals", file));

  test(`${file}: every case is well formed, its evidence verbatim in the corpus and its key facts corpus phrases`, () => {
    assert.ok(cases.length >= 60, `${file} has ${cases.length} cases`);
    const missing = cases.flatMap((c) => c.evidence.filter((e) => !corpus.includes(compact(e))).map((e) => `${c.id}: ${e}`));
    assert.deepEqual(missing, []);
    for (const c of cases) {
      assert.ok(c.kind, `${c.id}: every blind case says what it tests`);
      if (!c.answerable) {
        assert.deepEqual([c.evidence, c.must], [[], []], c.id);
        continue;
      }
      assert.ok(c.evidence.length > 0 && c.must.length > 0, `${c.id}: no evidence or key facts`);
      for (const group of c.must) {
        assert.ok(group.some((p) => corpus.includes(compact(p))), `${c.id}: none of ${group.join("/")} is in the corpus`);
      }
    }
  });

  test(`${file}: the mix the issue asks of a blind set (paraphrases, near misses, two-part and two-article questions)`, () => {
    const count = (...kinds: string[]) => cases.filter((c) => kinds.includes(c.kind ?? "")).length;
    assert.ok(count("paraphrase") >= 15, "at least 15 colloquial paraphrases");
    assert.ok(count("near-miss") >= 12, "at least 12 near misses");
    assert.ok(count("two-part", "two-article") >= 6, "two-part and two-article questions");
  });

  test(`${file}: no question of qa.jsonl (the set that is tuned on) repeats one of its questions`, (t) => {
    const asked = new Set(tuned.map((c) => compact(c.question)));
    assert.deepEqual(cases.filter((c) => asked.has(compact(c.question))).map((c) => c.id), []);
    // Written from the same twelve articles, some questions of both sets ask the same fact in other
    // words; the README gives their number, and cases added to qa.jsonl are kept below this line.
    const close = cases.filter((c) => tuned.some((x) => similarity(x.question, c.question) >= NEAR_DUPLICATE));
    t.diagnostic(`${close.length} of ${cases.length} questions share half their bigrams with a qa.jsonl question`);
    assert.ok(close.length <= MAX_CLOSE_SHARE * cases.length, `${close.length} of ${cases.length} re-word a qa.jsonl question: a case added to qa.jsonl copies a held-out one`);
  });
}

test("the similarity measure finds a re-wording and not a different question", () => {
  assert.ok(similarity("中央金融工作会议是在哪里开的？", "中央金融工作会议在哪里开的") >= NEAR_DUPLICATE);
  assert.ok(similarity("中央金融工作会议是在哪里开的？", "辽宁海洋经济有哪些安排") < NEAR_DUPLICATE);
});
