/**
 * The numbered source list that travels with an answer where only text can (the OpenAI-compatible
 * endpoint, the terminal): one line per citation, "[n] title › section › item".
 */
import type { Citation } from "./answer/types.ts";
import type { Lang } from "./http/errors.ts";
import { sourceLabel } from "./answer/source-label.ts";

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
