/** Formatting of numbers, tables and schemas for people (summaries, listings, progress). */
import type { AttributeSchema } from '@squash/core';

/** `0.42 s`, `12.3 s`, `2 min 5 s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** `512 B`, `1.5 KiB`, `188.2 MiB`, `2.10 GiB` (binary units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Left-aligned columns separated by two spaces, trailing blanks trimmed; one line per row. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

/** `label: integer, colour: category`, or `(none)`. */
export function describeSchema(schema: AttributeSchema): string {
  const entries = Object.entries(schema).map(([name, spec]) => `${name}: ${spec.type}`);
  return entries.length === 0 ? '(none)' : entries.join(', ');
}
