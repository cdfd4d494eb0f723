/** Formats rows as a plain aligned text table for the terminal (numbers right-aligned). */
export function textTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const numeric = header.map(
    (_, i) =>
      rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^-?[\d.]+%?$/.test(String(r[i]))),
  );
  return cells
    .map((r) =>
      r
        .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A share as a percentage with one decimal, e.g. 0.4321 → "43.2%". */
export function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
