import { DimensionMismatchError } from '../errors/index.ts';
import { assertFinite, assertIntegerInRange } from '../linalg/matrix-validation.ts';
import { encodeBinaryRowImpl } from './binary-code.ts';
import type { OsqCodes, OsqQuantizer } from './osq-quantizer.ts';
import { transformRowImpl } from './osq-transform.ts';
import { writeCodeImpl } from './pack-codes.ts';
import { unitRowImpl } from './unit-rows.ts';

/**
 * Encodes `n` vectors (n x dim, row-major; scaled to unit length first when the quantizer is
 * for `cosine`) with a trained quantizer: each transformed coordinate
 * becomes the index of its cell (the number of inner cell edges <= the value; values beyond the
 * training range fall in the end cells), bit-packed segment-major (`packCodes`), plus the sign
 * bits of the first `binaryDims` coordinates.
 *
 * Cost O(n dim^2) for the transform plus O(n dim log cells) for the cell search.
 *
 * @throws DimensionMismatchError when `data` does not hold n rows of the quantizer's dimension.
 * @throws InvalidArgumentError when `n` is not an integer >= 0 or a value is not finite.
 */
export function encodeOsq(quantizer: OsqQuantizer, data: Float32Array, n: number): OsqCodes {
  const { dim } = quantizer;
  assertIntegerInRange('n', n, 0);
  if (data.length !== n * dim) {
    const actual = n === 0 ? data.length : data.length / n;
    throw new DimensionMismatchError(
      dim,
      actual,
      `data has ${data.length} values for ${n} rows (${actual} dimensions each); the quantizer expects ${dim}`,
    );
  }
  assertFinite('data', data, dim);
  return encodeOsqImpl(quantizer, data, n);
}

/** `encodeOsq` without validation. */
export function encodeOsqImpl(quantizer: OsqQuantizer, data: Float32Array, n: number): OsqCodes {
  const { dim, layout, cellOffsets, boundaries, binaryDims, binaryWordsPerVector } = quantizer;
  const codes = new Uint8Array(n * layout.bytesPerVector);
  const binary = new Uint32Array(n * binaryWordsPerVector);
  const z = new Float64Array(dim);
  const unit = quantizer.metric === 'cosine' ? new Float32Array(dim) : null;
  for (let i = 0; i < n; i++) {
    if (unit === null) transformRowImpl(quantizer.rotation, quantizer.mean, dim, data, i * dim, z);
    else {
      unitRowImpl(data, i * dim, dim, unit, 0);
      transformRowImpl(quantizer.rotation, quantizer.mean, dim, unit, 0, z);
    }
    for (let j = 0; j < dim; j++) {
      const cells = cellOffsets[j + 1]! - cellOffsets[j]!;
      if (cells === 1) continue;
      const cell = cellOf(boundaries, cellOffsets[j]! + j + 1, cells - 1, z[j]!);
      writeCodeImpl(layout, codes, n, i, j, cell);
    }
    if (binaryDims > 0) encodeBinaryRowImpl(z, binaryDims, binary, i * binaryWordsPerVector);
  }
  return { codes, binary, n };
}

/** Number of the `count` ascending edges starting at `boundaries[first]` that are <= value. */
function cellOf(boundaries: Float32Array, first: number, count: number, value: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[first + mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
