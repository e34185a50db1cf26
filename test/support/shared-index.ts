/**
 * One index of the real corpus per `npm test` run, shared by every test file that needs it.
 * node --test runs each file in a child of the same runner, so the runner's pid names the folder;
 * the first file builds it (ensureIndex), the others reuse it. Run alone, a file builds its own.
 */
import path from "node:path";
import { removeStaleRoots, runRoot } from "./run-roots.ts";
import { ensureIndex } from "../../ingest/build.ts";
import { openSearchIndex, type SearchIndex } from "../../vectors/search-index.ts";
import { readSettings } from "../../config/settings.ts";

export const CORPUS_DIR = path.resolve(import.meta.dirname, "../../corpus");

let opened: Promise<SearchIndex> | undefined;

const PREFIX = "policy-qa-test-index-";

/** Index root shared by this test run. */
export function sharedIndexRoot(): string {
  return runRoot(PREFIX);
}

/** The real corpus, ingested once per test run and opened once per test file (offline: trained embeddings). */
export function sharedIndex(): Promise<SearchIndex> {
  opened ??= (async () => {
    removeStaleRoots(PREFIX);
    const settings = readSettings({}).embedding;
    const summary = await ensureIndex({ corpusDir: CORPUS_DIR, indexRoot: sharedIndexRoot(), settings });
    return openSearchIndex(summary.indexDir, { settings });
  })();
  return opened;
}
