import fs from "node:fs";
import { realIndex as scratchIndex } from "./real.ts";
import { answer } from "../server/answer/pipeline.ts";
import { createExtractiveGenerator } from "../server/answer/generator.ts";
import { assessEvidence } from "../server/answer/refusal.ts";
const norm = (s: string) => s.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
const index = await scratchIndex();
const generator = createExtractiveGenerator();
const cases = fs.readFileSync("evals/qa.jsonl", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const verbose = process.argv.includes("-v");
let fr = 0, ans = 0, tr = 0, un = 0, recall = 0, len = 0;
for (const c of cases) {
  const r = await answer({ question: c.question, history: c.history }, { index, generator });
  const met = c.must.filter((g: string[]) => g.some((p) => norm(r.answer).includes(norm(p)))).length;
  const hit = r.passages.some((p) => c.evidence.some((e: string) => norm(p.quote).includes(norm(e))));
  if (c.answerable) {
    ans++; len += [...r.answer].length;
    if (r.refused) fr++;
    recall += r.refused ? 0 : c.must.length ? met / c.must.length : 1;
    const ev = assessEvidence(r.question, r.passages, index.core.chunks);
    if (r.refused || (verbose && met < c.must.length)) console.log(`${r.refused ? "FALSE-REFUSAL" : "MISS"} ${c.id} hit=${hit} met=${met}/${c.must.length} q=${c.question} → ${r.question} cov=${ev.coverage.toFixed(2)} reason=${ev.reason} missing=${ev.missing}`);
  } else {
    un++;
    if (r.refused) tr++;
    else {
      const ev = assessEvidence(r.question, r.passages, index.core.chunks);
      console.log(`ANSWERED-UNANSWERABLE ${c.id} q=${c.question} → ${r.question} cov=${ev.coverage.toFixed(2)}`);
    }
  }
}
console.log(`answerable ${ans}: false refusals ${fr}, key-fact recall ${(recall / ans).toFixed(3)}, mean length ${(len / ans).toFixed(0)}; unanswerable ${un}: refused ${tr}`);
