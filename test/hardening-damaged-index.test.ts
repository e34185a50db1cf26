/**
 * A damaged index at start: truncated files, bad JSON, a dangling `current` link. The start-up flow
 * (server/prepare-index.ts: ensureIndex → openSearchIndex → rebuild once if damaged) must say what is
 * wrong, rebuild, and serve searches from the rebuilt index; the next start then reuses it (no rebuild
 * loop). A small corpus (two articles of the seed) keeps each rebuild to a few seconds.
 */
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cleanText } from "../ingest/clean-text.ts";
import { ensureIndex } from "../ingest/build.ts";
import { loadCorpusFile } from "../ingest/load-file.ts";
import { splitArticles } from "../ingest/split-articles.ts";
import { prepareIndex } from "../server/prepare-index.ts";
import { readSettings } from "../config/settings.ts";
import { currentIndexDir, FORMAT_VERSION, IndexDamagedError } from "../vectors/index-folder.ts";
import { openSearchIndex } from "../vectors/search-index.ts";

const SEED = path.resolve(import.meta.dirname, "../corpus/辽宁学习资料汇编-2023年11月.txt");
const settings = readSettings({}).embedding;
let work: string;
let corpusDir: string;
let pristine: string;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-damage-"));
  corpusDir = path.join(work, "corpus");
  fs.mkdirSync(corpusDir);
  // Two real articles, in the layout the ingest reads (title, date, blank line, one paragraph per line).
  const { articles } = splitArticles(cleanText((await loadCorpusFile(SEED)).text), "seed.txt");
  const two = articles.filter((a) => a.text.length > 2000).slice(0, 2);
  fs.writeFileSync(path.join(corpusDir, "two.txt"), two.map((a) => `${a.title}\n\n${a.text}`).join("\n\n\n") + "\n");
  pristine = path.join(work, "pristine");
  await ensureIndex({ corpusDir, indexRoot: pristine, settings });
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A private copy of the pristine index root (the `current` link is relative, so it moves with it). */
function copyIndex(name: string): string {
  const root = path.join(work, name);
  fs.cpSync(pristine, root, { recursive: true, verbatimSymlinks: true });
  assert.ok(currentIndexDir(root), "the copy has a current index");
  return root;
}

function truncate(file: string): void {
  const size = fs.statSync(file).size;
  assert.ok(size > 16, `${file} has content to truncate`);
  fs.truncateSync(file, Math.floor(size / 2));
}

const DAMAGES: { name: string; damage: (dir: string) => void; mentions: RegExp }[] = [
  { name: "manifest.json holds bad JSON", damage: (d) => fs.writeFileSync(path.join(d, "manifest.json"), '{"formatVersion": 1, "chunks": '), mentions: /manifest\.json/ },
  { name: "chunks.json is truncated", damage: (d) => truncate(path.join(d, "chunks.json")), mentions: /chunks\.json/ },
  { name: "bm25.json is truncated", damage: (d) => truncate(path.join(d, "bm25.json")), mentions: /bm25\.json|keyword index/ },
  { name: "the HNSW file is truncated", damage: (d) => truncate(path.join(d, "hnsw", "hnswlib.index")), mentions: /vector store|hnsw/i },
  { name: "the HNSW docstore is bad JSON", damage: (d) => fs.writeFileSync(path.join(d, "hnsw", "docstore.json"), "[[\"0\", {"), mentions: /vector store|hnsw|docstore/i },
  {
    name: "the trained embedding model is truncated",
    damage: (d) => {
      const onnx = fs.readdirSync(path.join(d, "model"), { recursive: true, encoding: "utf8" }).find((f) => f.endsWith(".onnx"));
      assert.ok(onnx, "the index holds an .onnx model");
      truncate(path.join(d, "model", onnx));
    },
    mentions: /model/,
  },
  { name: "search.json is missing", damage: (d) => fs.rmSync(path.join(d, "search.json")), mentions: /search\.json/ },
  { name: "glossary.json is truncated", damage: (d) => truncate(path.join(d, "glossary.json")), mentions: /glossary\.json/ },
  {
    // It opens, but every dense search would fail: the probe at open must catch it.
    name: "the HNSW args.json names a wrong dimension",
    damage: (d) => {
      const file = path.join(d, "hnsw", "args.json");
      const args = JSON.parse(fs.readFileSync(file, "utf8"));
      fs.writeFileSync(file, JSON.stringify({ ...args, numDimensions: args.numDimensions - 64 }));
    },
    mentions: /vector store|hnsw/i,
  },
];

