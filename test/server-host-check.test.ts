/**
 * DNS rebinding, over real HTTP: without API_TOKEN a request naming another host (a page on
 * evil.example whose name now points at 127.0.0.1) is refused, reindex included, while this
 * machine's names, HOST, ALLOWED_HOSTS and IP addresses keep working; with a token, Host is free.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import { hostAllowed } from "../server/http/host-check.ts";
import { rebuildInChild } from "../server/rebuild-in-child.ts";
import { createReindexer } from "../server/reindex.ts";
import { ServedIndex } from "../server/served-index.ts";
import { currentIndexDir } from "../vectors/index-folder.ts";
import { openSearchIndex } from "../vectors/search-index.ts";
import { CORPUS_DIR } from "./support/shared-index.ts";
import { listen, privateIndexRoot, type Running } from "./support/server-harness.ts";

const settings = readSettings({}).embedding;
let root: string;
let served: ServedIndex;
const servers: Running[] = [];

before(async () => {
  root = await privateIndexRoot();
  const open = (dir: string) => openSearchIndex(dir, { settings, log: () => {} });
  served = new ServedIndex(await open(currentIndexDir(root)!), open);
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

async function serveWith(env: Record<string, string>): Promise<string> {
  const config = readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0", ...env });
  const reindex = createReindexer({
    served,
    rebuild: ({ force, onProgress }) => rebuildInChild({ corpusDir: CORPUS_DIR, indexRoot: root, settings, force, onProgress }),
  });
  const running = await listen(createApp({ config, getIndex: () => served.get(), generator: createGenerator(readSettings({}).generator), reindex, log: () => {} }));
  servers.push(running);
  return running.url;
}

/** A request with the Host header a browser would send for that name (fetch does not let one set it). */
function request(url: string, p: string, opts: { host: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(`${url}${p}`, { method: opts.method ?? "GET", headers: { ...opts.headers, host: opts.host } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

test("without a token, a rebound name (Host: evil.example, matching Origin) can neither reindex nor read the API", async () => {
  const url = await serveWith({});
  const evil = { host: "evil.example:3000", headers: { origin: "http://evil.example:3000", "content-type": "application/json" } };
  const reindex = await request(url, "/api/admin/reindex", { ...evil, method: "POST", body: '{"force":true}' });
  assert.equal(reindex.status, 421, reindex.body);
  const error = JSON.parse(reindex.body).error;
  assert.equal(error.code, "host_not_allowed");
  assert.match(error.message, /evil\.example/);
  for (const p of ["/api/search?q=%E4%B8%AD%E6%AC%A7%E7%8F%AD%E5%88%97", "/api/articles", "/api/health", "/v1/models"]) {
    assert.equal((await request(url, p, evil)).status, 421, p);
  }
  const chat = await request(url, "/api/chat", { ...evil, method: "POST", body: JSON.stringify({ question: "辽宁清洁能源强省有哪些措施" }) });
  assert.equal(chat.status, 421);
  const status = await request(url, "/api/admin/reindex", { host: "127.0.0.1" });
  assert.equal(JSON.parse(status.body).state, "idle", "no reindex was started");
});

test("without a token, this machine's names, HOST, ALLOWED_HOSTS and IP addresses are served, on any port", async () => {
  const url = await serveWith({ HOST: "qa.internal", ALLOWED_HOSTS: "qa.example.org, docs.example.org:8443" });
  for (const host of ["localhost:3000", "127.0.0.1", "[::1]:8080", "LOCALHOST.", "qa.internal:3000", "qa.example.org", "QA.example.org:80", "docs.example.org:8443", "192.168.1.5:3000", "[fe80::1]"]) {
    assert.equal((await request(url, "/api/health", { host })).status, 200, host);
  }
  assert.equal((await request(url, "/api/health", { host: "docs.example.org:9999" })).status, 421, "an entry with a port allows that port only");
  assert.equal((await request(url, "/api/health", { host: "localhost.evil.example" })).status, 421);
  const page = await request(url, "/api/search?q=%E4%B8%AD%E6%AC%A7%E7%8F%AD%E5%88%97", { host: `localhost:${new URL(url).port}` });
  assert.equal(page.status, 200);
});

test("with a token, Host is not checked: the token guards the API", async () => {
  const url = await serveWith({ API_TOKEN: "t0ken" });
  const res = await request(url, "/api/search?q=%E4%B8%AD%E6%AC%A7%E7%8F%AD%E5%88%97", { host: "qa.behind-a-proxy.example", headers: { authorization: "Bearer t0ken" } });
  assert.equal(res.status, 200);
  assert.equal((await request(url, "/api/articles", { host: "qa.behind-a-proxy.example" })).status, 401);
});

test("hostAllowed reads names the way Host headers write them", () => {
  const opts = { listenHost: "0.0.0.0", allowedHosts: [] };
  assert.equal(hostAllowed("[::1]:3000", opts), true);
  assert.equal(hostAllowed("app.localhost:5173", opts), true);
  assert.equal(hostAllowed("example.com", opts), false);
  assert.equal(hostAllowed("127.0.0.1.nip.io", opts), false);
});
