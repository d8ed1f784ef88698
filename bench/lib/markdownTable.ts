type Cell = string | number | boolean | null | undefined;

/** One column of a results table: its header, and what a row puts in it. */
export type Column<T> = readonly [header: string, cell: (row: T) => Cell];

/** Missing figures read `–`, booleans `yes` / `**no**` (a missed target stands out). */
function text(v: Cell): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'boolean') return v ? 'yes' : '**no**';
  return String(v);
}

/** A Markdown table of `rows`, one line per row, the columns in the order given. */
export function markdownTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map(([header]) => header)),
    line(columns.map(() => '---')),
    ...rows.map((r) => line(columns.map(([, cell]) => text(cell(r))))),
  ].join('\n');
}
