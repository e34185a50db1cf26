/**
 * A damaged model.onnx in the index, in fresh processes as a user meets it. transformers.js keeps the
 * first ONNX session a process creates and awaits it before every later one, so a failed first
 * session (the damaged file) used to fail the rebuilt model too: start exited 1 on every try and
 * `npm run ingest` said "Index up to date". Here the real server and the real ingest CLI must rebuild
 * the index and serve answers from it.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { readSettings } from "../config/settings.ts";
import { currentIndexDir } from "../vectors/index-folder.ts";
import { openSearchIndex } from "../vectors/search-index.ts";
import { CORPUS_DIR } from "./support/shared-index.ts";
import { privateIndexRoot } from "./support/server-harness.ts";
import { REPO, startServerProcess, type ServerProcess } from "./support/server-process.ts";

const roots: string[] = [];
let server: ServerProcess | undefined;
after(() => {
  server?.kill();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** A private copy of the real-corpus index whose trained model file is cut to half its size. */
async function indexWithDamagedModel(): Promise<{ root: string; damaged: string }> {
  const root = await privateIndexRoot();
  roots.push(root);
  const damaged = currentIndexDir(root)!;
  const onnx = path.join(damaged, "model", "corpus-embedder", "onnx", "model.onnx");
  fs.truncateSync(onnx, Math.floor(fs.statSync(onnx).size / 2));
  return { root, damaged };
}

test("start on an index whose model.onnx is truncated: rebuilt in the same start, then answers", { timeout: 180_000 }, async () => {
  const { root, damaged } = await indexWithDamagedModel();
  server = await startServerProcess({ env: { CORPUS_DIR, INDEX_DIR: root } });
  assert.match(server.stderr(), /cannot be used, it is damaged.*model/s, server.stderr());
  assert.notEqual(currentIndexDir(root), damaged, "current points at a new build");

  const res = await fetch(`${server.url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question: "辽宁清洁能源强省有哪些措施" }),
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.refused, false);
  assert.ok(body.citations.length > 0, "the answer cites passages of the rebuilt index");
  const dense = await (await fetch(`${server.url}/api/search?mode=dense&q=${encodeURIComponent("清洁能源")}`)).json();
  assert.ok(dense.results.length > 0, "the rebuilt embedding model answers dense searches");
});

test("`npm run ingest` on an index whose model.onnx is truncated rebuilds it instead of saying it is up to date", { timeout: 180_000 }, async () => {
  const { root, damaged } = await indexWithDamagedModel();
  const run = async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "ingest/cli.ts", "--corpus", CORPUS_DIR, "--index", root], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    return { code, out };
  };
  const first = await run();
  assert.equal(first.code, 0, first.out);
  assert.doesNotMatch(first.out, /up to date/, first.out);
  assert.match(first.out, /damaged/, "it says why it rebuilds");
  assert.match(first.out, /Index built/);
  const rebuilt = currentIndexDir(root)!;
  assert.notEqual(rebuilt, damaged);
  const settings = readSettings({}).embedding;
  const index = await openSearchIndex(rebuilt, { settings, log: () => {} });
  assert.ok((await index.search("清洁能源", { mode: "dense", k: 3 })).length > 0);
  await index.close();

  const second = await run();
  assert.equal(second.code, 0, second.out);
  assert.match(second.out, /up to date/, "an intact index is reused");
});
