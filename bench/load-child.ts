/**
 * Runs one autocannon load in its own process (forked by load.ts), so that the load generator's own work
 * does not run on the server's event loop. Receives a LoadSpec over IPC, answers with a LoadResult.
 */
import autocannon from "autocannon";
import type { LoadResult, LoadSpec } from "./load.ts";
import { summarize } from "./percentiles.ts";

process.once("message", async (spec: LoadSpec) => {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    timeout: spec.timeoutSeconds,
    requests: spec.requests,
  });
  // autocannon reports p97.5 but not p95, so every response time is kept and summarized here.
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const out: LoadResult = {
    label: spec.label,
    connections: spec.connections,
    seconds: result.duration,
    requests: latencies.length,
    requestsPerSecond: latencies.length / result.duration,
    latencyMs: summarize(latencies),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
  process.send!(out, undefined, {}, () => process.exit(0));
});
