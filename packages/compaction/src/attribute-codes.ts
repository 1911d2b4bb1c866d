import {
  type AttributeColumn,
  type AttributeColumns,
  BOOLEAN_MISSING,
  type QuantizedAttribute,
  type QuantizedAttributes,
} from '@squash/core';
import type { AttributeEntry, AttributesManifest, LogAttributeValue } from '@squash/index-format';

/** A row's attribute values as the write log holds them (absent or `null`: missing). */
export type AttributeValues = Readonly<Record<string, LogAttributeValue>>;

/**
 * Why the base's attribute coding cannot take these new rows without a full rebuild, or
 * `undefined` when it can. Category codes are dictionary positions stored in every partition's
 * raw attributes, so a string outside a dictionary would renumber every partition; a numeric
 * attribute whose base had no value at all has no cell to widen. Numeric values outside the
 * cells are fine: the nearest cell is widened (`quantizeNewRows`).
 */
export function unencodableReason(
  attributes: AttributesManifest | null,
  rows: Iterable<{ readonly attributes: AttributeValues }>,
): string | undefined {
  for (const row of rows) {
    for (const [name, value] of Object.entries(row.attributes)) {
      if (value === null || value === undefined) continue;
      const column = attributes?.columns.find((c) => c.name === name);
      if (column === undefined) return `the base has no attribute "${name}"`;
      if (column.type === 'category' && !column.dictionary.includes(String(value))) {
        return `category "${name}" value ${JSON.stringify(value)} is not in the base's dictionary`;
      }
      if ((column.type === 'number' || column.type === 'integer') && column.cellCount === 0) {
        return `number "${name}" had no value in the base (no cell to code ${value} in)`;
      }
    }
  }
  return undefined;
}

/**
 * Raw attribute columns of rows given as values (new rows of a partition), coded with the base's
 * dictionaries; `unencodableReason` must have passed.
 */
export function columnsFromValues(
  manifest: AttributesManifest,
  rows: readonly AttributeValues[],
): AttributeColumns {
  const columns = new Map<string, AttributeColumn>();
  for (const entry of manifest.columns) columns.set(entry.name, columnOf(entry, rows));
  return { rowCount: rows.length, schema: manifest.schema, columns };
}

function columnOf(entry: AttributeEntry, rows: readonly AttributeValues[]): AttributeColumn {
  const values = rows.map((row) => row[entry.name] ?? null);
  switch (entry.type) {
    case 'category': {
      const position = new Map(entry.dictionary.map((s, i) => [s, i]));
      const codes = Int32Array.from(values, (v) => (v === null ? -1 : position.get(String(v))!));
      return { type: 'category', dictionary: entry.dictionary, codes };
    }
    case 'boolean':
      return {
        type: 'boolean',
        values: Uint8Array.from(values, (v) => (v === null ? BOOLEAN_MISSING : v ? 1 : 0)),
      };
    default:
      return {
        type: entry.type,
        values: Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v))),
      };
  }
}

/**
 * The quantized codes of the compacted index (`count` rows): a surviving base row keeps its code
 * (`baseRowOf[row]` >= 0), a new row (`baseRowOf[row]` = -1) is coded with the base's cells and
 * dictionaries. A numeric value outside every cell widens the nearest cell's bounds, so range
 * filters on codes stay supersets of the exact answer (a widened cell is no longer `exact`, and
 * is less selective until the next full rebuild re-trains the cells).
 */
export function quantizeNewRows(
  base: QuantizedAttributes,
  count: number,
  baseRowOf: Int32Array,
  valuesOf: (row: number) => AttributeValues,
): QuantizedAttributes {
  const attributes = new Map<string, QuantizedAttribute>();
  for (const [name, q] of base.attributes) {
    const codes = new (q.codes.constructor as Uint8ArrayConstructor | Uint16ArrayConstructor)(count);
    const lower = 'cellLower' in q ? q.cellLower.slice() : undefined;
    const upper = 'cellUpper' in q ? q.cellUpper.slice() : undefined;
    const position = q.type === 'category' ? new Map(q.dictionary.map((s, i) => [s, i])) : undefined;
    for (let row = 0; row < count; row++) {
      const from = baseRowOf[row]!;
      if (from >= 0) {
        codes[row] = q.codes[from]!;
        continue;
      }
      const value = valuesOf(row)[name] ?? null;
      if (value === null) codes[row] = q.missingCode;
      else if (q.type === 'boolean') codes[row] = value ? 1 : 0;
      else if (position !== undefined) codes[row] = position.get(String(value))!;
      else codes[row] = widenedCell(lower!, upper!, Number(value));
    }
    attributes.set(name, withCodes(q, codes, lower, upper));
  }
  return { rowCount: count, attributes };
}

function withCodes(
  q: QuantizedAttribute,
  codes: Uint8Array | Uint16Array,
  lower: Float64Array | undefined,
  upper: Float64Array | undefined,
): QuantizedAttribute {
  if (q.type === 'category') return { ...q, codes };
  if (q.type === 'boolean') return { ...q, codes: codes as Uint8Array };
  const exact = lower!.every((lo, c) => lo === upper![c]);
  return { ...q, codes: codes as Uint8Array, cellLower: lower!, cellUpper: upper!, exact };
}

/** The cell of `value` among ordered, disjoint cells, widening the nearest one if none holds it. */
function widenedCell(lower: Float64Array, upper: Float64Array, value: number): number {
  let c = 0;
  while (c < upper.length && upper[c]! < value) c++;
  if (c === upper.length) {
    upper[c - 1] = value;
    return c - 1;
  }
  if (value >= lower[c]!) return c;
  if (c > 0 && value - upper[c - 1]! < lower[c]! - value) {
    upper[c - 1] = value;
    return c - 1;
  }
  lower[c] = value;
  return c;
}
