/** Cuts a composed answer into small pieces to stream, never splitting a [n] marker. */
export function pieces(text: string, size = 6): string[] {
  const out: string[] = [];
  const re = /\[\d+\]|\n|[^\[\n]{1,}|\[/g;
  let buf = "";
  for (const m of text.match(re) ?? []) {
    if (m.startsWith("[") && m.length > 1) {
      if (buf) out.push(buf);
      out.push(m);
      buf = "";
      continue;
    }
    for (const ch of m) {
      buf += ch;
      if ([...buf].length >= size || ch === "\n") {
        out.push(buf);
        buf = "";
      }
    }
  }
  if (buf) out.push(buf);
  return out;
}
