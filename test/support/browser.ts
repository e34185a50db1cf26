/**
 * A real browser for the web tests: Debian's chromium driven by playwright-core (no browser download
 * is possible here). Each launch gets a fresh temporary profile from playwright, so no state leaks
 * between runs.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";

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

/** What axe checks: WCAG 2.0–2.2 A/AA (2.2 brings target-size) and axe's best practices. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page as it is now and returns every violation. axe is evaluated through the
 * devtools protocol, which the page's CSP (script-src 'self') does not govern, so the page is tested
 * under its real policy.
 */
export async function runAxe(page: Page): Promise<AxeFinding[]> {
  const { default: axe } = await import("axe-core");
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axe.source);
  return page.evaluate(async (tags) => {
    const w = window as unknown as { axe: typeof import("axe-core") };
    const result = await w.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? "unknown",
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.replace(/\s+/g, " ") ?? ""}`),
    }));
  }, AXE_TAGS);
}

/**
 * The violations a user is blocked by (axe's serious and critical), plus any rule named in `alsoRules`,
 * one readable line each.
 */
export function blocking(findings: AxeFinding[], alsoRules: string[] = []): string[] {
  return findings
    .filter((f) => f.impact === "serious" || f.impact === "critical" || alsoRules.includes(f.rule))
    .map((f) => `${f.rule} (${f.impact}): ${f.help}\n    ${f.nodes.slice(0, 4).join("\n    ")}`);
}

/** Types a question and sends it with Enter. */
export async function send(page: Page, question: string): Promise<void> {
  await page.locator("#question").fill(question);
  await page.locator("#question").press("Enter");
}

/** Sends a question and waits until its answer stops streaming; returns that answer. */
export async function ask(page: Page, question: string): Promise<Locator> {
  const index = await page.locator('[data-message="assistant"]').count();
  await send(page, question);
  await page.waitForFunction((i) => {
    const m = document.querySelectorAll('[data-message="assistant"]')[i];
    return !!m && m.getAttribute("data-state") !== "streaming";
  }, index);
  return page.locator('[data-message="assistant"]').nth(index);
}
