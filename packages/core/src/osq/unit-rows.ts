/**
 * Unit-length copies of rows, for quantizers trained for `cosine`: 1 - cos(q, y) = 1 - q' . y'
 * with q', y' the unit vectors, so cosine becomes an inner product on normalised rows. A zero row
 * stays zero (its cosine distance to anything is 1, as `Metric` defines).
 *
 * Rows are normalised in float64 and rounded to float32 once; training and encoding both go
 * through here, so they see bit-identical rows.
 */
export function unitRowImpl(
  source: Float32Array,
  offset: number,
  dim: number,
  out: Float32Array,
  outOffset: number,
): void {
  let squares = 0;
  for (let j = 0; j < dim; j++) squares += source[offset + j]! * source[offset + j]!;
  const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
  for (let j = 0; j < dim; j++) out[outOffset + j] = source[offset + j]! * scale;
}

/** A unit-length copy of each of the n rows of `data` (see `unitRowImpl`). */
export function unitRowsImpl(data: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) unitRowImpl(data, i * dim, dim, out, i * dim);
  return out;
}