test("every kind of damage is reported by openSearchIndex as IndexDamagedError naming the part, not a crash", async () => {
  for (const { name, damage, mentions } of DAMAGES) {
    const root = copyIndex(`open-${name.replace(/\W+/g, "-")}`);
    const dir = currentIndexDir(root)!;
    damage(dir);
    await assert.rejects(openSearchIndex(dir, { settings, log: () => {} }), (err: Error) => {
      assert.ok(err instanceof IndexDamagedError, `${name}: IndexDamagedError, got ${err.name}: ${err.message}`);
      assert.match(err.message, mentions, name);
      return true;
    });
    fs.rmSync(root, { recursive: true, force: true });
  }
});

// A full rebuild per damage kind would make this file slow; these cover the two paths that differ:
// damage ensureIndex sees (the core) and damage only openSearchIndex sees (the search files, the model).
for (const name of ["manifest.json holds bad JSON", "the HNSW file is truncated", "the trained embedding model is truncated", "glossary.json is truncated"]) {
  const { damage, mentions } = DAMAGES.find((d) => d.name === name)!;
  test(`damaged index (${name}): detected at start with a clear message, rebuilt, and served; the next start reuses it`, async () => {
    const root = copyIndex(name.replace(/\W+/g, "-"));
    const damagedBuild = fs.realpathSync(currentIndexDir(root)!);
    damage(damagedBuild);

    const logs: string[] = [];
    const index = await prepareIndex({ corpusDir, indexRoot: root, settings, log: (m) => logs.push(m) });
    const said = logs.join("\n");
    assert.match(said, /damaged|cannot be used/i, `the start-up log says why it rebuilds:\n${said}`);
    assert.match(said, mentions, `the start-up log names the damaged part:\n${said}`);

    assert.ok((await index.search("铸牢中华民族共同体意识", { k: 3 })).length > 0, "the rebuilt index answers searches");
    const now = fs.realpathSync(currentIndexDir(root)!);
    assert.notEqual(now, damagedBuild, "current points at a new build");

    // The next start reuses the rebuilt index: no rebuild loop.
    const again: string[] = [];
    await prepareIndex({ corpusDir, indexRoot: root, settings, log: (m) => again.push(m) });
    assert.match(again.join("\n"), /Using the index/, again.join("\n"));
    fs.rmSync(root, { recursive: true, force: true });
  });
}

test("a dangling `current` link (its build folder deleted) is rebuilt, not a crash", async () => {
  const root = copyIndex("dangling");
  fs.rmSync(fs.realpathSync(path.join(root, "current")), { recursive: true, force: true });
  const logs: string[] = [];
  const index = await prepareIndex({ corpusDir, indexRoot: root, settings, log: (m) => logs.push(m) });
  assert.ok((await index.search("民族团结", { k: 3 })).length > 0);
  assert.ok(currentIndexDir(root));
});

test("an index an older version of the indexer wrote is rebuilt at start, and the log says so (not that it is damaged)", async () => {
  const root = copyIndex("older-format");
  const build = fs.realpathSync(currentIndexDir(root)!);
  const file = path.join(build, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(file, JSON.stringify({ ...manifest, formatVersion: FORMAT_VERSION - 1 }));
  const logs: string[] = [];
  const index = await prepareIndex({ corpusDir, indexRoot: root, settings, log: (m) => logs.push(m) });
  const said = logs.join("\n");
  assert.match(said, /another version of the indexer/, said);
  assert.doesNotMatch(said, /damaged/, said);
  assert.ok((await index.search("民族团结", { k: 3 })).length > 0, "the rebuilt index answers searches");
  assert.notEqual(fs.realpathSync(currentIndexDir(root)!), build, "current points at a new build");
});
