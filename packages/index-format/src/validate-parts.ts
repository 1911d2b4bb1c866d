import {
  type AttributeColumn,
  type AttributeColumns,
  isMetric,
  type PartitionData,
  type QuantizedAttributes,
  type VectorIndexParts,
} from '@squash/core';
import { InvalidArgumentError } from '@squash/errors';

/** Longest index name accepted (it is shown in listings and error messages, not used in keys). */
export const MAX_INDEX_NAME_LENGTH = 256;

/**
 * Checks, before anything is written, that the parts form one consistent index the format can
 * store: array lengths fit the dimensions, partitions are numbered 0..P-1, their ascending row ids
 * cover 0..count-1 exactly once and agree with `membership`, and attributes are all present or all
 * absent (raw columns, quantized codes, every partition), with each partition's raw values equal
 * to the index-wide ones at its rows. The index-wide raw attributes are not stored separately
 * but rebuilt from the partitions, which this last check makes lossless.
 *
 * @throws InvalidArgumentError (argument `index` or `meta.*`) naming the first inconsistency.
 */
export function validateParts(parts: VectorIndexParts, meta: ValidatedMeta): void {
  ensure(isMetric(parts.metric), `metric is ${JSON.stringify(parts.metric)}`);
  ensure(
    Number.isSafeInteger(parts.count) && parts.count >= 1,
    `count is ${parts.count}; allowed: an integer >= 1`,
  );
  ensure(Number.isSafeInteger(parts.dim) && parts.dim >= 1, `dim is ${parts.dim}; allowed: an integer >= 1`);
  validateMeta(parts, meta);
  const d = parts.leanvec.outputDim;
  const partitions = parts.partitions.length;
  ensure(
    parts.leanvec.inputDim === parts.dim,
    `leanvec.inputDim is ${parts.leanvec.inputDim}; dim is ${parts.dim}`,
  );
  ensure(partitions >= 1, 'the index has no partitions');
  ensure(
    parts.centroids.length === partitions * d,
    `centroids hold ${parts.centroids.length} values; expected ${partitions * d}`,
  );
  ensure(
    parts.radii.length === partitions,
    `radii hold ${parts.radii.length} values; expected ${partitions}`,
  );
  ensure(
    parts.membership.length === parts.count,
    `membership has ${parts.membership.length} rows; count is ${parts.count}`,
  );
  let rows = 0;
  parts.partitions.forEach((partition, p) => {
    validatePartition(parts, partition, p);
    rows += partition.rowIds.length;
  });
  ensure(rows === parts.count, `partitions hold ${rows} rows; count is ${parts.count}`);
  validateAttributes(parts);
}

interface ValidatedMeta {
  readonly name: string;
  readonly ids?: readonly string[];
  readonly logSequence?: number;
  readonly metadata?: ReadonlyArray<Record<string, unknown> | undefined>;
}

function validateMeta(parts: VectorIndexParts, meta: ValidatedMeta): void {
  validateMetadata(parts, meta.metadata);
  if (meta.logSequence !== undefined && (!Number.isSafeInteger(meta.logSequence) || meta.logSequence < 0)) {
    throw new InvalidArgumentError(
      'meta.logSequence',
      `meta.logSequence is ${meta.logSequence}; allowed: an integer >= 0`,
    );
  }
  if (typeof meta.name !== 'string' || meta.name.length === 0 || meta.name.length > MAX_INDEX_NAME_LENGTH) {
    throw new InvalidArgumentError(
      'meta.name',
      `index name is ${JSON.stringify(meta.name)}; allowed: a string of 1..${MAX_INDEX_NAME_LENGTH} characters`,
    );
  }
  if (meta.ids === undefined) return;
  if (!Array.isArray(meta.ids) || meta.ids.length !== parts.count) {
    throw new InvalidArgumentError(
      'meta.ids',
      `meta.ids must be an array of ${parts.count} strings (one per row)`,
    );
  }
  const badAt = meta.ids.findIndex((id) => typeof id !== 'string');
  if (badAt >= 0) throw new InvalidArgumentError('meta.ids', `meta.ids[${badAt}] is not a string`);
}

function validateMetadata(parts: VectorIndexParts, metadata: ValidatedMeta['metadata']): void {
  if (metadata === undefined) return;
  if (!Array.isArray(metadata) || metadata.length !== parts.count) {
    throw new InvalidArgumentError(
      'meta.metadata',
      `meta.metadata must be an array of ${parts.count} entries (one per row, undefined for none)`,
    );
  }
  const badAt = metadata.findIndex(
    (m) => m !== undefined && (typeof m !== 'object' || m === null || Array.isArray(m)),
  );
  if (badAt >= 0) {
    throw new InvalidArgumentError(
      'meta.metadata',
      `meta.metadata[${badAt}] is ${JSON.stringify(metadata[badAt])}; allowed: a JSON object or undefined`,
    );
  }
}

