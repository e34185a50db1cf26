/** How a citation is named and found: its label (title › section › item), its place in the article, its copy text. */
import type { Citation } from "./api-types.ts";

export function sourceLabel(c: Pick<Citation, "title" | "headingPath">): string {
  const path = c.headingPath.filter((p) => p.trim() !== "");
  // The heading path normally starts with the title; do not show it twice.
  const parts = path.length > 0 && sameTitle(path[0], c.title) ? path : [c.title, ...path];
  return parts.join(" › ");
}

/** The headings below the article title: [section, item]. */
export function sectionPath(c: Pick<Citation, "title" | "headingPath">): string[] {
  const path = c.headingPath.filter((p) => p.trim() !== "");
  return path.length > 0 && sameTitle(path[0], c.title) ? path.slice(1) : path;
}

/** The same path without the article title: section › item. */
export function sectionLabel(c: Pick<Citation, "title" | "headingPath">): string {
  return sectionPath(c).join(" › ");
}

function sameTitle(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/[《》\s]/g, "");
  return strip(a) === strip(b);
}

/** An answer with its sources, as plain text for the clipboard. */
export function answerAsText(answer: string, citations: Citation[], heading: string): string {
  if (citations.length === 0) return answer.trim();
  const lines = citations.map((c) => `[${c.n}] ${sourceLabel(c)}`);
  return `${answer.trim()}\n\n${heading}：\n${lines.join("\n")}`;
}

/** Where the passage sits in the article: its offsets when they still match, else a search for the quote. */
export function locatePassage(text: string, c: Pick<Citation, "start" | "end" | "quote">): { start: number; end: number } | undefined {
  if (c.end > c.start && text.slice(c.start, c.end) === c.quote) return { start: c.start, end: c.end };
  const at = c.quote ? text.indexOf(c.quote) : -1;
  return at >= 0 ? { start: at, end: at + c.quote.length } : undefined;
}

/** The start of a passage on one line, for a list entry or a preview. */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
