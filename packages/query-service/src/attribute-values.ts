import { type AttributeColumns, BOOLEAN_MISSING } from '@squash/core';

/** The attribute values of one row as JSON (missing values are null). */
export function attributesOfRow(
  columns: AttributeColumns,
  row: number,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [name, column] of columns.columns) {
    switch (column.type) {
      case 'number':
      case 'integer': {
        const value = column.values[row]!;
        out[name] = Number.isNaN(value) ? null : value;
        break;
      }
      case 'category': {
        const code = column.codes[row]!;
        out[name] = code < 0 ? null : column.dictionary[code]!;
        break;
      }
      case 'boolean': {
        const value = column.values[row]!;
        out[name] = value === BOOLEAN_MISSING ? null : value === 1;
        break;
      }
    }
  }
  return out;
}
