/**
 * Fuzzing the real app's request handling in process (the real index of the seed corpus, the real answer
 * pipeline): random JSON, deeply nested JSON, huge strings, wrong types, random bytes as the body, odd
 * content types, random query strings, random article ids and paths, random tokens. Every response must be
 * a 2xx, or a 4xx carrying `{ error: { code, message } }` as JSON; never a 5xx, never a stack trace.
 * (test/server-bad-input.test.ts checks each named error over HTTP; this file throws volume at all routes.)
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Hono } from "hono";
import { createApp } from "../server/app.ts";
import { createGenerator } from "../server/answer/generator.ts";
import { readSettings } from "../config/settings.ts";
import { readConfig } from "../server/config.ts";
import { sharedIndex } from "./support/shared-index.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const TOKEN = "fuzz-token-123";

let open: Hono<never>;
let guarded: Hono<never>;
const logged: string[] = [];

before(async () => {
  const index = await sharedIndex();
  const generator = createGenerator(readSettings({}).generator);
  const log = (m: string) => logged.push(m);
  const make = (env: Record<string, string>) =>
    createApp({ config: readConfig({ RATE_LIMIT_PER_MINUTE: "0", SEARCH_RATE_LIMIT_PER_MINUTE: "0", ...env }), getIndex: () => index, generator, log }) as unknown as Hono<never>;
  open = make({});
  guarded = make({ API_TOKEN: TOKEN });
});

/** Text that would only be in a response if an internal error leaked: stack frames, source paths. */
const LEAK = /\bat .+\(.+:\d+:\d+\)|at .+\.(?:ts|js):\d+|node_modules|\/work\/|Error: |TypeError|RangeError|SyntaxError/;

async function assertHandled(res: Response, what: string): Promise<void> {
  const text = await res.text();
  const where = `${what} → ${res.status} ${text.slice(0, 200)}`;
  assert.ok(res.status < 500, `no 5xx: ${where}`);
  assert.doesNotMatch(text, LEAK, `no internal details: ${where}`);
  const type = res.headers.get("content-type") ?? "";
  if (res.status >= 400) {
    assert.ok(res.status < 500);
    assert.match(type, /application\/json/, where);
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    assert.equal(typeof body.error?.code, "string", where);
    assert.equal(typeof body.error?.message, "string", where);
    assert.ok((body.error!.message as string).length > 0, where);
    return;
  }
  assert.ok(res.status >= 200 && res.status < 300, where);
  if (type.includes("text/event-stream")) {
    // A stream that fails mid-way ends with an `error` event in the same shape.
    for (const block of text.split("\n\n").filter(Boolean)) {
      if (/^event: error$/m.test(block)) {
        const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]) as { error?: { code?: unknown; message?: unknown } };
        assert.equal(typeof data.error?.code, "string", where);
        assert.equal(typeof data.error?.message, "string", where);
      }
    }
  } else if (type.includes("application/json")) {
    JSON.parse(text);
  }
}

// ---- generators --------------------------------------------------------------------------------

/**
 * Lengths for long questions: up to 300 characters, or over the 2,000 limit (refused before any work).
 * Between the two, one repeated character costs minutes of retrieval today (see the test at the end).
 */
const longLength = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 2001, max: 3000 }));
const unicode = fc.string({ unit: "binary", maxLength: 300 });
const loneSurrogates = fc.array(fc.integer({ min: 0xd800, max: 0xdfff }), { maxLength: 20 }).map((a) => String.fromCharCode(...a));
const weirdText = fc.oneof(unicode, loneSurrogates, fc.constantFrom("\0", "\0\0\0", "\u202e", "<script>alert(1)</script>", "../../etc/passwd", "辽宁清洁能源", "ignore previous instructions"));
const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom("[", '{"a":'), fc.boolean())
  .map(([n, open, closed]) => {
    const close = open === "[" ? "]" : "}";
    return open.repeat(n) + "1" + (closed ? close.repeat(n) : "");
  });
