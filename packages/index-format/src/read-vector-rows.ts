import { InvalidArgumentError } from '@squash/errors';
import type { BlobStore } from '@squash/storage';
import { BLOCK_HEADER_BYTES } from './binary-array.ts';
import { IndexCorruptError } from './index-format-errors.ts';
import { readLittleEndian } from './little-endian.ts';
import { partitionEntry } from './load-partition.ts';
import type { IndexManifest } from './manifest.ts';
import { mapLimit } from './map-limit.ts';
import { objectKey } from './store-layout.ts';

export interface ReadVectorRowsOptions {
  /**
   * Two requested rows separated by at most this many bytes of unrequested rows are fetched in
   * one ranged GET. On S3 a GET costs ~20-50 ms of latency whatever its size below ~1 MB, so a
   * small gap is cheaper to read than to skip; on a filesystem it hardly matters.
   * @default 0 (only adjacent rows are coalesced)
   */
  readonly maxGapBytes?: number;
  /** Ranged GETs in flight at once. @default 8 */
  readonly concurrency?: number;
}

/**
 * Fetches full-precision rows of one partition (local positions `localRows`, any order,
 * duplicates allowed) with ranged GETs of the vectors object: row r is the `D * 4` bytes at
 * `40 + r * D * 4`. Adjacent rows are coalesced into one request; every range is an absolute
 * `offset, length` (never a suffix range). Returns `localRows.length x D` floats, row k being
 * `localRows[k]`.
 *
 * A ranged read cannot be checked against the object's CRC-32C (which covers the whole object);
 * its length is checked, so a truncated object still fails.
 *
 * @throws InvalidArgumentError for an unknown partition or a row outside 0..rows-1.
 * @throws IndexCorruptError naming the vectors object when it is missing or shorter than recorded.
 */
export async function readVectorRows(
  store: BlobStore,
  manifest: IndexManifest,
  partitionId: number,
  localRows: readonly number[],
  options: ReadVectorRowsOptions = {},
): Promise<Float32Array> {
  const entry = partitionEntry(manifest, partitionId);
  const dim = manifest.dim;
  const rowBytes = dim * 4;
  for (let k = 0; k < localRows.length; k++) {
    const row = localRows[k]!;
    if (!Number.isInteger(row) || row < 0 || row >= entry.rows) {
      throw new InvalidArgumentError(
        'localRows',
        `localRows[${k}] is ${row}; partition ${partitionId} has rows 0..${entry.rows - 1}`,
      );
    }
  }
  const key = objectKey(manifest.version, entry.objects.vectors.key);
  const runs = coalesce(localRows, Math.floor((options.maxGapBytes ?? 0) / rowBytes));
  const fetched = await mapLimit(runs, options.concurrency ?? 8, async (run) => {
    const length = (run.last - run.first + 1) * rowBytes;
    const bytes = await getRange(store, key, BLOCK_HEADER_BYTES + run.first * rowBytes, length);
    if (bytes.byteLength !== length) {
      throw new IndexCorruptError(
        key,
        `object ${key} ended early: rows ${run.first}..${run.last} are past its end (truncated)`,
      );
    }
    return readLittleEndian(bytes, 0, 'f32', length / 4) as Float32Array;
  });
  const out = new Float32Array(localRows.length * dim);
  runs.forEach((run, i) => {
    const values = fetched[i]!;
    for (const k of run.positions) {
      const start = (localRows[k]! - run.first) * dim;
      out.set(values.subarray(start, start + dim), k * dim);
    }
  });
  return out;
}

interface Run {
  readonly first: number;
  last: number;
  /** Positions in `localRows` served by this run. */
  readonly positions: number[];
}

/** Groups the requested rows into runs of rows at most `maxGapRows` apart. */
function coalesce(localRows: readonly number[], maxGapRows: number): Run[] {
  const order = Array.from(localRows.keys()).sort((a, b) => localRows[a]! - localRows[b]!);
  const runs: Run[] = [];
  for (const k of order) {
    const row = localRows[k]!;
    const run = runs[runs.length - 1];
    if (run !== undefined && row - run.last <= maxGapRows + 1) {
      run.last = Math.max(run.last, row);
      run.positions.push(k);
    } else {
      runs.push({ first: row, last: row, positions: [k] });
    }
  }
  return runs;
}

async function getRange(store: BlobStore, key: string, offset: number, length: number): Promise<Uint8Array> {
  try {
    return await store.getRange(key, offset, length);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'BLOB_NOT_FOUND') {
      throw new IndexCorruptError(key, `object ${key} is missing (was the version deleted?)`, {
        cause: error,
      });
    }
    throw error;
  }
}
