import { InvalidArgumentError } from '@squash/errors';
import type { BlobStore } from '@squash/storage';
import { BLOCK_HEADER_BYTES, encodeBlocks, stringsBlock } from './binary-array.ts';
import { BlockReader } from './block-reader.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import { readLittleEndian } from './little-endian.ts';
import { partitionEntry } from './load-partition.ts';
import type { IndexManifest } from './manifest.ts';
import { mapLimit } from './map-limit.ts';
import { readObject } from './read-object.ts';
import { objectKey } from './store-layout.ts';

/**
 * The metadata object of a partition, `partitions/<p>/metadata.bin`: one `utf8` block `META`
 * [rows] whose string j is the JSON text of local row j's metadata object, or the empty string
 * when the row has none (a JSON object is never empty text, so the two cannot be confused).
 *
 * Metadata is stored and returned, never filtered on, so it lives apart from the codes, vectors
 * and attributes a search scans: a processor never loads it, and a query reads it only for the
 * rows it returns. The `utf8` layout (header, `rows + 1` u32 offsets, then the bytes) lets
 * `readRowMetadata` fetch a few rows with ranged reads: one read of the header and the offsets
 * up to the highest requested row, then one read per run of adjacent requested rows.
 *
 * A partition whose rows carry no metadata has no metadata object (`objects.metadata` absent).
 */

export const METADATA_TAG = 'META';

/** A row's metadata: a JSON object, or `undefined` when the row has none. */
export type RowMetadata = Record<string, unknown> | undefined;

/** The bytes of a partition's metadata object: `metadata[j]` is local row j's. */
export function encodeMetadataObject(metadata: readonly RowMetadata[]): Uint8Array {
  return encodeBlocks([
    stringsBlock(
      METADATA_TAG,
      metadata.map((m) => (m === undefined ? '' : JSON.stringify(m))),
    ),
  ]);
}

/** Decodes a whole metadata object of `rows` rows (compaction carries every row of a partition). */
export function decodeMetadataObject(bytes: Uint8Array, key: string, rows: number): RowMetadata[] {
  const reader = new BlockReader(bytes, key);
  const strings = reader.strings(METADATA_TAG, rows);
  reader.end();
  return strings.map((text, j) => parseRow(text, key, j));
}

/**
 * Every row's metadata of one partition of a pinned manifest (local order), read whole and
 * checked against the manifest's size and CRC-32C; all `undefined` when the partition has none.
 *
 * @throws IndexCorruptError naming the object when it is missing, damaged or malformed.
 */
export async function loadPartitionMetadata(
  store: BlobStore,
  manifest: IndexManifest,
  partitionId: number,
  options: { readonly verify?: boolean } = {},
): Promise<RowMetadata[]> {
  const entry = partitionEntry(manifest, partitionId);
  const ref = entry.objects.metadata;
  if (ref === undefined) return new Array<RowMetadata>(entry.rows).fill(undefined);
  const object = await readObject(store, manifest.version, ref, options.verify ?? true);
  return decodeMetadataObject(object.bytes, object.key, entry.rows);
}

/**
 * The metadata of local rows `localRows` (any order, duplicates allowed) of one partition,
 * in request order, fetched with ranged reads (see the module comment): a query pays for the
 * rows it returns, not for the partition. A range cannot be checked against the object's
 * CRC-32C; the header, the offsets and each row's JSON are checked instead.
 *
 * @throws InvalidArgumentError for an unknown partition or a row outside 0..rows-1.
 * @throws IndexCorruptError naming the object when it is missing, truncated or malformed.
 */