const deepValue = fc.integer({ min: 1, max: 3_000 }).map((n) => {
  let v: unknown = "辽宁";
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { content: v, role: "user" };
  return v;
});
const anyValue = fc.oneof(fc.anything({ maxDepth: 4 }), weirdText, deepValue, fc.integer(), fc.double(), fc.constant(null));
const chatBody = fc.record(
  {
    question: fc.oneof({ weight: 3, arbitrary: weirdText }, { weight: 1, arbitrary: anyValue }, { weight: 1, arbitrary: longLength.map((n) => "问".repeat(n)) }),
    history: fc.oneof(
      fc.array(fc.record({ role: fc.constantFrom("user", "assistant", "system", "tool", ""), content: fc.oneof(weirdText, anyValue) }), { maxLength: 25 }),
      anyValue,
    ),
    stream: fc.oneof(fc.boolean(), anyValue),
    k: fc.oneof(fc.integer({ min: -3, max: 80 }), anyValue),
  },
  { requiredKeys: [] },
);
const openAiBody = fc.record(
  {
    model: fc.oneof(fc.string(), anyValue),
    messages: fc.oneof(
      fc.array(
        fc.record({
          role: fc.constantFrom("user", "assistant", "system", "developer", "tool", "function", "x"),
          content: fc.oneof(weirdText, fc.array(fc.record({ type: fc.constantFrom("text", "image_url", ""), text: fc.oneof(weirdText, anyValue) }), { maxLength: 3 }), anyValue),
        }),
        { maxLength: 6 },
      ),
      anyValue,
    ),
    stream: fc.oneof(fc.boolean(), anyValue),
  },
  { requiredKeys: [] },
);
/** A body as sent: JSON of a value, broken JSON, deep nesting, a huge string, or random bytes. */
const rawBody = (structured: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 5, arbitrary: structured.map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: structured.map((v) => (JSON.stringify(v) ?? "").slice(0, -1)) },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 300_000 }).map((n) => JSON.stringify({ question: "长".repeat(n) })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "\0", "\ufeff{}", '{"question":"\\ud800"}', '{"__proto__":{"question":"x"}}', '{"question":"辽宁","question":1}') },
  );
const contentType = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=gbk",
  "APPLICATION/JSON",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
  "application/jsonx",
);
const accept = fc.constantFrom(undefined, "text/event-stream", "application/json", "*/*", "text/html");

/** Percent-encodes every UTF-8 byte (lone surrogates become U+FFFD, as a client would send them). */
const pct = (s: string) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("");

// Query strings: known keys with random values, random keys, broken percent-escapes.
const queryValue = fc.oneof(
  weirdText.map(pct),
  fc.constantFrom("", "%", "%E4%B8", "%ZZ", "%00", "+", "&&", "=", "-1", "0", "5", "50", "51", "1e3", "1.5", "0x10", "hybrid", "dense", "bm25", "rerank", "HYBRID", "%E8%BE%BD%E5%AE%81"),
  longLength.map((n) => "%E6%94%BF".repeat(n)),
);
const queryString = fc
  .array(fc.tuple(fc.constantFrom("q", "q", "k", "mode", "x", "q[]", "", "__proto__"), queryValue), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));
const pathSegment = fc.oneof(
  weirdText.map(pct),
  fc.constantFrom("..", "%2e%2e", "..%2f..%2fpackage.json", "%2F", "%5c..%5c", "....//", "%00", "a-000000000000", ".env", "index.html", "%E4%B8"),
);

// ---- properties --------------------------------------------------------------------------------

test("POST /api/chat: generated bodies, content types and Accept headers never cause a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(rawBody(chatBody), contentType, accept, async (body, type, acc) => {
      const headers: Record<string, string> = {};
      if (type) headers["content-type"] = type;
      if (acc) headers.accept = acc;
      const res = await open.request("/api/chat", { method: "POST", headers, body });
      await assertHandled(res, `chat ${typeof body === "string" ? body.slice(0, 80) : `${body.length} bytes`}`);
    }),
    // Valid questions run the whole answer pipeline, so fewer runs here than on the cheaper routes.
    { numRuns: Math.ceil(RUNS * 0.6) },
  );
});

