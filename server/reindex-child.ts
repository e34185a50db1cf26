/**
 * One ingest run on the server's behalf, in a child process (forked by rebuild-in-child.ts), so that
 * the CPU-heavy stages (training and applying the embedding model) never stall the server's event
 * loop while it keeps answering. Job in over IPC; progress, log lines and the summary back out.
 */
import { openIndex, type IngestOptions, type IngestSummary } from "../ingest/build.ts";

export type ReindexJob = Pick<IngestOptions, "corpusDir" | "indexRoot" | "settings" | "force">;

export type ReindexMessage =
  | { type: "progress"; stage: string; done: number; total: number }
  | { type: "log"; msg: string }
  | { type: "done"; summary: IngestSummary }
  | { type: "error"; message: string };

const send = (msg: ReindexMessage) => new Promise<void>((resolve) => process.send!(msg, undefined, undefined, () => resolve()));

// The server went away: stop. An ingest cut short leaves the published index as it was.
process.on("disconnect", () => process.exit(1));

process.once("message", async (job: ReindexJob) => {
  try {
    let summary: IngestSummary | undefined;
    // Opened once here, so a damaged index that only looks current is rebuilt rather than reused.
    const index = await openIndex({
      ...job,
      onProgress: (stage, done, total) => void send({ type: "progress", stage, done, total }),
      log: (msg) => void send({ type: "log", msg }),
      onSummary: (s) => (summary = s),
    });
    await index.close();
    await send({ type: "done", summary: summary! });
  } catch (err) {
    await send({ type: "error", message: (err as Error)?.message ?? String(err) });
  }
  process.disconnect();
});