export async function readRowMetadata(
  store: BlobStore,
  manifest: IndexManifest,
  partitionId: number,
  localRows: readonly number[],
  options: { readonly concurrency?: number } = {},
): Promise<RowMetadata[]> {
  const entry = partitionEntry(manifest, partitionId);
  localRows.forEach((row, k) => {
    if (!Number.isInteger(row) || row < 0 || row >= entry.rows) {
      throw new InvalidArgumentError(
        'localRows',
        `localRows[${k}] is ${row}; partition ${partitionId} has rows 0..${entry.rows - 1}`,
      );
    }
  });
  const ref = entry.objects.metadata;
  if (ref === undefined || localRows.length === 0) return localRows.map(() => undefined);
  const key = objectKey(manifest.version, ref.key);
  const maxRow = Math.max(...localRows);
  const head = await getRange(store, key, 0, BLOCK_HEADER_BYTES + (maxRow + 2) * 4);
  const payloadBytes = checkHeader(head, key, entry.rows, ref.bytes);
  const offsets = readLittleEndian(head, BLOCK_HEADER_BYTES, 'u32', maxRow + 2) as Uint32Array;
  const areaStart = BLOCK_HEADER_BYTES + (entry.rows + 1) * 4;
  const areaBytes = payloadBytes - (entry.rows + 1) * 4;
  const runs = adjacentRuns(localRows);
  const texts = await mapLimit(runs, options.concurrency ?? 8, async ({ first, last }) => {
    const start = offsets[first]!;
    const end = offsets[last + 1]!;
    if (end < start || end > areaBytes) {
      throw corrupt(
        key,
        `offsets of rows ${first}..${last} (${start}..${end}) leave the byte area 0..${areaBytes}`,
      );
    }
    const bytes = await getRange(store, key, areaStart + start, end - start);
    if (bytes.byteLength !== end - start)
      throw corrupt(key, `rows ${first}..${last} are past its end (truncated)`);
    return { first, bytes, offsets: offsets.subarray(first, last + 2) };
  });
  const byRow = new Map<number, RowMetadata>();
  for (const run of texts) {
    for (let i = 0; i + 1 < run.offsets.length; i++) {
      const lo = run.offsets[i]! - run.offsets[0]!;
      const hi = run.offsets[i + 1]! - run.offsets[0]!;
      if (hi < lo) throw corrupt(key, `offset of row ${run.first + i + 1} is below the one before it`);
      byRow.set(run.first + i, parseRow(decodeText(run.bytes.subarray(lo, hi), key), key, run.first + i));
    }
  }
  return localRows.map((row) => byRow.get(row));
}

/** Checks the block header at the start of `head`; returns the payload length. */
function checkHeader(head: Uint8Array, key: string, rows: number, objectBytes: number): number {
  if (head.byteLength < BLOCK_HEADER_BYTES) throw corrupt(key, 'its header is truncated');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const text = (at: number) => String.fromCharCode(...head.subarray(at, at + 4));
  const payloadBytes = Number(view.getBigUint64(32, true));
  const problem =
    text(0) !== 'SQSH'
      ? 'magic is not SQSH'
      : text(4) !== METADATA_TAG
        ? `block is ${JSON.stringify(text(4))}; expected ${METADATA_TAG}`
        : head[8] !== 1 || head[9] !== 7 || head[10] !== 1
          ? 'block is not a version 1 utf8 block of rank 1'
          : view.getUint32(16, true) !== rows
            ? `block holds ${view.getUint32(16, true)} rows; the partition has ${rows}`
            : BLOCK_HEADER_BYTES + Math.ceil(payloadBytes / 8) * 8 !== objectBytes ||
                payloadBytes < (rows + 1) * 4
              ? `payload of ${payloadBytes} bytes does not fit the recorded ${objectBytes} bytes`
              : undefined;
  if (problem !== undefined) throw corrupt(key, problem);
  if (head.byteLength < BLOCK_HEADER_BYTES + 4 || view.getUint32(BLOCK_HEADER_BYTES, true) !== 0) {
    throw corrupt(key, 'its offsets are truncated or do not start at 0');
  }
  return payloadBytes;
}

/** Sorted distinct rows grouped into runs of consecutive rows (one ranged read each). */
function adjacentRuns(rows: readonly number[]): Array<{ first: number; last: number }> {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const runs: Array<{ first: number; last: number }> = [];
  for (const row of sorted) {
    const run = runs[runs.length - 1];
    if (run !== undefined && row === run.last + 1) run.last = row;
    else runs.push({ first: row, last: row });
  }
  return runs;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array, key: string): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw corrupt(key, 'a row is not valid UTF-8', error);
  }
}

function parseRow(text: string, key: string, row: number): RowMetadata {
  if (text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(key, `row ${row} is not valid JSON`, error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corrupt(key, `row ${row} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function corrupt(key: string, problem: string, cause?: unknown): IndexCorruptError {
  return new IndexCorruptError(
    key,
    `metadata object ${key}: ${problem}`,
    cause === undefined ? {} : { cause },
  );
}

async function getRange(store: BlobStore, key: string, offset: number, length: number): Promise<Uint8Array> {
  try {
    return await store.getRange(key, offset, length);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'BLOB_NOT_FOUND') {
      throw corrupt(key, 'it is missing (was the version deleted?)', error);
    }
    throw error;
  }
}
