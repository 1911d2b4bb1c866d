/**
 * The 1-bit-per-dimension binary code of OSQ: bit k is set when transformed coordinate z_k is
 * positive, i.e. when the standardised coordinate z_k / sigma_k is positive (z is centred on the
 * partition mean, so the sign does not depend on the scale). The Hamming distance between a
 * query's bits and a vector's bits counts the leading dimensions on which they lie on opposite
 * sides of the partition mean: a cheap first filter before the lookup-table scan.
 *
 * Only the first `binaryDims` transformed dimensions (the highest-variance ones) get a bit. Sign
 * bits of low-variance dimensions are coin flips that say nothing about distance; counting them
 * drowns the informative bits (measured on MNIST: see `DEFAULT_BINARY_DIMS`).
 *
 * Layout: bit k of a vector is bit `31 - (k & 31)` of its word `k >> 5` (most significant bit
 * first, as in the scalar codes); unused low bits of the last word are 0.
 */

/** Writes the sign bits of z[0..binaryDims) into `out[offset .. offset + words)`. */
export function encodeBinaryRowImpl(
  z: Float64Array,
  binaryDims: number,
  out: Uint32Array,
  offset: number,
): void {
  const words = (binaryDims + 31) >>> 5;
  for (let w = 0; w < words; w++) {
    let word = 0;
    const end = Math.min(32, binaryDims - w * 32);
    for (let b = 0; b < end; b++) if (z[w * 32 + b]! > 0) word |= 1 << (31 - b);
    out[offset + w] = word >>> 0;
  }
}

/** Number of set bits of a 32-bit integer (SWAR popcount). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Hamming distances between `queryBits` (words values) and the binary codes of the rows `rowIds`
 * (all n rows when null) of `binary` (n x words, vector-major), written to `out[k]` for the k-th
 * row. Inputs are trusted (see `hammingScan` for the validating entry point).
 */
export function hammingScanImpl(
  queryBits: Uint32Array,
  words: number,
  binary: Uint32Array,
  rowIds: Uint32Array | null,
  count: number,
  out: Uint32Array,
): void {
  if (words === 1) {
    const q0 = queryBits[0]!;
    for (let k = 0; k < count; k++) out[k] = popcount32(q0 ^ binary[rowIds === null ? k : rowIds[k]!]!);
    return;
  }
  if (words === 2) {
    const q0 = queryBits[0]!;
    const q1 = queryBits[1]!;
    for (let k = 0; k < count; k++) {
      const base = (rowIds === null ? k : rowIds[k]!) * 2;
      out[k] = popcount32(q0 ^ binary[base]!) + popcount32(q1 ^ binary[base + 1]!);
    }
    return;
  }
  for (let k = 0; k < count; k++) {
    const base = (rowIds === null ? k : rowIds[k]!) * words;
    let distance = 0;
    for (let w = 0; w < words; w++) distance += popcount32(queryBits[w]! ^ binary[base + w]!);
    out[k] = distance;
  }
}
