/**
 * The chat page when things go wrong, in a real browser at desktop and phone widths: hostile text in
 * a question, an answer or a document stays text; a server that is down, a request the real server
 * rejects and a stream cut by an error are all shown in the chat; the stop button ends a stream.
 * Hostile answers are served by intercepting /api/chat (the real corpus holds no markup).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page, Route } from "playwright-core";
import { launchBrowser, openPage, screenshot, type ViewportName } from "./support/browser.ts";
import { startWebServer, type WebServer } from "./support/web-server.ts";

const MAX_QUESTION_CHARS = 200;
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = "<script>window.__pwned=2</script>";

let server: WebServer;
let browser: Browser;

before(async () => {
  browser = await launchBrowser();
  server = await startWebServer({ env: { MAX_QUESTION_CHARS: String(MAX_QUESTION_CHARS) }, paceMs: 40 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function send(page: Page, question: string): Promise<void> {
  await page.locator("#question").fill(question);
  await page.locator("#question").press("Enter");
}

async function lastAnswerSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const all = document.querySelectorAll('[data-message="assistant"]');
    const m = all[all.length - 1];
    return !!m && m.getAttribute("data-state") !== "streaming";
  });
}

const hostileCitation = {
  n: 1,
  chunkId: "hostile-chunk",
  articleId: "hostile-article",
  title: `《${IMG}意见》`,
  headingPath: [`《${IMG}意见》`, `一、${SCRIPT}`],
  quote: `第一条 ${IMG} 与 ${SCRIPT}。`,
  start: 4,
  end: 4 + `第一条 ${IMG} 与 ${SCRIPT}。`.length,
};

/** An SSE reply whose every text field carries markup, the image tag split across two tokens. */
function hostileChat(route: Route): Promise<void> {
  const answer = `**注意** ${IMG} 和 ${SCRIPT} 以及 <b>粗体</b>[1]\n\n- 列表 <a href="javascript:window.__pwned=3">链接</a>[1]`;
  const events = [
    ["retrieval", { question: IMG, passages: [hostileCitation] }],
    ["token", { text: answer.slice(0, 12) }],
    ["token", { text: answer.slice(12) }],
    ["done", { answer, citations: [hostileCitation], refused: false }],
  ] as const;
  return route.fulfill({
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8" },
    body: events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(""),
  });
}

function hostileArticle(route: Route): Promise<void> {
  return route.fulfill({
    status: 200,
    contentType: "application/json",
    body: JSON.stringify({
      id: "hostile-article",
      title: `《${IMG}意见》`,
      source: "x.txt",
      text: `前言。${hostileCitation.quote}后文 ${IMG}`,
      chunks: [],
    }),
  });
}

async function markupInPage(page: Page): Promise<{ elements: number; pwned: unknown }> {
  return page.evaluate(() => ({
    elements: document.querySelectorAll("#app img, #app script, #app b, #app a").length,
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
  }));
}

