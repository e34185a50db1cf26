/**
 * One index of the real corpus per `npm test` run, shared by every test file that needs it.
 * node --test runs each file in a child of the same runner, so the runner's pid names the folder;
 * the first file builds it (ensureIndex), the others reuse it. Run alone, a file builds its own.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureIndex } from "../../ingest/build.ts";
import { openSearchIndex, type SearchIndex } from "../../vectors/search-index.ts";
import { readSettings } from "../../config/settings.ts";

export const CORPUS_DIR = path.resolve(import.meta.dirname, "../../corpus");

let opened: Promise<SearchIndex> | undefined;

const PREFIX = "policy-qa-test-index-";

/** Index root shared by this test run. */
export function sharedIndexRoot(): string {
  return path.join(os.tmpdir(), `${PREFIX}${process.ppid}`);
}

/** Removes the shared indexes of earlier test runs whose runner has exited (each is a few MB). */
function removeStaleRoots(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !pid || pid === process.ppid || isAlive(pid)) continue;
    fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The real corpus, ingested once per test run and opened once per test file (offline: trained embeddings). */
export function sharedIndex(): Promise<SearchIndex> {
  opened ??= (async () => {
    removeStaleRoots();
    const settings = readSettings({}).embedding;
    const summary = await ensureIndex({ corpusDir: CORPUS_DIR, indexRoot: sharedIndexRoot(), settings });
    return openSearchIndex(summary.indexDir, { settings });
  })();
  return opened;
}
