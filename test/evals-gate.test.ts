/**
 * The eval gate: every case set in evals/ (qa.jsonl, heldout.jsonl and any other *.jsonl, e.g. a
 * blind set), in-process on the real corpus (offline: the trained embeddings and the extractive
 * generator), must stay at or above its own block of evals/thresholds.json; so must the neutral
 * re-framings of qa.jsonl (`--variants`). A change that makes answers, citations or refusals worse —
 * or that answers a question only in the one wording the eval happens to use — fails here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { caseSets, gateProblems, runEval, MODES } from "../evals/run.ts";
import { setName, thresholdsFor } from "../evals/thresholds.ts";
import { failureReasons } from "../evals/metrics.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { CORPUS_DIR, sharedIndex } from "./support/shared-index.ts";

// The extractive generator, whatever LLM the developer's environment points at.
const generator = createGenerator(readSettings({}).generator);

for (const file of caseSets()) {
  const set = setName(file);
  const isQa = set === "qa";
  test(`${path.basename(file)}${isQa ? " (and its re-framed questions)" : ""} stays at or above its thresholds`, async (t) => {
    if (!thresholdsFor(set).own) t.diagnostic(`evals/thresholds.json has no "${set}" block: only the defaults are checked`);
    const index = await sharedIndex();
    const run = await runEval({ file, index, generator, corpusDir: CORPUS_DIR, reportsDir: null, ablation: isQa, variants: isQa });
    const failed = run.results.filter((r) => failureReasons(r).length).map((r) => `${r.id}: ${failureReasons(r).join("; ")}`);
    const changed = (run.variants?.changes ?? []).map((c) => `${c.id}: ${c.changed.join(", ")} changed`);
    assert.deepEqual(gateProblems(run, file), [], `eval below thresholds; failed cases:\n${[...failed, ...changed].join("\n")}`);
    if (isQa) {
      // Every retrieval mode the product offers answers (the ablation has a row per mode, none broken).
      assert.deepEqual(run.ablation.map((r) => [r.mode, r.error ?? "ok"]), MODES.map((m) => [m, "ok"]));
      assert.ok(run.variants && run.variants.variants >= run.summary.answerable * 3, "every answerable case re-asked in at least three framings");
    }
  });
}
