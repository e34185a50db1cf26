/**
 * Refusals raised before a route reads the request (401 without the token, 429 over the limit, 413 for
 * the body) in the user's language, over real HTTP: the question's when it can be read, else the
 * Accept-Language, else both with Chinese first; and "1 second", not "1 seconds".
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { errorMessage } from "../server/http/errors.ts";
import { serversOnSharedIndex } from "./support/server-harness.ts";

const { serveWith } = serversOnSharedIndex();

const HAN = /\p{Script=Han}/u;
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const messageOf = async (res: Response) => (await res.json()).error.message as string;

test("401 without the token: in the question's language, Chinese or English, for /api and /v1", async () => {
  const url = await serveWith({ API_TOKEN: "t0ken" });
  const zh = await post(url, { question: "辽宁清洁能源强省有哪些措施" });
  assert.equal(zh.status, 401);
  assert.match(await messageOf(zh), HAN);
  const en = await post(url, { question: "What does Liaoning plan for clean energy?" });
  assert.equal(en.status, 401);
  assert.doesNotMatch(await messageOf(en), HAN);
  const v1 = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "policy-qa", messages: [{ role: "user", content: "中欧班列有什么要求" }] }),
  });
  assert.equal(v1.status, 401);
  assert.match(await messageOf(v1), HAN);
  const search = await fetch(`${url}/api/search?q=${encodeURIComponent("中欧班列")}`);
  assert.match(await messageOf(search), HAN);
});

test("429: in the question's language, with the wait in proper words (1 second / 1 秒)", async () => {
  const url = await serveWith({ RATE_LIMIT_PER_MINUTE: "60" });
  let limited: Response | undefined;
  // A budget of 60 a minute refills one a second: once spent, the wait is exactly 1 s.
  for (let i = 0; i < 200 && !limited; i++) {
    const res = await post(url, {});
    if (res.status === 429) limited = res;
    else await res.arrayBuffer();
  }
  assert.ok(limited, "the limit was reached");
  assert.equal(limited.headers.get("retry-after"), "1");
  await limited.arrayBuffer();

  const en = await post(url, { question: "What does Liaoning plan for clean energy?" });
  assert.equal(en.status, 429);
  const enMessage = await messageOf(en);
  assert.match(enMessage, /try again in 1 second\b/);
  assert.doesNotMatch(enMessage, /1 seconds|\p{Script=Han}/u);
  const zh = await post(url, { question: "辽宁清洁能源强省有哪些措施" });
  assert.equal(zh.status, 429);
  assert.match(await messageOf(zh), /请 1 秒后再试/);
  // Nothing to tell the language by: both, Chinese first.
  const unknown = await post(url, {});
  const both = await messageOf(unknown);
  assert.match(both, /^请求过于频繁.*Too many requests; try again in 1 second\./);
});

test("413: the body is never read, so Accept-Language decides, else both languages with Chinese first", async () => {
  const url = await serveWith({});
  const big = { question: "辽".repeat(30_000) };
  const en = await post(url, big, { "accept-language": "en-GB,en;q=0.9" });
  assert.equal(en.status, 413);
  assert.doesNotMatch(await messageOf(en), HAN);
  const zh = await post(url, big, { "accept-language": "zh-CN" });
  assert.match(await messageOf(zh), /^请求体过大/);
  const unknown = await post(url, big);
  assert.match(await messageOf(unknown), /^请求体过大.*The request body is too large/);
});

test("plural words in messages: {n|one|other} picks by the number", () => {
  assert.equal(errorMessage("rate_limited", "en", { seconds: 1 }), "Too many requests; try again in 1 second.");
  assert.equal(errorMessage("rate_limited", "en", { seconds: 2 }), "Too many requests; try again in 2 seconds.");
  assert.equal(errorMessage("rate_limited", "zh", { seconds: 1 }), "请求过于频繁，请 1 秒后再试。");
});
