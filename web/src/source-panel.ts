/**
 * The side panel: a whole article with the cited passage highlighted, or the article browser.
 * On a phone it covers the chat (see styles.css) and closes with its button or Escape.
 */
import { fetchArticle, fetchArticles } from "./api.ts";
import type { ArticleDetail, Citation } from "./api-types.ts";
import { articleText } from "./article-text.ts";
import { h } from "./dom.ts";
import { locatePassage, sectionPath } from "./sources.ts";
import { T } from "./strings.ts";

export class SourcePanel {
  private readonly title: HTMLElement;
  private readonly path: HTMLElement;
  private readonly body: HTMLElement;
  private readonly back: HTMLButtonElement;
  private opener: HTMLElement | null = null;
  /** Bumped on every show, so a slow fetch cannot overwrite what the user asked for next. */
  private generation = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly app: HTMLElement,
    /** Called after the panel opens or closes, so the rest of the page can be made inert or not. */
    private readonly onToggle: () => void,
  ) {
    this.title = root.querySelector<HTMLElement>("[data-panel-title]")!;
    this.path = root.querySelector<HTMLElement>("[data-panel-path]")!;
    this.body = root.querySelector<HTMLElement>("[data-panel-body]")!;
    this.back = root.querySelector<HTMLButtonElement>("[data-panel-back]")!;
    root.querySelector("[data-panel-close]")!.addEventListener("click", () => this.close());
    this.back.addEventListener("click", () => void this.showArticleList());
    root.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.close();
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  /** The article a citation comes from, with the passage marked and scrolled into view. */
  async showCitation(c: Citation, opener?: HTMLElement | null): Promise<void> {
    const gen = this.open(opener, c.title, false);
    // The header keeps the title and section › item in sight while the article scrolls under it.
    this.setPath(sectionPath(c));
    const article = await this.load(() => fetchArticle(c.articleId), gen);
    if (!article) return;
    this.setTitle(article.title);
    const where = locatePassage(article.text, c);
    const notFound = where ? null : h("p", { class: "panel-note" }, T.passageNotFound, h("mark", { "data-highlight": "" }, c.quote));
    const parts = [articleMeta(article), notFound, articleText(article, where)];
    this.body.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
    const mark = this.body.querySelector("mark");
    mark?.scrollIntoView({ block: "center" });
  }

  async showArticle(id: string, opener?: HTMLElement | null): Promise<void> {
    const gen = this.open(opener, T.article, true);
    const article = await this.load(() => fetchArticle(id), gen);
    if (!article) return;
    this.setTitle(article.title);
    this.body.replaceChildren(...[articleMeta(article), articleText(article)].filter((p): p is HTMLElement => p !== null));
    this.body.scrollTop = 0;
  }

  async showArticleList(opener?: HTMLElement | null): Promise<void> {
    const gen = this.open(opener, T.articleList, false);
    const articles = await this.load(fetchArticles, gen);
    if (!articles) return;
    const items = articles.map((a) => {
      const button = h(
        "button",
        { type: "button", class: "article-item", "data-article-id": a.id },
        h("span", { class: "article-title" }, a.title),
        h("span", { class: "article-meta" }, [a.date, T.passages(a.chunks)].filter(Boolean).join(" · ")),
      );
      button.addEventListener("click", () => void this.showArticle(a.id));
      return h("li", {}, button);
    });
    this.body.replaceChildren(h("ul", { class: "article-list", "data-article-list": "" }, items));
    this.body.scrollTop = 0;
  }

  close(): void {
    if (!this.isOpen) return;
    this.generation++;
    this.root.hidden = true;
    this.app.classList.remove("panel-open");
    this.onToggle();
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = null;
  }

  private setTitle(title: string): void {
    this.title.textContent = title;
    this.title.title = title;
    this.body.setAttribute("aria-label", T.panelBodyLabel(title));
  }

  /** Section › item, a line each: a long section name is cut short so the item always shows in full. */
  private setPath(path: string[]): void {
    this.path.replaceChildren(...path.map((part, i) => h("span", { class: "path-part" }, i > 0 ? `› ${part}` : part)));
    this.path.hidden = path.length === 0;
  }

  private open(opener: HTMLElement | null | undefined, title: string, showBack: boolean): number {
    if (opener !== undefined) this.opener = opener;
    this.root.hidden = false;
    this.app.classList.add("panel-open");
    this.onToggle();
    this.back.hidden = !showBack;
    this.setTitle(title);
    this.setPath([]);
    this.body.replaceChildren(h("p", { class: "panel-note" }, T.loading));
    // Focus goes to the text itself: the arrow and page keys scroll it at once, Escape closes.
    this.body.focus();
    return ++this.generation;
  }

  private async load<T>(fetcher: () => Promise<T>, gen: number): Promise<T | undefined> {
    try {
      const value = await fetcher();
      return gen === this.generation ? value : undefined;
    } catch (err) {
      if (gen === this.generation) {
        const msg = err instanceof Error ? err.message : String(err);
        this.body.replaceChildren(h("p", { class: "error", role: "alert" }, `${T.errorArticle}${msg}`));
      }
      return undefined;
    }
  }
}

/** Date and source file, above the text (the title is in the panel header). */
function articleMeta(a: ArticleDetail): HTMLElement | null {
  const meta = [a.date, a.source].filter(Boolean).join(" · ");
  return meta ? h("p", { class: "article-meta" }, meta) : null;
}
