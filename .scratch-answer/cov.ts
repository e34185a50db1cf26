import fs from "node:fs";
import { realIndex as scratchIndex } from "./real.ts";
import { assessEvidence } from "../server/answer/refusal.ts";
import { toCitations } from "../server/answer/pipeline.ts";
import { rewriteByRule } from "../server/answer/follow-up.ts";
import { readGlossary } from "../vectors/query-translation.ts";
import { weightedTerms } from "../server/answer/evidence.ts";
const index = await scratchIndex();
const cases = fs.readFileSync("evals/qa.jsonl", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const rows = [];
for (const c of cases) {
  
  const q = rewriteByRule(c.question, c.history ?? []);
  const passages = toCitations(await index.search(q, { k: 6 }));
  const ev = assessEvidence(q, passages, index.core.chunks, { minCoverage: 0, glossary: readGlossary(index.dir) });
  rows.push({ a: c.answerable, cov: ev.coverage, reason: ev.reason, id: c.id, terms: weightedTerms(q, index.core.chunks).map(t => `${t.text}/${t.tag}/${t.weight.toFixed(1)}`).join(" "), missing: ev.missing.join(",") });
}
rows.sort((x, y) => x.cov - y.cov);
for (const r of rows.slice(0, 40)) console.log(r.a ? "A" : "U", r.cov.toFixed(2), r.reason ?? "", r.id, "|", r.terms, "| missing:", r.missing);
console.log("--- unanswerable:");
for (const r of rows.filter((r) => !r.a)) console.log(r.cov.toFixed(2), r.reason ?? "ANSWERED", r.id, "|", r.terms, "| missing:", r.missing);
