/**
 * A small, dependency-free SVG bar chart of the ablation (hit@1/3/5 and MRR per retrieval mode),
 * embedded in the Markdown report so the comparison is visible at a glance.
 */
import type { AblationRow } from "./metrics.ts";

const SERIES: { key: "hit1" | "hit3" | "hit5" | "mrr"; label: string; color: string }[] = [
  { key: "hit1", label: "hit@1", color: "#9ecae1" },
  { key: "hit3", label: "hit@3", color: "#4292c6" },
  { key: "hit5", label: "hit@5", color: "#08519c" },
  { key: "mrr", label: "MRR", color: "#f16913" },
];

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);

export function ablationChart(rows: AblationRow[], title = "Retrieval by mode"): string {
  const bar = 14, gap = 26, left = 40, top = 34, plotH = 160;
  const groupW = SERIES.length * bar + gap;
  const width = Math.max(320, left + rows.length * groupW + 20);
  const height = top + plotH + 58;
  const r1 = (v: number) => Math.round(v * 10) / 10;
  const y = (v: number) => r1(top + plotH - Math.max(0, Math.min(1, v)) * plotH);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  parts.push(`<title>${escapeXml(title)}</title>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="${left}" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text>`);
  // Legend under the axis labels, so it never runs past a narrow chart's right edge.
  SERIES.forEach((s, i) => {
    const x = left + i * 62;
    const ly = top + plotH + 40;
    parts.push(`<rect x="${x}" y="${ly}" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="${ly + 9}">${s.label}</text>`);
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const ty = y(tick);
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${ty}" y2="${ty}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${ty + 4}" text-anchor="end">${tick.toFixed(2)}</text>`);
  }
  rows.forEach((row, g) => {
    const x0 = left + gap / 2 + g * groupW;
    SERIES.forEach((s, i) => {
      const v = row.error ? 0 : row[s.key];
      const by = y(v);
      parts.push(`<rect x="${x0 + i * bar}" y="${by}" width="${bar - 2}" height="${r1(top + plotH - by)}" fill="${s.color}"><title>${row.mode} ${s.label} ${v.toFixed(3)}</title></rect>`);
    });
    const cx = x0 + (SERIES.length * bar) / 2;
    parts.push(`<text x="${cx}" y="${top + plotH + 16}" text-anchor="middle">${escapeXml(row.mode)}</text>`);
    if (row.error) parts.push(`<text x="${cx}" y="${top + plotH + 16}" dy="-20" text-anchor="middle" fill="#c00">error</text>`);
  });
  parts.push(`<line x1="${left}" x2="${width - 10}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`);
  parts.push(`</svg>`);
  return parts.join("\n") + "\n";
}