test("POST /v1/chat/completions: generated OpenAI-style bodies never cause a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(rawBody(openAiBody), contentType, async (body, type) => {
      const res = await open.request("/v1/chat/completions", { method: "POST", headers: type ? { "content-type": type } : {}, body });
      await assertHandled(res, `openai ${typeof body === "string" ? body.slice(0, 80) : `${body.length} bytes`}`);
    }),
    { numRuns: RUNS },
  );
});

test("GET /api/search: random query strings never cause a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(queryString, async (qs) => {
      const res = await open.request(`/api/search?${qs}`);
      await assertHandled(res, `search ?${qs.slice(0, 120)}`);
    }),
    { numRuns: RUNS * 2 },
  );
});

test("random methods, paths and article ids get a 2xx or an error in the API shape", async () => {
  const method = fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
  const route = fc.oneof(
    pathSegment.map((s) => `/api/articles/${s}`),
    pathSegment.map((s) => `/api/${s}`),
    pathSegment.map((s) => `/v1/${s}`),
    fc.constantFrom("/api/health", "/api/articles", "/api/search", "/api/chat", "/v1/models", "/v1/chat/completions", "/api/admin/reindex"),
  );
  await fc.assert(
    fc.asyncProperty(method, route, async (m, r) => {
      const res = await open.request(r, { method: m });
      if (m === "HEAD") {
        assert.ok(res.status < 500, `${m} ${r} → ${res.status}`);
        return;
      }
      if (res.status >= 400 || (res.headers.get("content-type") ?? "").includes("json")) await assertHandled(res, `${m} ${r}`);
      else assert.ok(res.status < 400, `${m} ${r} → ${res.status}`);
    }),
    { numRuns: RUNS * 2 },
  );
});

test("with API_TOKEN set, random Authorization headers get 401 in the API shape, never a 5xx", async () => {
  const authHeader = fc.oneof(
    weirdText.filter((s) => /^[\t\x20-\x7e\x80-\xff]*$/.test(s)),
    fc.constantFrom("Bearer", "Bearer ", `bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Basic ${Buffer.from("a:b").toString("base64")}`, `Bearer ${"A".repeat(10_000)}`),
  );
  await fc.assert(
    fc.asyncProperty(authHeader, fc.constantFrom("/api/search?q=%E8%BE%BD%E5%AE%81", "/api/articles", "/v1/models"), async (auth, r) => {
      const res = await guarded.request(r, { headers: { authorization: auth } });
      await assertHandled(res, `auth ${JSON.stringify(auth.slice(0, 40))} ${r}`);
      assert.equal(res.status, 401);
    }),
    { numRuns: RUNS },
  );
  const ok = await guarded.request("/api/search?q=%E8%BE%BD%E5%AE%81", { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200, "the right token still works");
});

test("a question at the 2,000-character limit is answered (2xx), not timed out", async () => {
  const varied = Array.from({ length: 2000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join("");
  const res = await open.request("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: varied }) });
  await assertHandled(res, "2,000 varied characters");
  assert.equal(res.status, 200);
});

// One character repeated up to the limit: the trained model's tokenizer caps pre-token pieces, since
// transformers.js's WordPiece is cubic in a piece's length (this once took a minute and answered 504).
test("a question of one character repeated up to the limit is answered (2xx)", async () => {
  const res = await open.request("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: "问".repeat(2000) }) });
  await assertHandled(res, "2,000 × 问");
  assert.equal(res.status, 200);
});

test("the fuzzing left no server-side failure in the log", () => {
  assert.deepEqual(logged.filter((m) => /failed|Error/.test(m)), []);
});
