/**
 * The chat page when a model fails mid-answer (the loopback OpenAI-protocol stub stalls after a few
 * pieces), in real Chromium against the real server and corpus: the partial model text it showed is
 * withdrawn on the server's `reset` event, and the finished message is the extractive answer alone,
 * with the fallback notice — also after a reload (what the browser stored).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launchBrowser, openPage, screenshot } from "./support/browser.ts";
import { startWebServer, type WebServer } from "./support/web-server.ts";
import { startOpenAiStub, type OpenAiStub } from "./support/openai-stub.ts";

const MISSION = "辽宁清洁能源强省有哪些措施";
const MODEL_TEXT = "大模型写到一半的句子。[1] 这一句不会写完";

let stub: OpenAiStub;
let server: WebServer;
let browser: Browser;

before(async () => {
  stub = await startOpenAiStub({ text: MODEL_TEXT, hangAfter: 3, delayMs: 30 });
  browser = await launchBrowser();
  server = await startWebServer({ env: { LLM_BASE_URL: stub.baseUrl, LLM_MODEL: "stub", LLM_TIMEOUT_MS: "1500" }, paceMs: 5 });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await stub?.close();
});

test("a model's partial answer is withdrawn and replaced by the extractive answer, with its notice", async () => {
  const { page, context, problems } = await openPage(browser, "desktop", server.url);
  try {
    await page.goto("/");
    // Record every text the answer showed while streaming.
    await page.evaluate(() => {
      const w = window as unknown as { __seen: string[] };
      w.__seen = [];
      new MutationObserver(() => {
        const a = document.querySelector('[data-message="assistant"] [data-answer]');
        if (a) w.__seen.push(a.textContent ?? "");
      }).observe(document.getElementById("messages")!, { subtree: true, childList: true, characterData: true });
    });
    await page.locator("#question").fill(MISSION);
    await page.locator("#question").press("Enter");
    const msg = page.locator('[data-message="assistant"]').first();
    await page.waitForFunction(() => document.querySelector('[data-message="assistant"]')?.getAttribute("data-state") === "done", undefined, { timeout: 30_000 });
    const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    assert.ok(seen.some((t) => t.includes("大模型写到")), "the model's partial text was shown while it streamed");
    const answer = await msg.locator("[data-answer]").innerText();
    assert.ok(!answer.includes("大模型写到"), `the partial text is gone: ${answer.slice(0, 60)}`);
    assert.match(answer, /风光火核储/);
    assert.match(await msg.innerText(), /响应超时/);
    await screenshot(page, "web-reset-after-fallback");

    await page.reload();
    const restored = await page.locator('[data-message="assistant"] [data-answer]').first().innerText();
    assert.ok(!restored.includes("大模型写到") && /风光火核储/.test(restored), "the stored answer is the replacement alone");
    assert.deepEqual(problems.filter((p) => p.startsWith("pageerror")), []);
  } finally {
    await context.close();
  }
});
