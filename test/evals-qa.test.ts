/**
 * evals/qa.jsonl (and the held-out evals/heldout.jsonl, which nobody tunes on) is well formed and true to the corpus: every line parses with every field, every
 * evidence snippet is verbatim in the corpus, and the mix of cases is what the eval promises.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { compact, loadCases, parseCases } from "../evals/cases.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const QA = path.join(ROOT, "evals/qa.jsonl");
const corpus = fs
  .readdirSync(path.join(ROOT, "corpus"))
  .filter((f) => f.endsWith(".txt"))
  .map((f) => compact(fs.readFileSync(path.join(ROOT, "corpus", f), "utf8")))
  .join("\n");
const cases = loadCases(QA);

test("every line of qa.jsonl is a JSON object with the documented fields", () => {
  const lines = fs.readFileSync(QA, "utf8").split("\n").filter((l) => l.trim());
  assert.equal(cases.length, lines.length);
  for (const line of lines) {
    const c = JSON.parse(line);
    for (const field of ["id", "question", "evidence", "must", "answerable", "lang"]) {
      assert.ok(field in c, `${c.id ?? line.slice(0, 40)} lacks "${field}"`);
    }
  }
});

test("the case mix: ≥80 cases, ≥10 unanswerable, ≥5 follow-ups, ≥3 English", () => {
  assert.ok(cases.length >= 80, `${cases.length} cases`);
  assert.ok(cases.filter((c) => !c.answerable).length >= 10);
  const followUps = cases.filter((c) => c.history?.length);
  assert.ok(followUps.length >= 5);
  for (const c of followUps) {
    assert.ok(c.history!.some((t) => t.role === "user") && c.history!.some((t) => t.role === "assistant"), `${c.id}: a user and an assistant turn`);
  }
  assert.ok(cases.filter((c) => c.lang === "en").length >= 3);
});

test("every evidence snippet occurs verbatim in the whitespace-free corpus", () => {
  const missing = cases.flatMap((c) => c.evidence.filter((e) => !corpus.includes(e)).map((e) => `${c.id}: ${e}`));
  assert.deepEqual(missing, []);
});

test("evidence snippets are short and whitespace-free", () => {
  for (const c of cases) {
    for (const e of c.evidence) {
      assert.equal(e, compact(e), `${c.id}: whitespace in "${e}"`);
      assert.ok(e.length >= 8 && e.length <= 30, `${c.id}: "${e}" is ${e.length} characters`);
    }
  }
});

test("key facts of Chinese answerable cases are phrases of the corpus; English ones have one per group", () => {
  for (const c of cases.filter((x) => x.answerable)) {
    assert.ok(c.must.length > 0, `${c.id}: no key facts`);
    for (const group of c.must) {
      const found = group.filter((p) => corpus.includes(compact(p)));
      if (c.lang === "zh") assert.deepEqual(found, group, `${c.id}: not all of ${group.join("/")} are in the corpus`);
      else assert.ok(found.length > 0, `${c.id}: none of ${group.join("/")} is in the corpus`);
    }
  }
});

test("unanswerable cases carry no evidence and no key facts", () => {
  for (const c of cases.filter((x) => !x.answerable)) {
    assert.deepEqual([c.evidence, c.must], [[], []], c.id);
  }
});

// The held-out set gets the same validity checks, so a typo there cannot quietly skew its figures.
const HELDOUT = path.join(ROOT, "evals/heldout.jsonl");
const heldout = loadCases(HELDOUT);

test("every line of heldout.jsonl is a JSON object with the documented fields", () => {
  const lines = fs.readFileSync(HELDOUT, "utf8").split("\n").filter((l) => l.trim());
  assert.equal(heldout.length, lines.length);
  for (const line of lines) {
    const c = JSON.parse(line);
    for (const field of ["id", "question", "evidence", "must", "answerable", "lang"]) {
      assert.ok(field in c, `${c.id ?? line.slice(0, 40)} lacks "${field}"`);
    }
    assert.ok(c.id.startsWith("ho-"), `${c.id}: held-out ids start with "ho-"`);
  }
});

test("the held-out mix: 40 cases, 8 unanswerable, 4 follow-ups, 4 English", () => {
  assert.equal(heldout.length, 40);
  assert.equal(heldout.filter((c) => !c.answerable).length, 8);
  const followUps = heldout.filter((c) => c.history?.length);
  assert.equal(followUps.length, 4);
  for (const c of followUps) {
    assert.ok(c.history!.some((t) => t.role === "user") && c.history!.some((t) => t.role === "assistant"), `${c.id}: a user and an assistant turn`);
  }
  assert.equal(heldout.filter((c) => c.lang === "en").length, 4);
});

test("held-out evidence is verbatim in the corpus, short and whitespace-free", () => {
  const missing = heldout.flatMap((c) => c.evidence.filter((e) => !corpus.includes(e)).map((e) => `${c.id}: ${e}`));
  assert.deepEqual(missing, []);
  for (const c of heldout) {
    for (const e of c.evidence) {
      assert.equal(e, compact(e), `${c.id}: whitespace in "${e}"`);
      assert.ok(e.length >= 8 && e.length <= 30, `${c.id}: "${e}" is ${e.length} characters`);
    }
  }
});

test("held-out key facts are corpus phrases (English: one per group); unanswerable cases carry none", () => {
  for (const c of heldout) {
    if (!c.answerable) {
      assert.deepEqual([c.evidence, c.must], [[], []], c.id);
      continue;
    }
    assert.ok(c.evidence.length > 0 && c.must.length > 0, `${c.id}: no evidence or key facts`);
    for (const group of c.must) {
      const found = group.filter((p) => corpus.includes(compact(p)));
      if (c.lang === "zh") assert.deepEqual(found, group, `${c.id}: not all of ${group.join("/")} are in the corpus`);
      else assert.ok(found.length > 0, `${c.id}: none of ${group.join("/")} is in the corpus`);
    }
  }
});

test("no held-out case repeats a question of qa.jsonl", () => {
  const tuned = new Set(cases.map((c) => compact(c.question)));
  assert.deepEqual(heldout.filter((c) => tuned.has(compact(c.question))).map((c) => c.id), []);
});

test("a malformed line is reported with its line number", () => {
  const good = JSON.stringify({ id: "a", question: "q", evidence: ["x"], must: [["y"]], answerable: true, lang: "zh" });
  assert.throws(() => parseCases(`${good}\n{"id":"b","question":"q"}\n`, "f.jsonl"), /f\.jsonl:2: evidence must be/);
  assert.throws(() => parseCases(`${good}\n${good}\n`, "f.jsonl"), /f\.jsonl:2: duplicate id "a"/);
  assert.throws(() => parseCases("{oops\n", "f.jsonl"), /f\.jsonl:1: not valid JSON/);
  assert.equal(parseCases(`${good}\n\n`).length, 1);
});
