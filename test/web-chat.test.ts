/**
 * The chat page in a real browser (Debian chromium) against the real server and corpus, at desktop
 * (1280 px) and phone (390 px) widths: the mission question streamed with citations that open the
 * highlighted passage, a refused question styled as such, chats kept across reloads, the article
 * browser, copy, keyboard use and dark mode; and when things go wrong: markup in a question, an
 * answer or a document stays text, errors show in the chat, the stop button ends a real stream.
 * One file, so the index is opened and the browser launched once. Screenshots go to test-artifacts/.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Locator, Page, Route } from "playwright-core";
import { ask, launchBrowser, openPage, screenshot, send, type ViewportName } from "./support/browser.ts";
import { startWebServer, type WebServer } from "./support/web-server.ts";

const MISSION = "辽宁清洁能源强省有哪些措施";
const UNANSWERABLE = "辽宁省2024年的GDP增长目标是多少？";
const MAX_QUESTION_CHARS = 200;
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = "<script>window.__pwned=2</script>";
/** Streamed pieces are paced so the tests can watch the answer grow (see web-server.ts). */
const PACE_MS = 5;

let server: WebServer;
let browser: Browser;

before(async () => {
  browser = await launchBrowser();
  server = await startWebServer({ env: { MAX_QUESTION_CHARS: String(MAX_QUESTION_CHARS) }, paceMs: PACE_MS });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The page's own record of the last answer's citations (what its chips point at). */
async function storedCitations(page: Page): Promise<{ n: number; quote: string; title: string }[]> {
  return page.evaluate(() => {
    const list = JSON.parse(localStorage.getItem("policy-qa.conversations.v1") ?? "[]");
    const msgs = list[0].messages.filter((m: { role: string }) => m.role === "assistant");
    return msgs[msgs.length - 1].citations;
  });
}

/** Records the answer's text length at each DOM change while it streams. */
async function watchStreaming(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __lengths: number[] };
    w.__lengths = [];
    new MutationObserver(() => {
      const answer = document.querySelector('[data-message="assistant"][data-state="streaming"] [data-answer]');
      if (answer && !answer.querySelector(".thinking")) w.__lengths.push(answer.textContent!.length);
    }).observe(document.getElementById("messages")!, { subtree: true, childList: true, characterData: true });
  });
}

function cspProblems(problems: string[]): string[] {
  return problems.filter((p) => p.startsWith("pageerror") || /Content Security Policy/i.test(p));
}

async function expectInView(inner: Locator, outer: Locator): Promise<void> {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  assert.ok(a && b, "both elements are laid out");
  assert.ok(a.y + a.height > b.y && a.y < b.y + b.height, `highlight (y=${a.y}) is scrolled into the panel (y=${b.y}..${b.y + b.height})`);
}

/**
 * Each lead of a refusal is listed once on its card: either as an item of the answer's own list (a
 * line naming it, with its chip) or as an entry under 最接近的段落, never both; and it can be opened.
 */
async function expectLeadsOnce(msg: Locator, leads: { n: number }[]): Promise<void> {
  assert.ok(leads.length >= 1, "the refusal offers leads");
  const itemsCiting = await msg.locator("[data-answer] li").evaluateAll((items) =>
    items.map((li) => [...new Set([...li.querySelectorAll("[data-cite]")].map((b) => Number(b.getAttribute("data-cite"))))]),
  );
  for (const lead of leads) {
    const inText = itemsCiting.filter((ns) => ns.length === 1 && ns[0] === lead.n).length;
    const entries = await msg.locator(`[data-lead="${lead.n}"]`).count();
    const chips = await msg.locator(`[data-answer] [data-cite="${lead.n}"]`).count();
    assert.equal(inText + entries, 1, `lead ${lead.n} is listed once (text items: ${inText}, entries: ${entries}):\n${await msg.innerText()}`);
    assert.ok(chips + entries >= 1, `lead ${lead.n} can be opened`);
  }
}

