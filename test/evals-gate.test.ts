/**
 * The eval gate: the whole of evals/qa.jsonl, in-process on the real corpus (offline: the trained
 * embeddings and the extractive generator), must stay at or above evals/thresholds.json.
 * A change that makes answers, citations or refusals worse fails here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runEval, MODES } from "../evals/run.ts";
import { checkThresholds, readThresholds } from "../evals/thresholds.ts";
import { failureReasons } from "../evals/metrics.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { CORPUS_DIR, sharedIndex } from "./support/shared-index.ts";

test("the eval over every case stays at or above the thresholds", async () => {
  const index = await sharedIndex();
  // The extractive generator, whatever LLM the developer's environment points at.
  const generator = createGenerator(readSettings({}).generator);
  const run = await runEval({ index, generator, corpusDir: CORPUS_DIR, reportsDir: null, ablation: true });
  const problems = checkThresholds(run.summary, readThresholds());
  const failed = run.results.filter((r) => failureReasons(r).length).map((r) => `${r.id}: ${failureReasons(r).join("; ")}`);
  assert.deepEqual(problems, [], `eval below thresholds; failed cases:\n${failed.join("\n")}`);
  // Every retrieval mode the product offers answers (the ablation has a row per mode, none broken).
  assert.deepEqual(run.ablation.map((r) => [r.mode, r.error ?? "ok"]), MODES.map((m) => [m, "ok"]));
});
