/**
 * An article's text as the source panel shows it: section headings as headings on their own lines,
 * item headings (「12.建设清洁能源强省」, which open their item's first sentence) as inline headings one
 * level down, the cited passage in <mark>. The headings come from the heading paths and offsets of the
 * chunks the server sends, not from patterns over the text, and the text itself is left as it is
 * (the element's textContent is the article text, character for character).
 */
import type { ArticleDetail } from "./api-types.ts";
import { h } from "./dom.ts";
import { sectionPath } from "./sources.ts";

export interface Span {
  start: number;
  end: number;
}

export interface HeadingSpan extends Span {
  /** 3 for a section (the article title is the panel's h2), 4 for an item, and so on. */
  level: number;
  /** On a line of its own (a section heading) rather than opening a sentence (an item heading). */
  block: boolean;
}

type ArticleShape = Pick<ArticleDetail, "title" | "text" | "chunks">;

/**
 * Where each heading of the chunks' paths stands in the text: on the lines just before its first chunk,
 * or as that chunk's opening words. A heading the text does not hold there is left out.
 */
export function findHeadings(article: ArticleShape): HeadingSpan[] {
  const { text } = article;
  const seen = new Set<string>();
  const found: HeadingSpan[] = [];
  let floor = 0;
  let previousEnd = 0;
  for (const chunk of [...article.chunks].sort((a, b) => a.start - b.start)) {
    const path = sectionPath({ title: article.title, headingPath: chunk.headingPath });
    path.forEach((heading, depth) => {
      const key = path.slice(0, depth + 1).join("\n");
      if (seen.has(key)) return;
      seen.add(key);
      const at = text.lastIndexOf(heading, chunk.start);
      if (at < 0 || at < floor || at < Math.min(previousEnd, chunk.start)) return;
      const end = at + heading.length;
      const block = (at === 0 || text[at - 1] === "\n") && (end === text.length || text[end] === "\n");
      found.push({ start: at, end, level: Math.min(3 + depth, 6), block });
      floor = end;
    });
    previousEnd = Math.max(previousEnd, chunk.end);
  }
  return found;
}

/** The article text with its headings and, when given, the highlighted passage. */
export function articleText(article: ArticleShape, highlight?: Span): HTMLElement {
  const { text } = article;
  const headings = findHeadings(article);
  const inline = headings.filter((s) => !s.block);
  const root = h("div", { class: "article-text" });
  const writer = new Writer(text, inline, highlight);
  let pos = 0;
  for (const head of headings.filter((s) => s.block)) {
    writer.fill(root, pos, head.start);
    // The line break after a heading goes inside it, so the block adds no blank line of its own.
    const end = text[head.end] === "\n" ? head.end + 1 : head.end;
    const el = h(`h${head.level}` as "h3", { class: "text-heading" });
    writer.fill(el, head.start, end);
    root.appendChild(el);
    pos = end;
  }
  writer.fill(root, pos, text.length);
  return root;
}

/** Appends stretches of the text, wrapping what falls in the passage in <mark> and inline headings in a heading span. */
class Writer {
  private readonly named = new Set<HeadingSpan>();

  constructor(
    private readonly text: string,
    private readonly inline: HeadingSpan[],
    private readonly highlight: Span | undefined,
  ) {}

  fill(parent: HTMLElement, from: number, to: number): void {
    if (to <= from) return;
    const cuts = new Set([from, to]);
    const inRange = (n: number) => n > from && n < to;
    const hl = this.highlight;
    if (hl) [hl.start, hl.end].filter(inRange).forEach((n) => cuts.add(n));
    for (const s of this.inline) [s.start, s.end].filter(inRange).forEach((n) => cuts.add(n));
    const points = [...cuts].sort((a, b) => a - b);
    let mark: HTMLElement | null = null;
    let span: { head: HeadingSpan; el: HTMLElement } | null = null;
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const marked = !!hl && a >= hl.start && b <= hl.end;
      if (!marked) mark = null;
      else if (!mark) {
        mark = h("mark", { "data-highlight": "" });
        parent.appendChild(mark);
        span = null;
      }
      const target = mark ?? parent;
      const head = this.inline.find((s) => a >= s.start && b <= s.end);
      if (!head) span = null;
      else if (!span || span.head !== head || span.el.parentNode !== target) {
        // A heading split by the passage's edge is one heading: only its first piece carries the role.
        const first: boolean = !this.named.has(head);
        this.named.add(head);
        const el: HTMLElement = h("span", { class: "item-heading", role: first ? "heading" : undefined, "aria-level": first ? head.level : undefined });
        target.appendChild(el);
        span = { head, el };
      }
      (span?.el ?? target).appendChild(document.createTextNode(this.text.slice(a, b)));
    }
  }
}
