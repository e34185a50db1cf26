/**
 * What the corpus scan takes, through the real ingest CLI: a link leading out of the corpus folder is
 * not followed (its target would be served by the API), links to folders and dangling links are
 * skipped, each named; hidden entries (.git/, .env, .DS_Store) are skipped in one summary line.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readIndexCore, currentIndexDir } from "../vectors/index-folder.ts";
import { REPO } from "./support/server-process.ts";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "policy-qa-scan-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

const ARTICLE = "关于推进清洁能源发展的意见\n\n　　建设风光火核储一体化能源基地，构建新型电力系统。完善风电、光伏规划布局，重点支持陆上风光基地建设。\n";
const SECRET = "机密文件\n\n　　这份文件在语料文件夹之外，绝不能被收录或通过接口读出。\n";

test("links out of the corpus folder are skipped and named; hidden entries get one summary line", { timeout: 180_000 }, async () => {
  const corpus = path.join(work, "corpus");
  const outside = path.join(work, "private");
  fs.mkdirSync(path.join(corpus, ".git", "objects"), { recursive: true });
  fs.mkdirSync(path.join(corpus, "sub"), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(corpus, "energy.txt"), ARTICLE);
  fs.writeFileSync(path.join(outside, "secret.txt"), SECRET);
  fs.symlinkSync(path.join(outside, "secret.txt"), path.join(corpus, "notes.txt"));
  fs.symlinkSync(outside, path.join(corpus, "more"));
  fs.symlinkSync("../energy.txt", path.join(corpus, "sub", "energy-link.txt"));
  fs.symlinkSync(path.join(corpus, "sub"), path.join(corpus, "loop"));
  fs.symlinkSync(path.join(work, "gone.txt"), path.join(corpus, "dangling.txt"));
  fs.writeFileSync(path.join(corpus, ".env"), "API_TOKEN=should-not-be-read");
  fs.writeFileSync(path.join(corpus, ".DS_Store"), "x");
  fs.writeFileSync(path.join(corpus, ".git", "objects", "ab"), "x");

  const index = path.join(work, "index");
  const child = spawn(process.execPath, ["--import", "tsx", "ingest/cli.ts", "--corpus", corpus, "--index", index], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
  assert.equal(await new Promise((resolve) => child.on("exit", resolve)), 0, out);

  const core = readIndexCore(currentIndexDir(index)!);
  assert.deepEqual(core.manifest.corpus.map((f) => f.file), ["energy.txt", "sub/energy-link.txt"], "only files inside the corpus folder");
  assert.ok(!JSON.stringify(core).includes("机密文件"), "the file outside the corpus was not read");

  const skipped = out.split("skipped:\n")[1]?.split(/\n(?! {2}- )/)[0] ?? "";
  assert.match(skipped, /notes\.txt: a link to .*secret\.txt, outside the corpus folder; skipped/);
  assert.match(skipped, /more: a link to .*private, outside the corpus folder; skipped/);
  assert.match(skipped, /loop: a link to a folder/);
  assert.match(skipped, /dangling\.txt: a link to nothing/);
  const hidden = skipped.split("\n").filter((l) => /hidden/.test(l));
  assert.equal(hidden.length, 1, `one line for the hidden entries:\n${skipped}`);
  assert.match(hidden[0], /3 hidden entries skipped .*\.DS_Store, \.env, \.git\//);
  assert.match(out, /warnings: 0/, "skipped entries are not reported as broken files");
});
