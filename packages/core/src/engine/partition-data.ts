import type { AttributeColumns } from '../attributes/attribute-columns.ts';
import type { Metric } from '../distance/metric.ts';
import type { OsqCodes, OsqQuantizer } from '../osq/osq-quantizer.ts';

/**
 * Everything one partition holds: the unit a processor loads and keeps in memory. Rows are
 * addressed two ways: local position 0..rows-1 within the partition, and the global row id
 * (`rowIds[local]`), which results carry.
 */
export interface PartitionData {
  readonly partitionId: number;
  readonly metric: Metric;
  /** Global row ids of the partition's rows, ascending. */
  readonly rowIds: Uint32Array;
  /** D: dimension of the full-precision vectors. */
  readonly dim: number;
  /** rows x D full-precision vectors, row-major, for the exact re-rank. */
  readonly vectors: Float32Array;
  /** OSQ quantizer trained on this partition's LeanVec-reduced rows. */
  readonly quantizer: OsqQuantizer;
  /** The rows' OSQ codes (segment-major) and binary sign codes. */
  readonly codes: OsqCodes;
  /** Raw attribute values of the rows (local positions), for the exact filter re-check. */
  readonly attributes: AttributeColumns | undefined;
}

export function partitionRowCount(partition: PartitionData): number {
  return partition.rowIds.length;
}
