import type { AttributeColumns } from '@squash/core';
import { BOOLEAN_MISSING } from '@squash/core';
import type { RowMetadata, TailRow } from '@squash/index-format';
import type { AttributeValues } from './attribute-codes.ts';

/** The rows of the index after the compaction, gathered in memory for a full rebuild. */
export interface LiveRows {
  readonly count: number;
  /** count x D, row-major. */
  readonly vectors: Float32Array;
  readonly ids: string[];
  readonly attributes: AttributeValues[];
  readonly metadata: RowMetadata[];
}

/** A base row's attribute values as the log would hold them (missing -> absent). */
export function valuesAt(columns: AttributeColumns | undefined, row: number): AttributeValues {
  const out: Record<string, string | number | boolean> = {};
  if (columns === undefined) return out;
  for (const [name, column] of columns.columns) {
    if (column.type === 'category') {
      const code = column.codes[row]!;
      if (code >= 0) out[name] = column.dictionary[code]!;
    } else if (column.type === 'boolean') {
      const v = column.values[row]!;
      if (v !== BOOLEAN_MISSING) out[name] = v === 1;
    } else if (!Number.isNaN(column.values[row]!)) out[name] = column.values[row]!;
  }
  return out;
}

/** Appends the tail's upserts, in id order so a rebuild is reproducible, after `base` rows. */
export function withTail(
  base: Omit<LiveRows, 'vectors' | 'count'> & { vectors: Float32Array[] },
  tail: ReadonlyMap<string, TailRow>,
  dim: number,
): LiveRows {
  const rows = [...tail.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const count = base.ids.length + rows.length;
  const vectors = new Float32Array(count * dim);
  base.vectors.forEach((v, i) => {
    vectors.set(v, i * dim);
  });
  rows.forEach((row, k) => {
    vectors.set(row.vector, (base.ids.length + k) * dim);
  });
  return {
    count,
    vectors,
    ids: [...base.ids, ...rows.map((r) => r.id)],
    attributes: [...base.attributes, ...rows.map((r) => r.attributes)],
    metadata: [...base.metadata, ...rows.map((r) => r.metadata)],
  };
}
