/**
 * Re-ingest while serving (POST /api/admin/reindex): the ingest runs in the background and publishes a
 * new build; the server then opens it and swaps it in. Requests keep being answered from the old index
 * the whole time. One reindex at a time; its state can be polled.
 */
import type { IngestSummary } from "../ingest/build.ts";
import type { ReindexStatus } from "./contract/health.ts";
import type { ServedIndex } from "./served-index.ts";

export type { ReindexStatus };

export interface Reindexer {
  /** Starts a reindex unless one is running; returns whether it started. */
  start(opts?: { force?: boolean }): boolean;
  status(): ReindexStatus;
  /** Resolves when no reindex is running (for shutdown and tests). */
  settled(): Promise<void>;
}

export type RebuildFn = (opts: {
  force: boolean;
  onProgress: (stage: string, done: number, total: number) => void;
}) => Promise<IngestSummary>;

export function createReindexer(deps: { served: ServedIndex; rebuild: RebuildFn; log?: (msg: string) => void }): Reindexer {
  const log = deps.log ?? (() => {});
  let status: ReindexStatus = { state: "idle" };
  let running: Promise<void> = Promise.resolve();

  const run = async (force: boolean): Promise<void> => {
    try {
      const summary = await deps.rebuild({
        force,
        onProgress: (stage, done, total) => {
          status = { ...status, progress: { stage, done, total } };
        },
      });
      const switched = await deps.served.switchTo(summary.indexDir);
      status = {
        state: "done",
        startedAt: status.startedAt,
        finishedAt: new Date().toISOString(),
        result: {
          indexDir: summary.indexDir,
          reused: summary.reused,
          articles: summary.articles,
          chunks: summary.chunks,
          seconds: summary.seconds,
          switched,
          warnings: summary.warnings,
        },
      };
      log(`reindex done: ${summary.articles} articles, ${summary.chunks} chunks${switched ? ", switched" : ", index unchanged"}`);
    } catch (err) {
      status = { state: "failed", startedAt: status.startedAt, finishedAt: new Date().toISOString(), error: (err as Error).message };
      log(`reindex failed, still serving the previous index: ${(err as Error).message}`);
    }
  };

  return {
    start(opts = {}) {
      if (status.state === "running") return false;
      status = { state: "running", startedAt: new Date().toISOString() };
      running = run(opts.force ?? false);
      return true;
    },
    status: () => status,
    settled: () => running,
  };
}
