/**
 * `npm start` as a user runs it, in a child process: SIGTERM lets the request in flight finish,
 * refuses new connections, and exits 0. (A damaged index at start: test/hardening-damaged-index.test.ts.)
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { startOpenAiStub, type OpenAiStub } from "./support/openai-stub.ts";
import { CORPUS_DIR } from "./support/shared-index.ts";
import { privateIndexRoot, readSseEvents } from "./support/server-harness.ts";
import { startServerProcess } from "./support/server-process.ts";

const REPO = path.resolve(import.meta.dirname, "..");
let child: ChildProcess | undefined;
let stub: OpenAiStub | undefined;
let root: string | undefined;

after(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await stub?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const until = async (cond: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return cond();
};

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

test("SIGTERM drains the request in flight, refuses new connections and exits 0", { timeout: 120_000 }, async () => {
  root = await privateIndexRoot();

  // A slow LLM: the answer takes ~1.5 s to stream, long enough to stop the server mid-request.
  const text = "辽宁将加快建设风光火核储一体化能源基地，支持沿海地区建设海上风电基地。[1]";
  stub = await startOpenAiStub({ text, pieces: text.match(/[\s\S]{1,3}/g)!, delayMs: 60 });

  let stdout = "";
  let stderr = "";
  child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: REPO,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: "0",
      CORPUS_DIR,
      INDEX_DIR: root,
      LLM_BASE_URL: stub.baseUrl,
      LLM_MODEL: "stub",
      INDEX_WATCH_MS: "0",
      SHUTDOWN_GRACE_MS: "20000",
      API_TOKEN: "",
      EMBEDDING_MODEL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));

  assert.ok(await until(() => /ready at http:\/\/127\.0\.0\.1:\d+\//.test(stdout) || child!.exitCode !== null, 90_000), `started: ${stdout}\n${stderr}`);
  const url = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)![1];
  const port = Number(new URL(url).port);
  assert.match(stderr, /Using the index in/, "the copied index was reused, not rebuilt");
  const health = await (await fetch(`${url}/api/health`)).json();
  assert.equal(health.status, "ok");
  assert.equal(health.generator.kind, "llm");

  const inFlight = fetch(`${url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", connection: "close" },
    body: JSON.stringify({ question: "辽宁清洁能源强省有哪些措施" }),
  });
  assert.ok(await until(() => stub!.requests.length > 0, 20_000), "the request reached the generator");
  child.kill("SIGTERM");

  assert.ok(await until(() => /SIGTERM received/.test(stderr), 5000));
  // The message is written just before the listener closes: allow the child that moment.
  let closed = false;
  for (let i = 0; i < 20 && !closed; i++) {
    await new Promise((r) => setTimeout(r, 50));
    closed = await refused(port);
  }
  assert.ok(closed, `no new connections once stopping: ${stderr}`);

  const res = await inFlight;
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.match(body.answer, /风光火核储/, "the answer in flight was completed");
  assert.equal(body.generator, "llm:stub");

  assert.equal(await exited, 0, stderr);
});

test("`npm start` stops on SIGTERM sent to the PID npm got: the server exits 0 and frees the port", { timeout: 120_000 }, async () => {
  const indexRoot = await privateIndexRoot();
  // What Docker's `CMD ["npm", "start"]` or a systemd unit does: signal the process it started, nothing else.
  const server = await startServerProcess({ command: ["npm", "start"], env: { CORPUS_DIR, INDEX_DIR: indexRoot } });
  try {
    assert.equal((await fetch(`${server.url}/api/health`)).status, 200);
    server.child.kill("SIGTERM");
    const code = await Promise.race([server.exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 15_000))]);
    assert.equal(code, 0, `npm start exited ${code}:\n${server.stderr()}`);
    assert.match(server.stderr(), /SIGTERM received/, "the server itself got the signal");
    assert.ok(await refused(server.port), "nothing answers on the port any more");
  } finally {
    server.kill();
    fs.rmSync(indexRoot, { recursive: true, force: true });
  }
});

test("when the grace period runs out, a stream still running ends with an SSE error event saying the server is stopping", { timeout: 120_000 }, async () => {
  const indexRoot = await privateIndexRoot();
  // An LLM far slower than the grace period: the answer would take a minute to stream.
  const text = "辽宁将加快建设风光火核储一体化能源基地，支持沿海地区建设海上风电基地。[1]".repeat(4);
  const slow = await startOpenAiStub({ text, pieces: text.match(/[\s\S]{1,2}/g)!, delayMs: 400 });
  const server = await startServerProcess({
    env: { CORPUS_DIR, INDEX_DIR: indexRoot, LLM_BASE_URL: slow.baseUrl, LLM_MODEL: "stub", LLM_TIMEOUT_MS: "20000", SHUTDOWN_GRACE_MS: "800" },
  });
  try {
    const res = await fetch(`${server.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "辽宁清洁能源强省有哪些措施", stream: true }),
    });
    assert.equal(res.status, 200);
    const events = readSseEvents(res);
    assert.ok(await until(() => slow.requests.length > 0, 20_000), "the answer is being generated");
    server.child.kill("SIGTERM");
    const all = await events;
    assert.ok(all.some((e) => e.event === "token"), "tokens were streamed before the stop");
    const last = all.at(-1)!;
    assert.equal(last.event, "error", `the stream ends with an error event: ${JSON.stringify(all.slice(-2))}`);
    assert.equal(JSON.parse(last.data).error.code, "unavailable");
    assert.equal(await server.exited, 0, server.stderr());
  } finally {
    server.kill();
    await slow.close();
    fs.rmSync(indexRoot, { recursive: true, force: true });
  }
});
