/**
 * The numbered source list that travels with an answer where only text can (the OpenAI-compatible
 * endpoint, the terminal): one line per citation, "[n] title › section › item".
 */
import type { Citation } from "./answer/types.ts";
import type { Lang } from "./http/errors.ts";

/** "《title》 › section › item": the heading path, which starts with the title; the title alone if it is missing. */
export function sourceLabel(c: Pick<Citation, "title" | "headingPath">): string {
  const path = c.headingPath.length > 0 ? [...c.headingPath] : [c.title];
  if (!path[0].includes(c.title) && !c.title.includes(path[0])) path.unshift(c.title);
  return path.join(" › ");
}

export function formatSources(citations: Citation[], lang: Lang): string {
  if (citations.length === 0) return "";
  const heading = lang === "zh" ? "来源：" : "Sources:";
  return [heading, ...citations.map((c) => `[${c.n}] ${sourceLabel(c)}`)].join("\n");
}

/** The source list as formatSources appends it to an answer ("\n\n来源：\n[1] …"). */
const APPENDED_SOURCES = /\n\n(?:来源：|Sources:)\n(?:\[\d+\] [^\n]*(?:\n|$))+$/;

/** An answer without the source list appended to it (chat clients send earlier answers back as history). */
export function stripSources(text: string): string {
  return text.replace(APPENDED_SOURCES, "");
}
