/**
 * HTML and Markdown → paragraph lines for the cleaner. The markup already says where paragraphs are,
 * so no layout has to be guessed; the top heading level of the document marks the articles.
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

/**
 * Output: one paragraph per line; each top-level heading is preceded by a form feed line and followed
 * by an empty line (a title followed by a gap). Read with cleanText(text, { paragraphLines: true }).
 */
export function htmlToText(html: string): string {
  const s = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(script|style|noscript|template|head)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/\s+/g, " ");
  const levels = [...s.matchAll(/<h([1-6])\b/gi)].map((m) => Number(m[1]));
  const top = levels.length ? levels.reduce((a, b) => Math.min(a, b)) : 0; // no spread: a file may hold 100k+ headings
  const out: string[] = [];
  // Split at block boundaries; headings are kept whole so their level is known.
  const re = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>|<br\s*\/?>|<\/?(?:p|div|section|article|li|ul|ol|tr|table|blockquote|pre|header|footer|main|dd|dt|dl|figure|figcaption|nav|aside)\b[^>]*>/gi;
  let last = 0;
  const text = (fragment: string) => {
    const t = inline(fragment);
    if (t) out.push(t);
  };
  for (const m of s.matchAll(re)) {
    text(s.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[1]) {
      const heading = inline(m[2]);
      if (Number(m[1]) === top) out.push("\f", heading, "");
      else if (heading) out.push(heading);
    }
  }
  text(s.slice(last));
  return out.join("\n");
}

function inline(html: string): string {
  return decodeEntities(html.replace(/<\/?(td|th)\b[^>]*>/gi, " ").replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim();
}

/** Same output shape as htmlToText: paragraphs (soft-wrapped lines joined) one per line, top headings as titles. */
export function markdownToText(md: string): string {
  const lines = md.replace(/\r\n?/g, "\n").split("\n");
  const levels = lines.map((l) => /^(#{1,6})\s+\S/.exec(l)?.[1].length).filter((n): n is number => n !== undefined);
  const top = levels.length ? levels.reduce((a, b) => Math.min(a, b)) : 0; // no spread: a file may hold 100k+ headings
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(stripInline(para.join(" ")).trim());
    para = [];
  };
  let fenced = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      if (line.trim()) out.push(line.trim());
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const text = stripInline(heading[2]);
      if (heading[1].length === top) out.push("\f", text, "");
      else out.push(text);
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    // A list item starts its own paragraph; bullets and quote marks go, numbers ("1.") are structure and stay.
    if (/^\s*([-*+]|\d{1,3}[.)])\s+/.test(line)) flush();
    para.push(line.replace(/^\s*>\s?/, "").replace(/^\s*[-*+]\s+/, "").replace(/^\s*(\d{1,3})[.)]\s+/, "$1.").trim());
  }
  flush();
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
