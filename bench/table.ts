/** A markdown table from rows of cells: what the benches print, ready to paste into the README. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map((c) => String(c)));
  const line = (r: string[]) => `| ${r.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...cells.map(line)].join("\n");
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
