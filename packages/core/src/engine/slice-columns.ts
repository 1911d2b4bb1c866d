import type { AttributeColumn, AttributeColumns } from '../attributes/attribute-columns.ts';

/**
 * The attribute values of the given rows, as a new column store whose row i is `rowIds[i]` of
 * the source (a partition's local view). Category dictionaries are shared, not copied.
 */
export function sliceColumns(source: AttributeColumns, rowIds: Uint32Array): AttributeColumns {
  const columns = new Map<string, AttributeColumn>();
  for (const [name, column] of source.columns) columns.set(name, sliceColumn(column, rowIds));
  return { rowCount: rowIds.length, schema: source.schema, columns };
}

function sliceColumn(column: AttributeColumn, rowIds: Uint32Array): AttributeColumn {
  switch (column.type) {
    case 'number':
    case 'integer': {
      const values = new Float64Array(rowIds.length);
      for (let i = 0; i < rowIds.length; i++) values[i] = column.values[rowIds[i]!]!;
      return { type: column.type, values };
    }
    case 'category': {
      const codes = new Int32Array(rowIds.length);
      for (let i = 0; i < rowIds.length; i++) codes[i] = column.codes[rowIds[i]!]!;
      return { type: 'category', dictionary: column.dictionary, codes };
    }
    case 'boolean': {
      const values = new Uint8Array(rowIds.length);
      for (let i = 0; i < rowIds.length; i++) values[i] = column.values[rowIds[i]!]!;
      return { type: 'boolean', values };
    }
  }
}
