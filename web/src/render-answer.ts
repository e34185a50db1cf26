/** Turns parsed answer markdown into DOM nodes, with each `[n]` as a citation chip button. */
import type { Citation } from "./api-types.ts";
import { h } from "./dom.ts";
import { parseMarkdown, type Block, type Inline } from "./markdown.ts";
import { sourceLabel } from "./sources.ts";
import { T } from "./strings.ts";

export type CitationLookup = (n: number) => Citation | undefined;

/** The passage behind each chip on screen, for its preview (see citation-preview.ts). */
const chipCitations = new WeakMap<Element, Citation>();

export function citationOf(chip: Element): Citation | undefined {
  return chipCitations.get(chip);
}

/** A chip button for `[n]`. No native title: the preview shows the passage on hover and focus instead. */
export function citationChip(c: Citation): HTMLButtonElement {
  const chip = h("button", { type: "button", class: "cite", "data-cite": c.n, "aria-label": T.citeLabel(c.n, sourceLabel(c)) }, String(c.n));
  chipCitations.set(chip, c);
  return chip;
}

function renderInline(parts: Inline[], lookup: CitationLookup): Node[] {
  return parts.map((p) => {
    if (p.kind === "text") return document.createTextNode(p.text);
    if (p.kind === "bold") return h("strong", {}, renderInline(p.children, lookup));
    const c = lookup(p.n);
    // A number the answer did not retrieve stays plain text rather than a chip that leads nowhere.
    return c ? citationChip(c) : document.createTextNode(`[${p.n}]`);
  });
}

function renderBlock(block: Block, lookup: CitationLookup): HTMLElement {
  if (block.kind === "heading") return h("p", { class: "md-heading" }, h("strong", {}, renderInline(block.content, lookup)));
  if (block.kind === "list") {
    const items = block.items.map((item) => h("li", {}, renderInline(item, lookup)));
    return block.ordered && block.start !== 1 ? h("ol", { start: block.start }, items) : h(block.ordered ? "ol" : "ul", {}, items);
  }
  const p = h("p");
  block.lines.forEach((line, i) => {
    if (i > 0) p.appendChild(h("br"));
    for (const node of renderInline(line, lookup)) p.appendChild(node);
  });
  return p;
}

/** Replaces `target`'s content with the rendered answer. */
export function renderAnswer(target: HTMLElement, markdown: string, lookup: CitationLookup): void {
  target.replaceChildren(...parseMarkdown(markdown).map((b) => renderBlock(b, lookup)));
}
