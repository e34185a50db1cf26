/**
 * The ingest command end to end on corpora the tests make: manifest, bad files reported by name,
 * reuse and incremental rebuilds, the lock, a damaged index, and an ingest killed midway.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureIndex, IngestBusyError, runIngest, type IngestOptions } from "../ingest/build.ts";
import { acquireLock, LOCK_FILE } from "../ingest/lock.ts";
import { parseCorpusFile } from "../ingest/parse-file.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { readSettings } from "../config/settings.ts";
import { currentIndexDir, FORMAT_VERSION, readIndexCore } from "../vectors/index-folder.ts";
import { openSearchIndex } from "../vectors/search-index.ts";
import { BOOKLET, encodeGbk, layoutBooklet, makePdf } from "./fixtures/ingest/make-files.ts";
import { CORPUS_DIR, sharedIndexRoot } from "./support/shared-index.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-build-"));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const settings = readSettings({}).embedding;
const corpus = path.join(tmp, "corpus");
const index = path.join(tmp, "index");
const GBK_TEXT = "关于推进清洁能源发展的意见\n\n　　建设风光火核储一体化能源基地，构建新型电力系统。完善风电、光伏规划布局，重点支持陆上风光基地建设。\n";
fs.mkdirSync(path.join(corpus, "sub"), { recursive: true });
fs.writeFileSync(path.join(corpus, "booklet.txt"), layoutBooklet(BOOKLET));
fs.writeFileSync(path.join(corpus, "sub", "energy-gbk.txt"), encodeGbk(GBK_TEXT));
fs.writeFileSync(
  path.join(corpus, "notice.pdf"),
  await makePdf([[{ text: "关于加强储能建设的通知", size: 18 }, { text: "1.推进储能发展。建设先进储能装备研发和制造基地。", gapAbove: 20, indent: 2 }, { text: "2.完善电价机制。健全电价形成机制。", indent: 2 }]]),
);
fs.writeFileSync(path.join(corpus, "empty.txt"), "");
fs.writeFileSync(path.join(corpus, "scan.txt"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]));
fs.writeFileSync(path.join(corpus, "budget.xlsx"), "PK\u0003\u0004");
fs.writeFileSync(path.join(corpus, ".DS_Store"), "hidden files are skipped");

const opts = (extra: Partial<IngestOptions> = {}): IngestOptions => ({ corpusDir: corpus, indexRoot: index, settings, ...extra });

test("the first ingest builds the index, reports unreadable files by name and ingests the rest", async () => {
  const logs: string[] = [];
  const stages = new Set<string>();
  const s = await runIngest(opts({ log: (m) => logs.push(m), onProgress: (stage) => stages.add(stage) }));
  assert.equal(s.reused, false);
  assert.equal(s.files, 3);
  assert.equal(s.articles, BOOKLET.length + 2);
  assert.equal(currentIndexDir(index), fs.realpathSync(s.indexDir));
  assert.ok(["read", "parse", "publish"].every((st) => stages.has(st)) && stages.size > 3, [...stages].join());
  assert.deepEqual(s.warnings.map((w) => w.split(":")[0]).sort(), ["budget.xlsx", "empty.txt", "scan.txt"]);
  assert.match(s.warnings.find((w) => w.startsWith("empty.txt"))!, /empty file/);
  assert.match(s.warnings.find((w) => w.startsWith("scan.txt"))!, /binary/);
  assert.match(s.warnings.find((w) => w.startsWith("budget.xlsx"))!, /unknown file type/);

  const { manifest, chunks, articles } = readIndexCore(s.indexDir);
  assert.equal(manifest.formatVersion, FORMAT_VERSION);
  assert.ok(Date.parse(manifest.createdAt) > Date.now() - 600_000);
  assert.deepEqual(manifest.corpus.map((f) => f.file), ["booklet.txt", "budget.xlsx", "empty.txt", "notice.pdf", "scan.txt", "sub/energy-gbk.txt"]);
  for (const f of manifest.corpus) assert.equal(Boolean(f.error), ["budget.xlsx", "empty.txt", "scan.txt"].includes(f.file), f.file);
  assert.ok(manifest.corpus.find((f) => f.file === "booklet.txt")!.hash.match(/^[0-9a-f]{64}$/));
  assert.deepEqual(manifest.articles.map((a) => a.title), [...BOOKLET.map((b) => b.title), "关于加强储能建设的通知", "关于推进清洁能源发展的意见"]);
  assert.equal(manifest.articles[0].date, BOOKLET[0].date);
  assert.equal(manifest.articles.reduce((n, a) => n + a.chunks, 0), chunks.length);
  assert.equal(manifest.chunks, chunks.length);
  assert.ok(manifest.embedding, "the search index's embedding model is recorded");
  assert.equal(articles.find((a) => a.source === "sub/energy-gbk.txt")!.text, GBK_TEXT.split("\n")[2].trim());
  assert.ok(!fs.existsSync(path.join(index, LOCK_FILE)), "the lock is released");
});

test("an unchanged corpus reuses the index; a changed file is parsed again, the others come from the cache", async () => {
  const first = currentIndexDir(index)!;
  const again = await runIngest(opts());
  assert.equal(again.reused, true);
  assert.equal(fs.realpathSync(again.indexDir), first);

  const before = readIndexCore(first);
  fs.appendFileSync(path.join(corpus, "sub", "energy-gbk.txt"), encodeGbk("\n\n\n关于做好冬季供暖工作的通知\n\n　　各地要提前做好供暖准备，确保群众温暖过冬。\n"));
  const logs: string[] = [];
  const changed = await runIngest(opts({ log: (m) => logs.push(m) }));
  assert.equal(changed.reused, false);
  assert.equal(changed.articles, before.articles.length + 1);
  assert.ok(logs.some((m) => /2 unchanged file\(s\)/.test(m)), logs.join("\n"));
  const after = readIndexCore(changed.indexDir);
  const ids = (core: typeof before, source: string) => {
    const articleIds = new Set(core.articles.filter((a) => a.source === source).map((a) => a.id));
    return core.chunks.filter((c) => articleIds.has(c.articleId)).map((c) => c.id);
  };
  assert.deepEqual(ids(after, "booklet.txt"), ids(before, "booklet.txt"), "unchanged text keeps its chunk ids");
  assert.ok(fs.existsSync(first), "the build before is kept: a running server may still serve it");
  assert.equal(fs.readdirSync(path.join(index, "builds")).length, 2);
});

test("an index whose search files are missing is rebuilt, not reported current", async () => {
  const damaged = currentIndexDir(index)!;
  fs.rmSync(path.join(damaged, "bm25.json"));
  const logs: string[] = [];
  const s = await runIngest(opts({ log: (m) => logs.push(m) }));
  assert.equal(s.reused, false);
  assert.notEqual(fs.realpathSync(s.indexDir), damaged);
  assert.ok(logs.some((m) => /search files .* missing/.test(m)), logs.join("\n"));
  assert.ok(fs.existsSync(path.join(s.indexDir, "bm25.json")));
  assert.ok((await (await openSearchIndex(s.indexDir, { settings })).search("储能", { k: 3 })).length > 0);
  assert.deepEqual(s.articleList.map((a) => a.title), readIndexCore(s.indexDir).manifest.articles.map((a) => a.title), "the summary lists the articles");
});

test("a file is parsed from the bytes that were hashed, not read a second time", async () => {
  const bytes = Buffer.from("关于测试的通知\n\n　　这是正文。\n");
  const parsed = await parseCorpusFile("gone.txt", path.join(tmp, "no-such-file.txt"), "h", bytes);
  assert.equal(parsed.articles.length, 1);
  assert.match(parsed.articles[0].text, /这是正文/);
  assert.equal(parsed.hash, "h");
});

test("two waiters judging the same lock stale: only one takes it over, the other waits for it", async () => {
  const root = path.join(tmp, "lock-race");
  fs.mkdirSync(root, { recursive: true });
  const lock = path.join(root, LOCK_FILE);
  fs.writeFileSync(lock, `${spawnSync(process.execPath, ["-e", ""]).pid}\n`); // its holder is gone
  // Both judge the lock stale before either takes it over; the second moves only after the first holds the lock.
  let bothJudged!: () => void;
  const judged = new Promise<void>((r) => (bothJudged = r));
  let arrivals = 0;
  let firstTaken = false;
  let firstHolds!: () => void;
  const held = new Promise<void>((r) => (firstHolds = r));
  const beforeTakeover = async () => {
    if (++arrivals === 2) bothJudged();
    await judged;
    if (arrivals === 2 && !firstTaken) {
      firstTaken = true;
      return;
    }
    await held;
  };
  const first = acquireLock(root, { beforeTakeover });
  let secondDone = false;
  const second = acquireLock(root, { beforeTakeover, waitMs: 60_000 }).then((r) => ((secondDone = true), r));
  const releaseFirst = await first;
  const holder = fs.readFileSync(lock, "utf8");
  firstHolds();
  await sleep(400);
  assert.equal(secondDone, false, "the second waiter did not take the lock the first holds");
  assert.equal(fs.readFileSync(lock, "utf8"), holder, "the first holder's lock file is still in place");
  assert.deepEqual(fs.readdirSync(root).filter((f) => f.includes("stale")), [], "nothing left aside");
  releaseFirst();
  const releaseSecond = await second;
  releaseSecond();
  assert.ok(!fs.existsSync(lock));
});

test("a second ingest waits for the running one, or refuses after the bound; a dead holder's lock is taken over", async () => {
  const release = await acquireLock(index); // as the running ingest would
  let done = false;
  const waiting = runIngest(opts()).finally(() => (done = true));
  await sleep(500);
  assert.equal(done, false, "the second ingest waits while the lock is held");
  release();
  assert.equal((await waiting).reused, true);

  const lock = path.join(index, LOCK_FILE);
  fs.writeFileSync(lock, `${process.ppid}\n`); // a live process holds it
  await assert.rejects(runIngest(opts({ lockWaitMs: 300 })), (err: unknown) => err instanceof IngestBusyError && err.message.includes(String(process.ppid)));
  const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
  fs.writeFileSync(lock, `${dead}\n`);
  const logs: string[] = [];
  const s = await runIngest(opts({ lockWaitMs: 300, log: (m) => logs.push(m) }));
  assert.equal(s.reused, true);
  assert.ok(logs.some((m) => m.includes("stale")), logs.join("\n"));
  assert.ok(!fs.existsSync(lock));
});

test("an ingest killed midway (SIGKILL) leaves the previous index whole; the next one succeeds, rebuilding a damaged index", async () => {
  const before = currentIndexDir(index)!;
  const child = spawn(process.execPath, ["--import", "tsx", "ingest/cli.ts", "--corpus", corpus, "--index", index, "--force"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let killedAt: string | undefined;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d: string) => {
    out += d;
    // Kill once the search indexes are being built: the new build folder exists, nothing is published yet.
    const stage = [...out.matchAll(/^\[([\w-]+)\]/gm)].map((m) => m[1]).find((s) => !["read", "parse", "publish"].includes(s));
    if (stage && !killedAt) {
      killedAt = stage;
      child.kill("SIGKILL");
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
  assert.equal(signal, "SIGKILL", `killed during "${killedAt}"; output:\n${out}`);
  assert.equal(currentIndexDir(index), before, "current still points at the previous build");
  assert.ok(fs.readdirSync(path.join(index, "builds")).length >= 2, "the killed build left its folder behind");
  const opened = await openSearchIndex(before, { settings });
  assert.ok((await opened.search("储能", { k: 3 })).length > 0);

  // The next ingest takes over the dead process's lock; here it also finds the index damaged and rebuilds it.
  assert.ok(fs.existsSync(path.join(index, LOCK_FILE)), "the killed ingest could not release its lock");
  fs.writeFileSync(path.join(before, "chunks.json"), "[{\"id\":");
  const logs: string[] = [];
  const next = await ensureIndex(opts({ log: (m) => logs.push(m) }));
  assert.equal(next.reused, false);
  assert.ok(logs.some((m) => /damaged/.test(m) && m.includes("chunks.json")), logs.join("\n"));
  assert.equal(readIndexCore(next.indexDir).chunks.length, next.chunks);
  // The killed build's folder is gone; kept are the new build and the one it replaced (a server may serve it).
  assert.deepEqual(fs.readdirSync(path.join(index, "builds")).sort(), [path.basename(before), path.basename(next.indexDir)].sort(), "abandoned builds are cleaned up");
  assert.ok(!fs.existsSync(path.join(index, LOCK_FILE)));
});

test("npm run ingest with CORPUS_DIR and INDEX_DIR set but empty uses the defaults, not the working directory", async () => {
  const cwd = path.join(tmp, "cli-empty-env");
  fs.mkdirSync(path.join(cwd, "corpus"), { recursive: true });
  fs.writeFileSync(path.join(cwd, "corpus", "energy.txt"), GBK_TEXT);
  fs.writeFileSync(path.join(cwd, "stray.txt"), "关于不应被收录的文件\n\n　　工作目录里的文件不是语料。\n");
  const { code, out } = await runCli([], { cwd, env: { ...process.env, CORPUS_DIR: "", INDEX_DIR: "" } });
  assert.equal(code, 0, out);
  assert.match(out, /files: 1 {2}articles: 1 /, out);
  assert.match(out, /关于推进清洁能源发展的意见/);
  assert.ok(currentIndexDir(path.join(cwd, "vectors", "index")), "built into vectors/index under the working directory");
});

test("npm run ingest on the seed corpus prints a summary listing its 12 articles", async () => {
  // The run's shared index of the real corpus: built here if no other test file has built it yet.
  const { code, out } = await runCli(["--corpus", CORPUS_DIR, "--index", sharedIndexRoot()], { cwd: ROOT });
  assert.equal(code, 0, out);
  assert.match(out, /files: 1 {2}articles: 12 {2}chunks: \d+ {2}warnings: 0 {2}seconds: [\d.]+/);
  const listed = out.split("articles (chunks  title):\n")[1].trim().split("\n");
  assert.equal(listed.length, 12);
  assert.match(listed[4], /^\s+\d+ {2}中共辽宁省委关于.*的意见 {2}（2023年11月7日/);
});

/** Runs `npm run ingest`'s CLI to completion in a child process: its exit code and all it printed. */
async function runCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), path.join(ROOT, "ingest/cli.ts"), ...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, out };
}
