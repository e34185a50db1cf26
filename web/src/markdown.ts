/**
 * The light markdown answers use (paragraphs, `- ` and `1. ` lists, **bold**, `[n]` citations, and
 * `\[` `\]` for a document's own brackets, which are text), parsed into plain data. Rendering builds DOM nodes from this with textContent only, so no text
 * from an answer can ever become markup.
 */

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "bold"; children: Inline[] }
  | { kind: "cite"; n: number };

export type Block =
  | { kind: "paragraph"; lines: Inline[][] }
  | { kind: "heading"; content: Inline[] }
  | { kind: "list"; ordered: boolean; start: number; items: Inline[][] };

const BULLET = /^\s*[-*•]\s+(.*)$/;
// "1. text" needs the space: Chinese documents write items as "12.建设…", which is quoted text, not a list.
const NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*)$/;
const CITES = /\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]/g;
const BOLD = /\*\*(?=\S)([\s\S]*?\S)\*\*/g;

/** A document's bracketed number is sent escaped (见注\[2\]) so it is not a citation: shown as written. */
const unescape = (text: string) => text.replace(/\\([[\]])/g, "$1");

/** Splits text on `[n]` / `[n, m]` markers into text and citation pieces. */
function parseCites(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(CITES)) {
    if (m.index! > last) out.push({ kind: "text", text: unescape(text.slice(last, m.index)) });
    for (const part of m[1].split(/\s*[,，、]\s*/)) out.push({ kind: "cite", n: Number(part) });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ kind: "text", text: unescape(text.slice(last)) });
  return out;
}

/** Inline content of one line: **bold** spans (which may hold citations) and citations. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(BOLD)) {
    if (m.index! > last) out.push(...parseCites(text.slice(last, m.index)));
    out.push({ kind: "bold", children: parseCites(m[1]) });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(...parseCites(text.slice(last)));
  return out;
}

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let para: Inline[][] | undefined;
  let list: Extract<Block, { kind: "list" }> | undefined;
  const flush = () => {
    if (para) blocks.push({ kind: "paragraph", lines: para });
    if (list) blocks.push(list);
    para = undefined;
    list = undefined;
  };
  for (const line of source.replace(/\r\n?/g, "\n").split("\n")) {
    if (line.trim() === "") {
      flush();
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = !!numbered;
      if (para || (list && list.ordered !== ordered)) flush();
      list ??= { kind: "list", ordered, start: numbered ? Number(numbered[1]) : 1, items: [] };
      list.items.push(parseInline(bullet ? bullet[1] : numbered![2]));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: "heading", content: parseInline(heading[1]) });
      continue;
    }
    if (list) {
      // An indented line under a list item continues that item.
      if (/^\s+/.test(line)) {
        list.items[list.items.length - 1].push({ kind: "text", text: " " }, ...parseInline(line.trim()));
        continue;
      }
      flush();
    }
    (para ??= []).push(parseInline(line));
  }
  flush();
  return blocks;
}

/** Citation numbers in order of first use. */
export function citedNumbers(source: string): number[] {
  const seen = new Set<number>();
  for (const m of source.matchAll(CITES)) for (const p of m[1].split(/\s*[,，、]\s*/)) seen.add(Number(p));
  return [...seen];
}

/**
 * Citations that have a list item of their own: items citing exactly one passage. A refusal lists its
 * leads this way (「- 《标题》 › 条目 [1]」), so those leads are already named in the text.
 */
export function citedAloneInListItems(source: string): Set<number> {
  const alone = new Set<number>();
  const cites = (parts: Inline[]): number[] => parts.flatMap((p) => (p.kind === "cite" ? [p.n] : p.kind === "bold" ? cites(p.children) : []));
  for (const block of parseMarkdown(source)) {
    if (block.kind !== "list") continue;
    for (const item of block.items) {
      const ns = new Set(cites(item));
      if (ns.size === 1) alone.add([...ns][0]);
    }
  }
  return alone;
}
