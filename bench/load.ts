/** Drives an HTTP server with autocannon in a child process and returns requests/s and latency percentiles. */
import { fork } from "node:child_process";
import type { LatencySummary } from "./percentiles.ts";

export interface LoadSpec {
  label: string;
  url: string;
  connections: number;
  durationSeconds: number;
  timeoutSeconds: number;
  /** Requests sent in turn on each connection (autocannon cycles through them). */
  requests: { method: string; path: string; headers?: Record<string, string>; body?: string }[];
}

export interface LoadResult {
  label: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** Connection errors (refused, reset) and timeouts: both should be zero. */
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./load-child.ts", import.meta.url), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result: LoadResult | undefined;
    child.once("message", (m) => {
      result = m as LoadResult;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (result) resolve(result);
      else reject(new Error(`load generator for ${spec.label} exited with code ${code} and no result`));
    });
    child.send(spec);
  });
}
