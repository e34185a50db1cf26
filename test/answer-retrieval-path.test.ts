/**
 * One search path: the answer pipeline retrieves through the LangChain retriever the index exports
 * (real corpus), and that retriever stops waiting when its AbortSignal fires.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { answer } from "../server/answer/pipeline.ts";
import { createGenerator } from "../server/answer/generator.ts";
import type { PassageIndex } from "../server/answer/types.ts";
import { readSettings } from "../config/settings.ts";
import { hitOf } from "../vectors/retriever.ts";
import type { SearchOptions } from "../vectors/types.ts";
import { sharedIndex } from "./support/shared-index.ts";

const MISSION = "辽宁清洁能源强省有哪些措施";

test("the pipeline's passages are the retriever's Documents, in order", async () => {
  const index = await sharedIndex();
  const calls: SearchOptions[] = [];
  // The index as the pipeline sees it, with its retriever watched.
  const watched: PassageIndex = {
    core: index.core,
    glossary: index.glossary,
    retriever: (opts) => {
      calls.push(opts ?? {});
      return index.retriever(opts);
    },
  };
  const r = await answer({ question: MISSION, k: 4 }, { index: watched, generator: createGenerator(readSettings({}).generator) });
  assert.deepEqual(calls, [{ k: 4 }]);
  const docs = await index.retriever({ k: 4 }).invoke(MISSION);
  assert.deepEqual(r.passages.map((p) => p.chunkId), docs.map((d) => hitOf(d).chunk.id));
  assert.deepEqual(r.passages.map((p) => p.quote), docs.map((d) => d.pageContent));
  assert.equal(docs[0].metadata.itemNo, "12");
  assert.equal(typeof docs[0].metadata.ranks.bm25, "number");
});

test("the retriever rejects with an AbortError once its signal fires", async () => {
  const index = await sharedIndex();
  const retriever = index.retriever({ k: 3 });
  await assert.rejects(retriever.invoke(MISSION, { signal: AbortSignal.abort() }), { name: "AbortError" });
  const ctrl = new AbortController();
  const pending = retriever.invoke(MISSION, { signal: ctrl.signal });
  ctrl.abort();
  await assert.rejects(pending, { name: "AbortError" });
  // Unaborted, the same retriever still answers.
  assert.equal((await retriever.invoke(MISSION, { signal: new AbortController().signal })).length, 3);
});