function validatePartition(parts: VectorIndexParts, partition: PartitionData, p: number): void {
  const rows = partition.rowIds.length;
  const q = partition.quantizer;
  const at = `partition ${p}`;
  ensure(
    partition.partitionId === p,
    `${at} has partitionId ${partition.partitionId}; partitions must be numbered 0..P-1 in order`,
  );
  ensure(
    partition.metric === parts.metric && partition.dim === parts.dim,
    `${at} has metric/dim ${partition.metric}/${partition.dim}`,
  );
  ensure(
    partition.vectors.length === rows * parts.dim,
    `${at} holds ${partition.vectors.length} vector values for ${rows} rows`,
  );
  ensure(
    q.dim === parts.leanvec.outputDim,
    `${at} quantizer has dim ${q.dim}; leanvec outputDim is ${parts.leanvec.outputDim}`,
  );
  ensure(
    partition.codes.n === rows &&
      partition.codes.codes.length === rows * q.layout.bytesPerVector &&
      partition.codes.binary.length === rows * q.binaryWordsPerVector,
    `${at} codes do not match its ${rows} rows and quantizer layout`,
  );
  for (let j = 0; j < rows; j++) {
    const row = partition.rowIds[j]!;
    ensure(
      j === 0 || row > partition.rowIds[j - 1]!,
      `${at} row ids are not strictly ascending at position ${j}`,
    );
    ensure(
      row < parts.count && parts.membership[row] === p,
      `${at} lists row ${row}, which membership puts elsewhere`,
    );
  }
}

function validateAttributes(parts: VectorIndexParts): void {
  const { attributes, quantizedAttributes } = parts;
  const withRaw = parts.partitions.filter((partition) => partition.attributes !== undefined).length;
  if (attributes === undefined) {
    ensure(
      quantizedAttributes === undefined && withRaw === 0,
      'attributes are absent but quantized or partition attributes exist',
    );
    return;
  }
  ensure(
    quantizedAttributes !== undefined && withRaw === parts.partitions.length,
    'attributes are present but quantized attributes or some partition attributes are missing',
  );
  ensure(
    attributes.rowCount === parts.count,
    `attributes describe ${attributes.rowCount} rows; count is ${parts.count}`,
  );
  validateQuantized(attributes, quantizedAttributes!, parts.count);
  for (const partition of parts.partitions) {
    for (const name of Object.keys(attributes.schema)) {
      const global = attributes.columns.get(name)!;
      const local = partition.attributes!.columns.get(name);
      ensure(
        local !== undefined && sameAtRows(global, local, partition.rowIds),
        `partition ${partition.partitionId} attribute "${name}" differs from the index-wide values at its rows`,
      );
    }
  }
}

function validateQuantized(
  attributes: AttributeColumns,
  quantized: QuantizedAttributes,
  count: number,
): void {
  const names = Object.keys(attributes.schema);
  ensure(
    quantized.rowCount === count,
    `quantized attributes describe ${quantized.rowCount} rows; count is ${count}`,
  );
  ensure(quantized.attributes.size === names.length, 'quantized attributes do not match the schema');
  for (const name of names) {
    const column = attributes.columns.get(name);
    const q = quantized.attributes.get(name);
    ensure(
      column !== undefined && q !== undefined && column.type === q.type,
      `attribute "${name}" is not stored consistently`,
    );
    if (column?.type === 'category' && q?.type === 'category') {
      ensure(
        sameStrings(column.dictionary, q.dictionary),
        `attribute "${name}" has two different dictionaries`,
      );
    }
  }
}

function sameAtRows(global: AttributeColumn, local: AttributeColumn, rowIds: Uint32Array): boolean {
  if (global.type !== local.type) return false;
  if (
    global.type === 'category' &&
    local.type === 'category' &&
    !sameStrings(global.dictionary, local.dictionary)
  ) {
    return false;
  }
  const a = global.type === 'category' ? global.codes : global.values;
  const b = local.type === 'category' ? local.codes : local.values;
  if (b.length !== rowIds.length) return false;
  for (let j = 0; j < rowIds.length; j++) {
    const x = a[rowIds[j]!]!;
    const y = b[j]!;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((s, i) => s === b[i]));
}

function ensure(condition: boolean, message: string): void {
  if (!condition) throw new InvalidArgumentError('index', `cannot publish the index: ${message}`);
}
