import { InvalidArgumentError } from '@squash/errors';
import { littleEndianBytes } from './little-endian.ts';
import { rowCount, rowsPerChunk, writeOutput } from './output-file.ts';
import type { TexmexArrays, TexmexKind } from './texmex-read.ts';

const ARRAY_TYPE = { fvecs: Float32Array, ivecs: Int32Array, bvecs: Uint8Array } as const;

/**
 * Writes `data` (n x dim, row-major) as a TEXMEX file: per row an int32 `dim` then the values.
 * A name ending in `.gz` is gzip-compressed.
 */
export async function writeTexmex<K extends TexmexKind>(
  file: string,
  kind: K,
  data: TexmexArrays[K],
  dim: number,
): Promise<void> {
  if (!(data instanceof ARRAY_TYPE[kind])) {
    throw new InvalidArgumentError(
      'data',
      `${kind} data must be a ${ARRAY_TYPE[kind].name}; got ${data.constructor.name}`,
    );
  }
  const n = rowCount(data.length, dim);
  await writeOutput(file, texmexChunks(data, n, dim));
}

export const writeFvecs = (file: string, data: Float32Array, dim: number): Promise<void> =>
  writeTexmex(file, 'fvecs', data, dim);
export const writeIvecs = (file: string, data: Int32Array, dim: number): Promise<void> =>
  writeTexmex(file, 'ivecs', data, dim);
export const writeBvecs = (file: string, data: Uint8Array, dim: number): Promise<void> =>
  writeTexmex(file, 'bvecs', data, dim);

function* texmexChunks(data: TexmexArrays[TexmexKind], n: number, dim: number): Generator<Uint8Array> {
  const values = littleEndianBytes(data);
  const valueBytes = dim * data.BYTES_PER_ELEMENT;
  const recordBytes = 4 + valueBytes;
  const step = rowsPerChunk(recordBytes);
  for (let start = 0; start < n; start += step) {
    const rows = Math.min(step, n - start);
    const chunk = new Uint8Array(rows * recordBytes);
    const view = new DataView(chunk.buffer);
    for (let r = 0; r < rows; r++) {
      view.setInt32(r * recordBytes, dim, true);
      chunk.set(values.subarray((start + r) * valueBytes, (start + r + 1) * valueBytes), r * recordBytes + 4);
    }
    yield chunk;
  }
}
