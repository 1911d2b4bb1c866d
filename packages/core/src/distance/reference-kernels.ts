/**
 * Plain TypeScript distance kernels: the reference every faster path (WebAssembly SIMD) is tested
 * against. Accumulation happens in JavaScript numbers (float64), so integer-valued data such as
 * uint8 pixels gives exact distances here.
 *
 * These `...Impl` functions assume valid input (offsets in range, matching dims); the public
 * entry points validate once at the boundary.
 */

/** Squared Euclidean distance between row `aOffset` of `a` and row `bOffset` of `b`. */
export function l2Impl(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dim: number,
): number {
  let sum = 0;
  for (let j = 0; j < dim; j++) {
    const d = a[aOffset + j]! - b[bOffset + j]!;
    sum += d * d;
  }
  return sum;
}

/** Inner product between two rows. */
export function dotImpl(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dim: number,
): number {
  let sum = 0;
  for (let j = 0; j < dim; j++) sum += a[aOffset + j]! * b[bOffset + j]!;
  return sum;
}

/** Euclidean norm of one row. */
export function normImpl(a: Float32Array, aOffset: number, dim: number): number {
  return Math.sqrt(dotImpl(a, aOffset, a, aOffset, dim));
}

/**
 * Cosine distance 1 - cos from a dot product and two norms. A zero vector has no direction, so
 * its distance to anything is 1 (the distance of an orthogonal pair), never NaN.
 */
export function cosineFromDot(dot: number, normA: number, normB: number): number {
  if (normA === 0 || normB === 0) return 1;
  return 1 - dot / (normA * normB);
}
