/**
 * One long unpunctuated run in a corpus file (millions of Han characters, no sentence end) used to
 * crash the whole ingest with "Maximum call stack size exceeded": a regex over the run in the glossary
 * builder overflowed V8's backtracking stack, and lists of 100k+ entries spread into one call
 * (the trained tokenizer's vocabulary, a file's chunks) overflowed the call stack. Nothing was indexed
 * and the file was not named. (How such a run is cut into passages: the ingest chunking tests.)
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runIngest } from "../ingest/build.ts";
import { readSettings } from "../config/settings.ts";
import { ModelTokenizer, PAD, UNK } from "../vectors/corpus-model/model-tokenizer.ts";
import { buildGlossary, hanRuns } from "../vectors/query-translation.ts";
import { CORPUS_DIR } from "./support/shared-index.ts";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-long-runs-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** `n` Han characters without punctuation, cycling through real words (deterministic). */
function unpunctuated(n: number): string {
  const words = ["辽宁", "清洁能源", "强省", "建设", "海上风电", "基地", "推进", "产业", "创新", "科技", "振兴", "发展"];
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < n; i++) {
    const w = words[(i * 7) % words.length];
    parts.push(w);
    length += w.length;
  }
  return parts.join("").slice(0, n);
}

test("the glossary is built over a passage of 7,000,000 unpunctuated Han characters (the regex overflowed)", () => {
  const run = unpunctuated(7_000_000);
  assert.equal([...hanRuns(`${run}。尾`, 4)].length, 1, "one run, the short tail is not a run");
  const glossary = buildGlossary(new Map([["清洁", 5], ["能源", 5], ["辽宁", 5]]), [run]);
  assert.ok(glossary.phrases["py:liaoning"]?.includes("辽宁"), "the words of the run are in the glossary");
  assert.ok(glossary.phrases["clean energy"]?.includes("清洁能源"), "and the compounds found in it");
});

test("the trained tokenizer takes a vocabulary of 200,000 words (spreading it into Math.max overflowed)", () => {
  const vocab = [PAD, UNK, ...Array.from({ length: 200_000 }, (_, i) => `词${i.toString(36)}`), "辽宁", "辽", "宁"];
  const tokenizer = new ModelTokenizer(vocab);
  assert.deepEqual(tokenizer.encode("辽宁"), [vocab.indexOf("辽宁")]);
});

test("the real ingest of the seed plus a file holding a long unpunctuated run indexes both", { timeout: 600_000 }, async () => {
  const corpus = path.join(work, "corpus");
  fs.mkdirSync(corpus);
  fs.copyFileSync(path.join(CORPUS_DIR, fs.readdirSync(CORPUS_DIR).find((f) => f.endsWith(".txt"))!), path.join(corpus, "seed.txt"));
  fs.writeFileSync(path.join(corpus, "long.txt"), `一篇没有标点的长文\n\n${unpunctuated(100_000)}\n`);
  const summary = await runIngest({ corpusDir: corpus, indexRoot: path.join(work, "index"), settings: readSettings({}).embedding });
  assert.equal(summary.files, 2);
  assert.ok(summary.articleList.some((a) => a.source === "long.txt" && a.chunks > 0), JSON.stringify(summary.articleList.map((a) => [a.source, a.title])));
  assert.ok(summary.articles >= 13, `the seed's 12 articles and the long one: ${summary.articles}`);
});