for (const vp of ["desktop", "phone"] as ViewportName[]) {
  test(`${vp}: ask, stream, cite, refuse, and find the chat again after a reload`, async (t) => {
    const { page, context, problems } = await openPage(browser, vp, server.url);
    try {
      await page.goto("/");
      const shot = (name: string) => screenshot(page, `web-${vp}-${name}`);

      await t.test("empty page offers example questions", async () => {
        await page.locator("[data-empty]").waitFor();
        const examples = await page.locator("[data-example]").allTextContents();
        assert.ok(examples.some((q) => q.includes(MISSION)), `examples: ${examples.join(" / ")}`);
        await shot("1-empty");
      });

      await t.test("the mission question streams in and ends with citation chips and sources", async () => {
        await watchStreaming(page);
        const msg = await ask(page, MISSION);
        assert.equal(await msg.getAttribute("data-state"), "done");
        assert.equal(await msg.getAttribute("data-refused"), "false");
        const lengths = await page.evaluate(() => (window as unknown as { __lengths: number[] }).__lengths);
        assert.ok(new Set(lengths).size >= 2, `the answer grew while streaming (lengths seen: ${lengths.join(",")})`);
        assert.match(await msg.locator("[data-answer]").innerText(), /清洁能源/);
        assert.ok(await msg.locator('button[data-cite="1"]').count() >= 1, "citation chip 1");
        const sources = await msg.locator("[data-source]").allInnerTexts();
        assert.ok(sources.length >= 1 && sources.every((s) => s.includes(" › ")), `sources as title › section › item: ${sources.join(" | ")}`);
        assert.ok(await page.locator("#send").isVisible(), "send button back after streaming");
        assert.ok(await page.locator("#stop").isHidden(), "stop button gone after streaming");
        await shot("2-answer");
      });

      await t.test("citation 1 opens the whole article with the cited passage highlighted in view", async () => {
        const msg = page.locator('[data-message="assistant"]').first();
        await msg.locator('[data-cite="1"]').first().click();
        const panel = page.locator("[data-source-panel]");
        const mark = panel.locator("mark");
        await mark.waitFor();
        const [cited] = await storedCitations(page);
        assert.equal(cited.n, 1);
        assert.equal(await mark.textContent(), cited.quote, "the highlight is exactly the cited passage");
        const whole = await panel.locator(".article-text").textContent();
        assert.ok(whole!.length > cited.quote.length * 3, "the panel holds the whole article, not just the quote");
        await page.waitForTimeout(200);
        await expectInView(mark, panel.locator("[data-panel-body]"));
        await shot("3-source-panel");
        if (vp === "phone") {
          const box = await panel.boundingBox();
          assert.ok(box && box.x === 0 && box.width >= 389, `panel covers the chat at phone width (${JSON.stringify(box)})`);
          assert.ok(await page.locator("#question").evaluate((el) => !!el.closest("[inert]")), "the covered chat takes no focus");
          const close = panel.locator("[data-panel-close]");
          assert.ok(await close.isVisible());
          assert.match(await close.innerText(), /关闭/);
          await close.click();
        } else {
          // Keyboard: focus went to the panel; Escape closes it and returns focus to the chip.
          await page.keyboard.press("Escape");
          assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-cite")), "1");
        }
        assert.ok(await panel.isHidden(), "panel closed");
        assert.equal(await page.locator("#question").evaluate((el) => !!el.closest("[inert]")), false);
        assert.ok(await page.locator("#question").isVisible(), "chat visible again");

        // The source line under the answer opens the same passage.
        await msg.locator('[data-source="1"]').click();
        await mark.waitFor();
        assert.equal(await mark.textContent(), cited.quote);
        await panel.locator("[data-panel-close]").click();
      });

      await t.test("an unanswerable question is refused, styled apart, with leads", async () => {
        const res = await fetch(`${server.url}/api/chat`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ question: UNANSWERABLE }),
        });
        const refusal = (await res.json()) as { refused: boolean; citations: { n: number; headingPath: string[] }[] };
        assert.equal(refusal.refused, true, "the server refuses it");
        const msg = await ask(page, UNANSWERABLE);
        assert.equal(await msg.getAttribute("data-refused"), "true");
        assert.match((await msg.getAttribute("class"))!, /\brefused\b/);
        assert.ok(await msg.locator(".badge").isVisible());
        await expectLeadsOnce(msg, refusal.citations);
        const answered = page.locator('[data-message="assistant"][data-refused="false"]').first();
        const bg = (l: Locator) => l.evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.notEqual(await bg(msg), await bg(answered), "refused answer has its own background");
        await msg.scrollIntoViewIfNeeded();
        await shot("4-refused");
        await msg.locator("[data-cite],[data-lead]").first().click();
        await page.locator("[data-source-panel] mark").first().waitFor();
        await page.locator("[data-panel-close]").click();
      });

      await t.test("the chat survives a reload; new chat, reopen and delete work", async () => {
        await page.reload();
        await page.locator('[data-message="assistant"]').nth(1).waitFor();
        assert.equal(await page.locator('[data-message="user"]').first().innerText(), MISSION);
        const history = page.locator("[data-conversation]");
        assert.deepEqual(await history.allInnerTexts(), [MISSION]);
        await page.locator('[data-message="assistant"]').first().locator('[data-cite="1"]').first().click();
        await page.locator("[data-source-panel] mark").waitFor();
        await page.locator("[data-panel-close]").click();
        if (vp === "phone") await page.locator("#toggle-history").click();
        await shot("5-history-after-reload");

        await page.locator("#new-chat").click();
        await page.locator("[data-empty]").waitFor();
        if (vp === "phone") await page.locator("#toggle-history").click();
        await history.first().click();
        await page.locator('[data-message="assistant"]').nth(1).waitFor();
        if (vp === "phone") await page.locator("#toggle-history").click();
        await page.locator("[data-delete]").first().click();
        await page.locator("[data-empty]").waitFor();
        await page.reload();
        await page.locator("[data-empty]").waitFor();
        assert.equal(await history.count(), 0, "deleted chat stays deleted");
      });

      assert.deepEqual(cspProblems(problems), []);
      assert.deepEqual(server.logs, []);
    } finally {
      await context.close();
    }
  });

  test(`${vp}: the article browser lists every article and shows each in full`, async () => {
    const { page, context, problems } = await openPage(browser, vp, server.url);
    try {
      const { articles } = (await (await fetch(`${server.url}/api/articles`)).json()) as { articles: { id: string; title: string }[] };
      await page.goto("/");
      await page.locator("#open-articles").click();
      const items = page.locator("[data-article-id]");
      await items.first().waitFor();
      assert.equal(await items.count(), articles.length);
      const texts = await items.allInnerTexts();
      assert.ok(texts.every((s) => /\d+ 段/.test(s)), "each entry shows its number of passages");
      await screenshot(page, `web-${vp}-6-articles`);
      const pick = articles[articles.length - 1];
      await page.locator(`[data-article-id="${pick.id}"]`).click();
      const full = (await (await fetch(`${server.url}/api/articles/${encodeURIComponent(pick.id)}`)).json()) as { text: string };
      const shown = page.locator("[data-source-panel] .article-text");
      await shown.waitFor();
      assert.equal(await shown.textContent(), full.text, "the whole article text");
      await screenshot(page, `web-${vp}-7-article`);
      await page.locator("[data-panel-back]").click();
      await items.first().waitFor();
      assert.deepEqual(cspProblems(problems), []);
    } finally {
      await context.close();
    }
  });
}

