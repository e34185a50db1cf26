/**
 * PDF → layout text through unpdf (pdf.js). Lines are rebuilt from the text items' positions, so the
 * cleaner sees what a reader sees: a blank line where the vertical gap is wider than the usual line
 * spacing (under a title), leading spaces where a line starts right of the margin (an indent), and a
 * form feed between pages.
 */
export class PdfError extends Error {
  override name = "PdfError";
}

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

interface Line {
  y: number;
  x: number;
  size: number;
  text: string;
}

export async function pdfToText(bytes: Uint8Array): Promise<string> {
  // Imported lazily so that text-only corpora never load pdf.js.
  const { getDocumentProxy } = await import("unpdf");
  let pdf;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes));
  } catch (err) {
    throw new PdfError(`damaged or unsupported PDF (${(err as Error).message})`);
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const it of content.items) {
        if (!("str" in it) || it.str === "") continue;
        const [a, b, , , x, y] = it.transform as number[];
        items.push({ str: it.str, x, y, width: it.width, size: it.height || Math.hypot(a, b) || 10 });
      }
      pages.push(layoutPage(items));
      page.cleanup();
    }
    return pages.join("\n\f\n");
  } finally {
    await pdf.loadingTask.destroy().catch(() => undefined);
  }
}

function layoutPage(items: Item[]): string {
  // Group items into lines (same baseline within half a font size), top to bottom, left to right.
  const lines: { y: number; size: number; items: Item[] }[] = [];
  for (const it of [...items].sort((p, q) => q.y - p.y || p.x - q.x)) {
    const line = lines.find((l) => Math.abs(l.y - it.y) <= Math.min(l.size, it.size) * 0.5);
    if (line) {
      line.items.push(it);
      line.size = Math.max(line.size, it.size);
    } else lines.push({ y: it.y, size: it.size, items: [it] });
  }
  lines.sort((p, q) => q.y - p.y);
  const built: Line[] = lines.map((l) => {
    const sorted = l.items.sort((p, q) => p.x - q.x);
    let text = "";
    let end = -Infinity;
    for (const it of sorted) {
      if (text && it.x - end > it.size * 0.3 && !text.endsWith(" ")) text += " ";
      text += it.str;
      end = it.x + it.width;
    }
    return { y: l.y, x: sorted[0].x, size: l.size, text };
  });
  if (built.length === 0) return "";
  const margin = Math.min(...built.map((l) => l.x));
  const gaps = built.slice(1).map((l, i) => built[i].y - l.y).sort((p, q) => p - q);
  // Body line spacing is the common, small gap; gaps under titles and between blocks are the exceptions.
  const usual = gaps.length ? gaps[Math.floor((gaps.length - 1) / 4)] : 0;
  const out: string[] = [];
  built.forEach((l, i) => {
    if (i > 0 && usual > 0 && built[i - 1].y - l.y > usual * 1.6) out.push("");
    const indent = Math.max(0, Math.round((l.x - margin) / (l.size / 2)));
    out.push(" ".repeat(indent) + l.text);
  });
  return out.join("\n");
}
