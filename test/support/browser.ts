/**
 * A real browser for the web tests: Debian's chromium driven by playwright-core (no browser download
 * is possible here). Each launch gets a fresh temporary profile from playwright, so no state leaks
 * between runs.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, "../../test-artifacts");

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** Fails with what to do when chromium is missing, instead of a playwright stack trace. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The web tests drive Debian's chromium: install it with ` +
        "`apt-get install chromium` (.ci/run does this), or set CHROMIUM_PATH.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, console errors and CSP violations seen so far. */
  problems: string[];
}

/** A page in its own context (own localStorage) at a named viewport, recording anything that went wrong. */
export async function openPage(browser: Browser, viewport: ViewportName, baseURL: string): Promise<TestPage> {
  const phone = viewport === "phone";
  const context = await browser.newContext({
    baseURL,
    viewport: VIEWPORTS[viewport],
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
    locale: "zh-CN",
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  return { context, page, problems };
}

/** Saves a screenshot to test-artifacts/<name>.png (git-ignored) for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  // Transitions finished, so a drawer is shown where it lands rather than mid-slide.
  await page.screenshot({ path: file, animations: "disabled" });
  return file;
}