test("desktop: examples are clickable, answers copy with their sources, Shift+Enter breaks the line, dark mode", async () => {
  const { page, context, problems } = await openPage(browser, "desktop", server.url);
  try {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto("/");
    const bodyBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bodyBg.match(/\d+/g)!.map(Number);
    assert.ok(r + g + b < 150, `dark background in dark mode (${bodyBg})`);

    const input = page.locator("#question");
    await input.click();
    await page.keyboard.type("第一行");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("第二行");
    assert.equal(await input.inputValue(), "第一行\n第二行");
    assert.equal(await page.locator('[data-message="user"]').count(), 0, "Shift+Enter did not send");
    await input.fill("");

    await page.locator("[data-example]").first().click();
    assert.equal(await page.locator("[data-example]").count(), 0, "the example was sent");
    await page.waitForFunction(() => document.querySelector('[data-message="assistant"]')?.getAttribute("data-state") === "done");
    assert.match(await page.locator('[data-message="user"]').innerText(), new RegExp(MISSION));
    await screenshot(page, "web-desktop-8-dark");

    await page.locator("[data-copy]").click();
    await page.locator(".copy-status", { hasText: "已复制" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const answer = await page.locator("[data-answer]").innerText();
    assert.ok(copied.includes("来源：\n[1] "), `sources in the copied text: ${copied}`);
    assert.ok(copied.includes(" › "));
    assert.ok(copied.startsWith(answer.slice(0, 10)), "starts with the answer");
    assert.deepEqual(cspProblems(problems), []);
  } finally {
    await context.close();
  }
});

test("desktop: a follow-up shows the standalone question it was understood as; a question taken as typed shows none", async () => {
  const { page, context } = await openPage(browser, "desktop", server.url);
  const FOLLOW_UP = "那粮食安全呢？";
  try {
    await page.goto("/");
    const first = await ask(page, MISSION);
    const firstAnswer = await first.locator("[data-answer]").innerText();
    assert.equal(await first.locator("[data-understood]").count(), 0, "the first question was searched as typed");
    // What the server made of the follow-up, asked the way the page asks it.
    const res = await fetch(`${server.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: FOLLOW_UP, history: [{ role: "user", content: MISSION }, { role: "assistant", content: firstAnswer }] }),
    });
    const { question: standalone } = (await res.json()) as { question: string };
    assert.notEqual(standalone, FOLLOW_UP, "the server rewrites the follow-up");
    const second = await ask(page, FOLLOW_UP);
    const understood = second.locator("[data-understood]");
    assert.equal((await understood.innerText()).trim(), `按“${standalone}”理解并检索`);
    assert.ok(await understood.isVisible());
    await screenshot(page, "web-desktop-12-understood-as");
    await page.reload();
    await page.locator('[data-message="assistant"]').nth(1).waitFor();
    assert.equal((await page.locator('[data-message="assistant"]').nth(1).locator("[data-understood]").innerText()).trim(), `按“${standalone}”理解并检索`, "kept with the chat");
    assert.equal(await page.locator('[data-message="assistant"]').first().locator("[data-understood]").count(), 0);
  } finally {
    await context.close();
  }
});

test("desktop: a refused answer that cites the passage it found (文件提到了X，但没有给出Y) shows its chip and lists the passage once", async () => {
  const { page, context } = await openPage(browser, "desktop", server.url);
  try {
    // A real citation from the real server; the reply around it is the near-miss shape the engine returns.
    const real = (await (
      await fetch(`${server.url}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: MISSION }),
      })
    ).json()) as { citations: { n: number; headingPath: string[]; quote: string }[] };
    const cited = { ...real.citations[0], n: 1 };
    const answer = "文件提到了建设清洁能源强省的措施，但没有给出2024年的投资金额。[1]";
    await page.route("**/api/chat", (route) =>
      route.fulfill({
        status: 200,
        headers: { "content-type": "text/event-stream; charset=utf-8" },
        body: [
          ["retrieval", { question: "清洁能源强省2024年投资多少", passages: [cited] }],
          ["token", { text: answer }],
          ["done", { answer, citations: [cited], refused: true }],
        ]
          .map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
          .join(""),
      }),
    );
    await page.goto("/");
    const msg = await ask(page, "清洁能源强省2024年投资多少");
    assert.equal(await msg.getAttribute("data-refused"), "true");
    assert.ok(await msg.locator(".badge").isVisible(), "styled as a refusal");
    assert.equal(await msg.locator('[data-answer] [data-cite="1"]').count(), 1, "the cited passage is a chip in the text");
    await expectLeadsOnce(msg, [cited]);
    await screenshot(page, "web-desktop-13-near-miss");
    await msg.locator('[data-cite="1"]').click();
    const mark = page.locator("[data-source-panel] mark");
    await mark.first().waitFor();
    assert.equal(await mark.first().textContent(), cited.quote);
    await page.locator("[data-panel-close]").click();
    await page.reload();
    await expectLeadsOnce(page.locator('[data-message="assistant"]').first(), [cited]);
  } finally {
    await context.close();
  }
});

// ---- When things go wrong ----

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
}

test("desktop: a server that is down, a rejected request and a failed stream show in the chat", async () => {
  const { page, context } = await openPage(browser, "desktop", server.url);
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
    await screenshot(page, "web-desktop-10-errors");
  } finally {
    await context.close();
  }
});

test("desktop: the stop button ends a streaming answer and the text box is usable again", async () => {
  const { page, context } = await openPage(browser, "desktop", server.url);
  // Slow enough that the stop lands mid-answer.
  server.paceMs = 30;
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
    assert.deepEqual(server.logs, [], "the server took the dropped stream in its stride");
  } finally {
    server.paceMs = PACE_MS;
    await context.close();
  }
});
