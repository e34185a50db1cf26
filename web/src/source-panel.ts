/**
 * The side panel: a whole article with the cited passage highlighted, or the article browser.
 * On a phone it covers the chat (see styles.css) and closes with its button or Escape.
 */
import { fetchArticle, fetchArticles } from "./api.ts";
import type { ArticleDetail, Citation } from "./api-types.ts";
import { h, setCovering } from "./dom.ts";
import { locatePassage, sectionLabel } from "./sources.ts";
import { T } from "./strings.ts";

export class SourcePanel {
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private readonly back: HTMLButtonElement;
  private opener: HTMLElement | null = null;
  /** Bumped on every show, so a slow fetch cannot overwrite what the user asked for next. */
  private generation = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly app: HTMLElement,
  ) {
    this.title = root.querySelector<HTMLElement>("[data-panel-title]")!;
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
    const gen = this.open(opener, T.source, false);
    const article = await this.load(() => fetchArticle(c.articleId), gen);
    if (!article) return;
    const where = locatePassage(article.text, c);
    const notFound = where ? null : h("p", { class: "panel-note" }, T.passageNotFound, h("mark", { "data-highlight": "" }, c.quote));
    // The title is in the panel header; the sticky line names the section and item.
    const within = sectionLabel(c);
    const path = within ? h("p", { class: "panel-path" }, within) : null;
    const parts = [articleHeading(article), path, notFound, articleText(article.text, where)];
    this.body.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
    const mark = this.body.querySelector("mark");
    mark?.scrollIntoView({ block: "center" });
  }

  async showArticle(id: string, opener?: HTMLElement | null): Promise<void> {
    const gen = this.open(opener, T.article, true);
    const article = await this.load(() => fetchArticle(id), gen);
    if (!article) return;
    this.body.replaceChildren(articleHeading(article), articleText(article.text, undefined));
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
    setCovering(this.app, [this.root], false);
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = null;
  }

  private open(opener: HTMLElement | null | undefined, title: string, showBack: boolean): number {
    if (opener !== undefined) this.opener = opener;
    this.root.hidden = false;
    this.app.classList.add("panel-open");
    setCovering(this.app, [this.root], true);
    this.back.hidden = !showBack;
    this.title.textContent = title;
    this.body.replaceChildren(h("p", { class: "panel-note" }, T.loading));
    this.root.querySelector<HTMLElement>("[data-panel-close]")!.focus();
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

/** The full title (the panel header only says what the panel shows), date and source file. */
function articleHeading(a: ArticleDetail): HTMLElement {
  return h(
    "header",
    { class: "article-head" },
    h("h3", { class: "article-heading" }, a.title),
    h("p", { class: "article-meta" }, [a.date, a.source].filter(Boolean).join(" · ")),
  );
}

/** The article text as text nodes, the passage (if any) wrapped in <mark>. */
function articleText(text: string, where: { start: number; end: number } | undefined): HTMLElement {
  if (!where) return h("div", { class: "article-text" }, text);
  return h(
    "div",
    { class: "article-text" },
    text.slice(0, where.start),
    h("mark", { "data-highlight": "" }, text.slice(where.start, where.end)),
    text.slice(where.end),
  );
}
