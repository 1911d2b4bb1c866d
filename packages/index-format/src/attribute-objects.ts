import {
  type AttributeColumn,
  type AttributeColumns,
  BOOLEAN_MISSING,
  type PartitionData,
  type QuantizedAttribute,
  type QuantizedAttributes,
} from '@squash/core';
import { encodeBlocks, numericBlock } from './binary-array.ts';
import { BlockReader } from './block-reader.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import type { AttributeEntry, AttributesManifest } from './manifest.ts';

/**
 * Attribute objects. The manifest lists the attributes in a fixed order (`columns`); both objects
 * hold one group of blocks per attribute in that order:
 * - a partition's raw attributes (exact filter re-check): `ATTR` [rows], f64 for number / integer
 *   (NaN = missing), i32 dictionary codes for category (-1 = missing), u8 for boolean (0, 1,
 *   255 = missing);
 * - the global quantized attributes (routing): `ACOD` [count] codes (u8, or u16 for categories of
 *   more than 255 strings), followed for number / integer by `ALOW` and `AUPP` f64 [cellCount], the
 *   cell bounds. Category dictionaries are in the manifest.
 */

/** The manifest's description of the attributes; dictionaries are taken from the raw columns. */
export function describeAttributes(
  attributes: AttributeColumns,
  quantized: QuantizedAttributes,
): AttributesManifest {
  const columns = Object.keys(attributes.schema).map((name): AttributeEntry => {
    const column = attributes.columns.get(name)!;
    const q = quantized.attributes.get(name)!;
    if (column.type === 'category') {
      return {
        name,
        type: 'category',
        dictionary: column.dictionary,
        codeBits: q.codes instanceof Uint16Array ? 16 : 8,
      };
    }
    if (column.type === 'boolean') return { name, type: 'boolean' };
    const numeric = q as Extract<QuantizedAttribute, { cellLower: Float64Array }>;
    return {
      name,
      type: column.type,
      cellCount: numeric.cellCount,
      missingCode: numeric.missingCode,
      exact: numeric.exact,
    };
  });
  return { schema: attributes.schema, columns };
}

export function encodeRawAttributes(attributes: AttributeColumns, manifest: AttributesManifest): Uint8Array {
  return encodeBlocks(
    manifest.columns.map((entry) => {
      const column = attributes.columns.get(entry.name)!;
      return numericBlock('ATTR', column.type === 'category' ? column.codes : column.values);
    }),
  );
}

export function decodeRawAttributes(
  bytes: Uint8Array,
  key: string,
  manifest: AttributesManifest,
  rows: number,
): AttributeColumns {
  const reader = new BlockReader(bytes, key);
  const columns = new Map<string, AttributeColumn>();
  for (const entry of manifest.columns) {
    if (entry.type === 'category') {
      const codes = reader.numeric<Int32Array>('ATTR', 'i32', [rows]);
      checkCodes(codes, -1, entry.dictionary.length - 1, key, entry.name);
      columns.set(entry.name, { type: 'category', dictionary: entry.dictionary, codes });
    } else if (entry.type === 'boolean') {
      columns.set(entry.name, { type: 'boolean', values: reader.numeric<Uint8Array>('ATTR', 'u8', [rows]) });
    } else {
      columns.set(entry.name, {
        type: entry.type,
        values: reader.numeric<Float64Array>('ATTR', 'f64', [rows]),
      });
    }
  }
  reader.end();
  return { rowCount: rows, schema: manifest.schema, columns };
}

export function encodeQuantizedAttributes(
  quantized: QuantizedAttributes,
  manifest: AttributesManifest,
): Uint8Array {
  return encodeBlocks(
    manifest.columns.flatMap((entry) => {
      const q = quantized.attributes.get(entry.name)!;
      const codes = numericBlock('ACOD', q.codes);
      if (q.type === 'category' || q.type === 'boolean') return [codes];
      return [codes, numericBlock('ALOW', q.cellLower), numericBlock('AUPP', q.cellUpper)];
    }),
  );
}

export function decodeQuantizedAttributes(
  bytes: Uint8Array,
  key: string,
  manifest: AttributesManifest,
  count: number,
): QuantizedAttributes {
  const reader = new BlockReader(bytes, key);
  const attributes = new Map<string, QuantizedAttribute>();
  for (const entry of manifest.columns) {
    if (entry.type === 'category') {
      const codes = reader.numeric<Uint8Array | Uint16Array>('ACOD', entry.codeBits === 8 ? 'u8' : 'u16', [
        count,
      ]);
      const missingCode = entry.dictionary.length;
      checkCodes(codes, 0, missingCode, key, entry.name);
      attributes.set(entry.name, { type: 'category', codes, dictionary: entry.dictionary, missingCode });
    } else if (entry.type === 'boolean') {
      const codes = reader.numeric<Uint8Array>('ACOD', 'u8', [count]);
      checkCodes(codes, 0, 2, key, entry.name);
      attributes.set(entry.name, { type: 'boolean', codes, missingCode: 2 });
    } else {
      const codes = reader.numeric<Uint8Array>('ACOD', 'u8', [count]);
      checkCodes(codes, 0, entry.missingCode, key, entry.name);
      const cellLower = reader.numeric<Float64Array>('ALOW', 'f64', [entry.cellCount]);
      const cellUpper = reader.numeric<Float64Array>('AUPP', 'f64', [entry.cellCount]);
      const { type, cellCount, missingCode, exact } = entry;
      attributes.set(entry.name, { type, codes, cellCount, missingCode, cellLower, cellUpper, exact });
    }
  }
  reader.end();
  return { rowCount: count, attributes };
}

/**
 * The index-wide raw attributes, reassembled from the partitions' (row `rowIds[j]` of the index is
 * row j of its partition), so they are stored once, not twice.
 */
export function scatterAttributes(
  partitions: readonly PartitionData[],
  manifest: AttributesManifest,
  count: number,
): AttributeColumns {
  const columns = new Map<string, AttributeColumn>();
  for (const entry of manifest.columns) {
    const column = emptyColumn(entry, count);
    for (const partition of partitions) {
      const source = partition.attributes!.columns.get(entry.name)!;
      const target = column.type === 'category' ? column.codes : column.values;
      const values = source.type === 'category' ? source.codes : source.values;
      const { rowIds } = partition;
      for (let j = 0; j < rowIds.length; j++) target[rowIds[j]!] = values[j]!;
    }
    columns.set(entry.name, column);
  }
  return { rowCount: count, schema: manifest.schema, columns };
}

function emptyColumn(entry: AttributeEntry, count: number): AttributeColumn {
  switch (entry.type) {
    case 'category':
      return { type: 'category', dictionary: entry.dictionary, codes: new Int32Array(count).fill(-1) };
    case 'boolean':
      return { type: 'boolean', values: new Uint8Array(count).fill(BOOLEAN_MISSING) };
    default:
      return { type: entry.type, values: new Float64Array(count).fill(Number.NaN) };
  }
}

/** Codes index tables and dictionaries: one out of range would read past them in a search. */
function checkCodes(codes: ArrayLike<number>, min: number, max: number, key: string, name: string): void {
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code < min || code > max) {
      throw new IndexCorruptError(
        key,
        `object ${key}: attribute "${name}" has code ${code} at row ${i}; allowed ${min}..${max}`,
      );
    }
  }
}
