/** Runs an ingest in a child process (see reindex-child.ts) and resolves with its summary. */
import { fork } from "node:child_process";
import type { IngestSummary } from "../ingest/build.ts";
import type { Progress } from "../vectors/types.ts";
import type { ReindexJob, ReindexMessage } from "./reindex-child.ts";

const CHILD = new URL("./reindex-child.ts", import.meta.url);

export function rebuildInChild(job: ReindexJob & { onProgress?: Progress; log?: (msg: string) => void }): Promise<IngestSummary> {
  const { onProgress, log, ...work } = job;
  return new Promise((resolve, reject) => {
    // The child runs TypeScript like the server does; tsx is resolved from here, whatever the cwd.
    const child = fork(CHILD, [], { execArgv: ["--import", import.meta.resolve("tsx")], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: { summary: IngestSummary } | { error: string } | undefined;
    child.on("message", (msg: ReindexMessage) => {
      if (msg.type === "progress") onProgress?.(msg.stage, msg.done, msg.total);
      else if (msg.type === "log") log?.(msg.msg);
      else if (msg.type === "done") result = { summary: msg.summary };
      else if (msg.type === "error") result = { error: msg.message };
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (result && "summary" in result) resolve(result.summary);
      else if (result) reject(new Error(result.error));
      else reject(new Error(`the ingest process ended without a result (${signal ?? `exit code ${code}`})`));
    });
    child.send(work);
  });
}
