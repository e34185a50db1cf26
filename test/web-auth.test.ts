/**
 * The chat page against a server started with API_TOKEN, in a real browser: the first question is
 * met with a token form in the chat (not a dead error), a wrong token is asked for again, the right
 * one answers the same question, and from then on every API call (chat, the article behind a
 * citation) carries `Authorization: Bearer <token>`, kept for the tab in sessionStorage only.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, screenshot } from "./support/browser.ts";
import { startWebServer, type WebServer } from "./support/web-server.ts";

const TOKEN = "page-token_for.tests";
const MISSION = "辽宁清洁能源强省有哪些措施";

let server: WebServer;
let browser: Browser;

before(async () => {
  browser = await launchBrowser();
  server = await startWebServer({ env: { API_TOKEN: TOKEN } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function enterToken(page: Page, token: string): Promise<void> {
  const form = page.locator("[data-token-form]");
  await form.waitFor();
  await form.locator("input").fill(token);
  await form.locator("[data-token-submit]").click();
}

test("with API_TOKEN: ask → token form → token → the answer, and the token goes with every API call", async () => {
  const { page, context, problems } = await openPage(browser, "desktop", server.url);
  const sent: { path: string; authorization?: string }[] = [];
  page.on("request", (req) => {
    const { pathname } = new URL(req.url());
    if (pathname.startsWith("/api/")) sent.push({ path: pathname, authorization: req.headers()["authorization"] });
  });
  try {
    await page.goto("/");
    await page.locator("#question").fill(MISSION);
    await page.locator("#question").press("Enter");

    const form = page.locator("[data-token-form]");
    await form.waitFor();
    assert.equal(await form.locator("input").getAttribute("type"), "password", "the token is typed like a password");
    assert.match(await form.innerText(), /访问令牌/);
    assert.equal(await page.locator('[data-message="assistant"]').count(), 0, "no failed answer left in the chat");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("type")), "password", "the field has the focus");
    assert.equal(sent[0]?.authorization, undefined, "nothing to send before the user gives a token");
    await screenshot(page, "web-auth-1-token-form");

    await enterToken(page, "wrong-token");
    await page.locator("[data-token-form] [role=alert]").waitFor();
    assert.match(await page.locator("[data-token-form]").innerText(), /令牌无效/);
    assert.equal(await page.locator("[data-token-form]").count(), 1, "one form, not one per attempt");

    await enterToken(page, TOKEN);
    const answer = page.locator('[data-message="assistant"]');
    await page.waitForFunction(() => {
      const m = document.querySelector('[data-message="assistant"]');
      return !!m && m.getAttribute("data-state") !== "streaming";
    });
    assert.equal(await answer.getAttribute("data-state"), "done", await answer.innerText());
    assert.equal(await answer.getAttribute("data-refused"), "false");
    assert.match(await answer.locator("[data-answer]").innerText(), /清洁能源/);
    assert.equal(await page.locator("[data-token-form]").count(), 0, "the form is gone");
    assert.deepEqual(await page.locator('[data-message="user"]').allInnerTexts(), [MISSION], "the question shows once");
    await screenshot(page, "web-auth-2-answer");

    // The article behind a citation is another API call: it must carry the token too.
    await answer.locator('[data-cite="1"]').first().click();
    await page.locator("[data-source-panel] mark").waitFor();

    const chats = sent.filter((r) => r.path === "/api/chat");
    assert.deepEqual(
      chats.map((r) => r.authorization),
      [undefined, "Bearer wrong-token", `Bearer ${TOKEN}`],
      "asked without, with the wrong, then with the right token",
    );
    const articles = sent.filter((r) => r.path.startsWith("/api/articles/"));
    assert.ok(articles.length >= 1 && articles.every((r) => r.authorization === `Bearer ${TOKEN}`), JSON.stringify(articles));

    assert.equal(await page.evaluate(() => sessionStorage.getItem("policy-qa.token")), TOKEN, "kept for this tab");
    assert.ok(!(await page.evaluate(() => JSON.stringify({ ...localStorage }))).includes(TOKEN), "never in localStorage");
    // The browser logs each 401 response as a console error; anything else is a real problem.
    assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  } finally {
    await context.close();
  }
});