for (const vp of ["desktop", "phone"] as ViewportName[]) {
  test(`${vp}: markup in a question, an answer or a document stays inert text`, async () => {
    const { page, context, problems } = await openPage(browser, vp, server.url);
    try {
      await page.route("**/api/chat", hostileChat);
      await page.route("**/api/articles/hostile-article", hostileArticle);
      await page.goto("/");
      const question = `${IMG}这是什么？`;
      await send(page, question);
      await lastAnswerSettled(page);
      assert.equal(await page.locator('[data-message="user"]').innerText(), question, "question shown as typed");
      const answer = await page.locator("[data-answer]").innerText();
      assert.ok(answer.includes(IMG) && answer.includes(SCRIPT) && answer.includes("<b>粗体</b>"), `markup shown as text: ${answer}`);
      assert.equal(await page.locator("[data-answer] strong").innerText(), "注意", "markdown bold still renders");
      assert.ok((await page.locator("[data-source]").innerText()).includes(IMG), "source label as text");
      await page.locator('[data-cite="1"]').first().click();
      const mark = page.locator("[data-source-panel] mark");
      await mark.waitFor();
      assert.equal(await mark.textContent(), hostileCitation.quote);
      assert.deepEqual(await markupInPage(page), { elements: 0, pwned: undefined });
      await screenshot(page, `web-${vp}-9-markup-inert`);

      // Stored chats are re-rendered on reload: still text.
      await page.reload();
      await page.locator("[data-answer]").waitFor();
      assert.deepEqual(await markupInPage(page), { elements: 0, pwned: undefined });
      assert.deepEqual(problems.filter((p) => p.startsWith("pageerror")), []);
    } finally {
      await context.close();
    }
  });

  test(`${vp}: a server that is down, a rejected request and a failed stream show in the chat`, async () => {
    const { page, context } = await openPage(browser, vp, server.url);
    try {
      await page.goto("/");

      await page.route("**/api/chat", (route) => route.abort("connectionrefused"));
      await send(page, "辽宁清洁能源强省有哪些措施");
      await lastAnswerSettled(page);
      const down = page.locator('[data-message="assistant"]').last();
      assert.equal(await down.getAttribute("data-state"), "error");
      assert.match(await down.locator('[role="alert"]').innerText(), /无法连接服务器/);
      await page.unrouteAll();

      // The real server rejects an overlong question; its own message is what the user reads.
      const long = "辽宁".repeat(MAX_QUESTION_CHARS);
      const res = await fetch(`${server.url}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: long }),
      });
      assert.equal(res.status, 400);
      const { error } = (await res.json()) as { error: { message: string } };
      await send(page, long);
      await lastAnswerSettled(page);
      const rejected = page.locator('[data-message="assistant"]').last();
      assert.equal(await rejected.getAttribute("data-state"), "error");
      assert.ok((await rejected.locator('[role="alert"]').innerText()).includes(error.message), `server message shown: ${error.message}`);

      await page.route("**/api/chat", (route) =>
        route.fulfill({
          status: 200,
          headers: { "content-type": "text/event-stream" },
          body: `event: token\ndata: {"text":"部分回答"}\n\nevent: error\ndata: ${JSON.stringify({ error: { code: "timeout", message: "请求超时（测试）" } })}\n\n`,
        }),
      );
      await send(page, "辽宁如何建设海洋经济强省");
      await lastAnswerSettled(page);
      const cut = page.locator('[data-message="assistant"]').last();
      assert.match(await cut.innerText(), /部分回答[\s\S]*请求超时（测试）/);
      await page.unrouteAll();
      await screenshot(page, `web-${vp}-10-errors`);
    } finally {
      await context.close();
    }
  });
}

test("desktop: the stop button ends a streaming answer and the text box is usable again", async () => {
  const { page, context } = await openPage(browser, "desktop", server.url);
  try {
    await page.goto("/");
    await send(page, "辽宁清洁能源强省有哪些措施");
    const stop = page.locator("#stop");
    await stop.waitFor();
    assert.ok(await page.locator("#send").isHidden(), "send is replaced by stop while streaming");
    // Stop once some of the answer has arrived.
    await page.locator('[data-message="assistant"][data-state="streaming"] [data-answer] p:not(.thinking)').first().waitFor();
    await stop.click();
    await lastAnswerSettled(page);
    const msg = page.locator('[data-message="assistant"]').last();
    assert.equal(await msg.getAttribute("data-state"), "stopped");
    assert.match(await msg.innerText(), /已停止生成/);
    const partial = await msg.locator("[data-answer]").innerText();
    assert.ok(partial.length > 0, "the part already received is kept");
    assert.ok(await page.locator("#send").isVisible());
    assert.ok(await stop.isHidden());
    await screenshot(page, "web-desktop-11-stopped");
    // The text box works again: the next question is answered in full.
    await send(page, "辽宁如何建设海洋经济强省");
    await lastAnswerSettled(page);
    assert.equal(await page.locator('[data-message="assistant"]').last().getAttribute("data-state"), "done");
  } finally {
    await context.close();
  }
});
