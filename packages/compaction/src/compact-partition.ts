import {
  type AttributeColumn,
  type AttributeColumns,
  encodeOsq,
  type LeanVecModel,
  l2Impl,
  type OsqQuantizer,
  type PartitionData,
  projectData,
  reducedMetric,
  trainOsq,
} from '@squash/core';
import type { AttributesManifest, RowMetadata } from '@squash/index-format';
import { type AttributeValues, columnsFromValues } from './attribute-codes.ts';

/** A row that enters a partition from the write log. */
export interface NewRow {
  /** Its global row number in the compacted index. */
  readonly rowId: number;
  readonly id: string;
  readonly vector: Float32Array;
  readonly attributes: AttributeValues;
  readonly metadata: RowMetadata;
}

/** Everything needed to rebuild one partition, already loaded: a pure computation. */
export interface PartitionRebuild {
  readonly leanvec: LeanVecModel;
  /** The partition's centroid in the reduced space (kept: see `compactPartition`). */
  readonly centroid: Float32Array;
  /** The base partition, its rows' result ids and metadata (local order). */
  readonly base: {
    readonly data: PartitionData;
    readonly ids: readonly string[];
    readonly metadata: readonly RowMetadata[];
  };
  /** Local rows of the base partition that survive, and their new global row numbers. */
  readonly keepLocal: ArrayLike<number>;
  readonly keepRowIds: ArrayLike<number>;
  readonly add: readonly NewRow[];
  /** The base's attribute columns (dictionaries), `null` without attributes. */
  readonly attributes: AttributesManifest | null;
  /** OSQ budget and seed, as the build used them. */
  readonly bitsPerDim: number;
  readonly maxBitsPerDim: number;
  readonly seed: number;
}

export interface RebuiltPartition {
  readonly data: PartitionData;
  /** Result id and metadata of each local row. */
  readonly ids: string[];
  readonly metadata: RowMetadata[];
  /** Largest reduced-space L2 distance from the centroid to a row (0 when empty). */
  readonly radius: number;
}

/**
 * Rebuilds one partition after a compaction: its surviving rows plus the rows the log routed to
 * it, ordered by new global row number, with an OSQ quantizer retrained on them (cheap: one
 * partition's reduced rows) so codes follow the data as it drifts.
 *
 * The centroid is kept and the radius recomputed over the live rows. Keeping centroids keeps the
 * routing's Voronoi cells the ones every row was assigned under, so new rows (assigned to their
 * nearest centroid) satisfy the hyperplane bound exactly and the ball bound holds by
 * construction; moving a centroid would move the cells of rows in untouched partitions. Drift of
 * the clusters themselves is what the full rebuild (past the tail threshold) is for. A partition
 * left empty keeps the base's quantizer (OSQ needs a row to train on) and radius 0.
 */
export function compactPartition(task: PartitionRebuild): RebuiltPartition {
  const { base, leanvec } = task;
  const dim = base.data.dim;
  const sources = orderRows(task);
  const rows = sources.length;
  const vectors = new Float32Array(rows * dim);
  const rowIds = new Uint32Array(rows);
  const ids: string[] = [];
  const metadata: RowMetadata[] = [];
  sources.forEach((source, j) => {
    rowIds[j] = source.rowId;
    if (source.local >= 0) {
      vectors.set(base.data.vectors.subarray(source.local * dim, (source.local + 1) * dim), j * dim);
      ids.push(base.ids[source.local]!);
      metadata.push(base.metadata[source.local]);
    } else {
      const row = task.add[-source.local - 1]!;
      vectors.set(row.vector, j * dim);
      ids.push(row.id);
      metadata.push(row.metadata);
    }
  });
  const d = leanvec.outputDim;
  const reduced = projectData(leanvec, vectors, rows);
  const quantizer = rows === 0 ? base.data.quantizer : retrain(task, reduced, rows, d);
  const data: PartitionData = {
    partitionId: base.data.partitionId,
    metric: base.data.metric,
    rowIds,
    dim,
    vectors,
    quantizer,
    codes: encodeOsq(quantizer, reduced, rows),
    attributes: task.attributes === null ? undefined : gatherAttributes(task, sources),
  };
  return { data, ids, metadata, radius: radiusOf(reduced, rows, d, task.centroid) };
}

/** Row sources in ascending new row number: `local` >= 0 a base row, else new row -local-1. */
function orderRows(task: PartitionRebuild): Array<{ rowId: number; local: number }> {
  const sources: Array<{ rowId: number; local: number }> = [];
  for (let k = 0; k < task.keepLocal.length; k++)
    sources.push({ rowId: task.keepRowIds[k]!, local: task.keepLocal[k]! });
  task.add.forEach((row, k) => {
    sources.push({ rowId: row.rowId, local: -k - 1 });
  });
  return sources.sort((a, b) => a.rowId - b.rowId);
}

function retrain(task: PartitionRebuild, reduced: Float32Array, rows: number, d: number): OsqQuantizer {
  return trainOsq(reduced, rows, d, {
    metric: reducedMetric(task.leanvec),
    bitsPerVector: task.bitsPerDim * d,
    maxBitsPerDim: task.maxBitsPerDim,
    seed: task.seed + task.base.data.partitionId,
  });
}

/** As the build's `partitionRadii`: a float32 max, nudged up so rounding never shrinks the ball. */
function radiusOf(reduced: Float32Array, rows: number, d: number, centroid: Float32Array): number {
  let radius = 0;
  for (let j = 0; j < rows; j++) {
    const distance = Math.sqrt(l2Impl(reduced, j * d, centroid, 0, d));
    if (distance > radius) radius = Math.fround(distance * (1 + 1e-6)) + 1e-6;
  }
  return radius;
}

function gatherAttributes(
  task: PartitionRebuild,
  sources: ReadonlyArray<{ local: number }>,
): AttributeColumns {
  const baseColumns = task.base.data.attributes!;
  const added = columnsFromValues(
    task.attributes!,
    task.add.map((row) => row.attributes),
  );
  const columns = new Map<string, AttributeColumn>();
  for (const [name, column] of baseColumns.columns) {
    const fresh = added.columns.get(name)!;
    columns.set(name, pick(column, fresh, sources));
  }
  return { rowCount: sources.length, schema: baseColumns.schema, columns };
}

function pick(
  base: AttributeColumn,
  added: AttributeColumn,
  sources: ReadonlyArray<{ local: number }>,
): AttributeColumn {
  const from = (j: number): [AttributeColumn, number] => {
    const local = sources[j]!.local;
    return local >= 0 ? [base, local] : [added, -local - 1];
  };
  const valuesOf = (column: AttributeColumn) => (column.type === 'category' ? column.codes : column.values);
  const fill = <T extends Float64Array | Int32Array | Uint8Array>(out: T): T => {
    for (let j = 0; j < sources.length; j++) {
      const [column, row] = from(j);
      out[j] = valuesOf(column)[row]!;
    }
    return out;
  };
  if (base.type === 'category') {
    return { type: 'category', dictionary: base.dictionary, codes: fill(new Int32Array(sources.length)) };
  }
  if (base.type === 'boolean') return { type: 'boolean', values: fill(new Uint8Array(sources.length)) };
  return { type: base.type, values: fill(new Float64Array(sources.length)) };
}
