/**
 * HTML and Markdown → layout text for the cleaner. The top heading level of the document marks
 * articles: each such heading is put after a form feed (a page break) and followed by a blank line,
 * which is the shape splitArticles recognises as a title. Other blocks are separated by blank lines.
 * Policy documents use plain markup, so a small converter serves; no DOM is needed.
 */

const ENTITIES: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", ldquo: "“", rdquo: "”", lsquo: "‘", rsquo: "’", mdash: "—", hellip: "…", middot: "·", ensp: " ", emsp: "　" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(script|style|noscript|template|head)\b[\s\S]*?<\/\1\s*>/gi, "");
  const levels = [...s.matchAll(/<h([1-6])\b/gi)].map((m) => Number(m[1]));
  const top = levels.length ? Math.min(...levels) : 0;
  s = s.replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_m, level: string, inner: string) => {
    const text = inline(inner);
    return Number(level) === top ? `\n\f\n${text}\n\n` : `\n\n${text}\n\n`;
  });
  s = s
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/?(p|div|section|article|li|ul|ol|tr|table|blockquote|pre|header|footer|main|dd|dt|dl|figure|figcaption)\b[^>]*>/gi, "\n\n")
    .replace(/<\/?(td|th)\b[^>]*>/gi, " ")
    .replace(/<[^>]+>/g, "");
  return decodeEntities(s)
    .split("\n")
    .map((line) => line.replace(/[ \t\r]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function inline(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim();
}

export function markdownToText(md: string): string {
  const lines = md.replace(/\r\n?/g, "\n").split("\n");
  const levels = lines.map((l) => /^(#{1,6})\s+\S/.exec(l)?.[1].length).filter((n): n is number => n !== undefined);
  const top = levels.length ? Math.min(...levels) : 0;
  const out: string[] = [];
  let fenced = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const text = stripInline(heading[2]);
      out.push(heading[1].length === top ? `\f\n${text}\n` : `\n${text}\n`);
      continue;
    }
    // List markers and quotes go; numbered items ("1.") stay, they are the document's own structure.
    out.push(stripInline(line.replace(/^\s*>\s?/, "").replace(/^(\s*)[-*+]\s+/, "$1")));
  }
  return out.join("\n");
}

function stripInline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1$2")
    .replace(/`([^`]*)`/g, "$1");
}
