/** The one "《title》 › section › item" label of a passage, shared by the prompt and the listed sources. */
import type { Citation } from "./types.ts";

/** The heading path, which usually starts with the title; the title is put first when it is missing. */
export function sourceLabel(c: Pick<Citation, "title" | "headingPath">): string {
  const path = c.headingPath.length > 0 ? [...c.headingPath] : [c.title];
  if (!path[0].includes(c.title) && !c.title.includes(path[0])) path.unshift(c.title);
  return path.join(" › ");
}
