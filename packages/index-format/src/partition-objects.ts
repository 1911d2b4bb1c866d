import type { Metric, PartitionData } from '@squash/core';
import { decodeRawAttributes, encodeRawAttributes } from './attribute-objects.ts';
import { encodeBlocks, numericBlock, stringsBlock } from './binary-array.ts';
import { BlockReader } from './block-reader.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import type { AttributesManifest, PartitionEntry, QuantizerScalars } from './manifest.ts';
import { decodeQuantizer, encodeQuantizer } from './quantizer-object.ts';
import type { PartitionObjectName } from './store-layout.ts';

/**
 * The objects of one partition (rows = the partition's rows, D = full dimension, S = code bytes
 * per row, W = binary words per row):
 * - `vectors.bin`: `VECS` f32 [rows, D]; row r is bytes `40 + r * D * 4` .. `+ D * 4`, so the
 *   exact re-rank can fetch single rows with ranged reads;
 * - `osq-codes.bin`: `OSQC` u8 [S, rows], segment-major (byte s of row i at `s * rows + i`);
 * - `binary-codes.bin`: `BINC` u32 [rows, W];
 * - `row-ids.bin`: `ROWS` u32 [rows], global row ids, ascending;
 * - `quantizer.bin`: see `quantizer-object.ts`;
 * - `attributes.bin`: see `attribute-objects.ts` (when the index has attributes);
 * - `ids.bin`: `IDST` utf8 [rows], the string ids (when ids are not row numbers).
 */

export interface EncodedPartition {
  readonly objects: ReadonlyArray<{ readonly name: PartitionObjectName; readonly bytes: Uint8Array }>;
  readonly quantizer: QuantizerScalars;
}

export function encodePartition(
  partition: PartitionData,
  attributes: AttributesManifest | null,
  ids: readonly string[] | null,
): EncodedPartition {
  const rows = partition.rowIds.length;
  const { codes } = partition;
  const quantizer = encodeQuantizer(partition.quantizer);
  const objects: Array<{ name: PartitionObjectName; bytes: Uint8Array }> = [
    {
      name: 'vectors',
      bytes: encodeBlocks([numericBlock('VECS', partition.vectors, [rows, partition.dim])]),
    },
    {
      name: 'osq-codes',
      bytes: encodeBlocks([numericBlock('OSQC', codes.codes, [quantizer.scalars.bytesPerVector, rows])]),
    },
    {
      name: 'binary-codes',
      bytes: encodeBlocks([
        numericBlock('BINC', codes.binary, [rows, quantizer.scalars.binaryWordsPerVector]),
      ]),
    },
    { name: 'row-ids', bytes: encodeBlocks([numericBlock('ROWS', partition.rowIds)]) },
    { name: 'quantizer', bytes: quantizer.bytes },
  ];
  if (attributes !== null) {
    objects.push({ name: 'attributes', bytes: encodeRawAttributes(partition.attributes!, attributes) });
  }
  if (ids !== null) {
    objects.push({
      name: 'ids',
      bytes: encodeBlocks([
        stringsBlock(
          'IDST',
          Array.from(partition.rowIds, (r) => ids[r]!),
        ),
      ]),
    });
  }
  return { objects, quantizer: quantizer.scalars };
}

/** Bytes of each object of a partition, keyed like `PartitionObjects`, with their full keys. */
export interface PartitionBytes {
  readonly vectors: { readonly key: string; readonly bytes: Uint8Array };
  readonly osqCodes: { readonly key: string; readonly bytes: Uint8Array };
  readonly binaryCodes: { readonly key: string; readonly bytes: Uint8Array };
  readonly rowIds: { readonly key: string; readonly bytes: Uint8Array };
  readonly quantizer: { readonly key: string; readonly bytes: Uint8Array };
  readonly attributes: { readonly key: string; readonly bytes: Uint8Array } | undefined;
  readonly ids: { readonly key: string; readonly bytes: Uint8Array } | undefined;
}

export interface PartitionContext {
  readonly metric: Metric;
  readonly dim: number;
  readonly count: number;
  readonly attributes: AttributesManifest | null;
}

/** Decodes a partition's objects, checking every block against the manifest entry. */
export function decodePartition(
  entry: PartitionEntry,
  objects: PartitionBytes,
  context: PartitionContext,
): { data: PartitionData; ids: string[] | null } {
  const { rows, quantizer: scalars } = entry;
  const vectors = new BlockReader(objects.vectors.bytes, objects.vectors.key);
  const osq = new BlockReader(objects.osqCodes.bytes, objects.osqCodes.key);
  const binary = new BlockReader(objects.binaryCodes.bytes, objects.binaryCodes.key);
  const rowIdsReader = new BlockReader(objects.rowIds.bytes, objects.rowIds.key);
  const data: PartitionData = {
    partitionId: entry.id,
    metric: context.metric,
    rowIds: checkRowIds(
      rowIdsReader.numeric<Uint32Array>('ROWS', 'u32', [rows]),
      context.count,
      objects.rowIds.key,
    ),
    dim: context.dim,
    vectors: vectors.numeric<Float32Array>('VECS', 'f32', [rows, context.dim]),
    quantizer: decodeQuantizer(objects.quantizer.bytes, objects.quantizer.key, scalars),
    codes: {
      codes: osq.numeric<Uint8Array>('OSQC', 'u8', [scalars.bytesPerVector, rows]),
      binary: binary.numeric<Uint32Array>('BINC', 'u32', [rows, scalars.binaryWordsPerVector]),
      n: rows,
    },
    attributes:
      context.attributes === null || objects.attributes === undefined
        ? undefined
        : decodeRawAttributes(objects.attributes.bytes, objects.attributes.key, context.attributes, rows),
  };
  for (const reader of [vectors, osq, binary, rowIdsReader]) reader.end();
  let ids: string[] | null = null;
  if (objects.ids !== undefined) {
    const reader = new BlockReader(objects.ids.bytes, objects.ids.key);
    ids = [...reader.strings('IDST', rows)];
    reader.end();
  }
  return { data, ids };
}

/** Row ids must be ascending and inside the index, or routing would index past its arrays. */
function checkRowIds(rowIds: Uint32Array, count: number, key: string): Uint32Array {
  for (let j = 0; j < rowIds.length; j++) {
    if (rowIds[j]! >= count || (j > 0 && rowIds[j]! <= rowIds[j - 1]!)) {
      throw new IndexCorruptError(
        key,
        `object ${key}: row id ${rowIds[j]} at position ${j} is not ascending within 0..${count - 1}`,
      );
    }
  }
  return rowIds;
}
