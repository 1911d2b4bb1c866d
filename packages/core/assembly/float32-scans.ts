/**
 * One-to-many float32 scans over a row-major matrix that lives in this module's linear memory.
 *
 * The caller (the TypeScript `WasmVectorScanner`) owns the memory layout: every argument named
 * `...Ptr` is a byte offset into linear memory that it has reserved. Nothing here allocates.
 * Outputs are float32, one per scanned row, and follow the squash rule "lower is closer":
 * squared L2, negative inner product, and cosine distance 1 - cos with a zero vector at distance 1.
 *
 * The `...Rows` variants take a list of u32 row ids. They check each id against `n` (a wrong id
 * would otherwise read another row, or garbage, without any trap) and stop at the first bad one,
 * returning its position; -1 means every id was valid. The check is one compare per row, which
 * is noise next to `dim` multiply-adds.
 */
import { dotRow, l2Row } from './float32-row-kernels';

/** out[i] = sum((q - x_i)^2) for every row i < n. */
export function l2All(queryPtr: usize, basePtr: usize, n: i32, dim: i32, outPtr: usize): void {
  const rowBytes = <usize>dim << 2;
  let row = basePtr;
  for (let i: i32 = 0; i < n; i++) {
    store<f32>(outPtr + (<usize>i << 2), l2Row(queryPtr, row, dim));
    row += rowBytes;
  }
}

/** out[i] = -(q . x_i) for every row i < n. */
export function negDotAll(queryPtr: usize, basePtr: usize, n: i32, dim: i32, outPtr: usize): void {
  const rowBytes = <usize>dim << 2;
  let row = basePtr;
  for (let i: i32 = 0; i < n; i++) {
    store<f32>(outPtr + (<usize>i << 2), -dotRow(queryPtr, row, dim));
    row += rowBytes;
  }
}

/**
 * out[i] = 1 - (u . x_i) / |x_i| for every row i < n, or 1 when either norm is 0, where the query
 * at `queryPtr` is already unit length (u = q / |q|) and `queryNorm` is the original |q|.
 * `rowNormsPtr` holds n float64 norms. Both norms come from the caller in float64, so "is this a
 * zero vector" is decided exactly as in the TypeScript reference. Normalising the query first keeps
 * the float32 products in range: a query of tiny (1e-30) or huge (1e30) values would otherwise
 * underflow or overflow float32 where the float64 reference does not.
 */
export function cosineAll(
  queryPtr: usize,
  basePtr: usize,
  n: i32,
  dim: i32,
  rowNormsPtr: usize,
  queryNorm: f64,
  outPtr: usize,
): void {
  const rowBytes = <usize>dim << 2;
  let row = basePtr;
  for (let i: i32 = 0; i < n; i++) {
    const rowNorm = load<f64>(rowNormsPtr + (<usize>i << 3));
    store<f32>(outPtr + (<usize>i << 2), cosineDistance(dotRow(queryPtr, row, dim), queryNorm, rowNorm));
    row += rowBytes;
  }
}

/** out[j] = l2(q, x_ids[j]) for j < count. Returns -1, or the position of the first id >= n. */
export function l2Rows(
  queryPtr: usize,
  basePtr: usize,
  n: i32,
  dim: i32,
  idsPtr: usize,
  count: i32,
  outPtr: usize,
): i32 {
  const rowBytes = <usize>dim << 2;
  for (let j: i32 = 0; j < count; j++) {
    const id = load<u32>(idsPtr + (<usize>j << 2));
    if (id >= <u32>n) return j;
    store<f32>(outPtr + (<usize>j << 2), l2Row(queryPtr, basePtr + <usize>id * rowBytes, dim));
  }
  return -1;
}

/** out[j] = -(q . x_ids[j]) for j < count. Returns -1, or the position of the first id >= n. */
export function negDotRows(
  queryPtr: usize,
  basePtr: usize,
  n: i32,
  dim: i32,
  idsPtr: usize,
  count: i32,
  outPtr: usize,
): i32 {
  const rowBytes = <usize>dim << 2;
  for (let j: i32 = 0; j < count; j++) {
    const id = load<u32>(idsPtr + (<usize>j << 2));
    if (id >= <u32>n) return j;
    store<f32>(outPtr + (<usize>j << 2), -dotRow(queryPtr, basePtr + <usize>id * rowBytes, dim));
  }
  return -1;
}

/**
 * out[j] = cosine(q, x_ids[j]) for j < count, with the query unit length as in `cosineAll`.
 * Returns -1, or the position of the first id >= n.
 */
export function cosineRows(
  queryPtr: usize,
  basePtr: usize,
  n: i32,
  dim: i32,
  rowNormsPtr: usize,
  queryNorm: f64,
  idsPtr: usize,
  count: i32,
  outPtr: usize,
): i32 {
  const rowBytes = <usize>dim << 2;
  for (let j: i32 = 0; j < count; j++) {
    const id = load<u32>(idsPtr + (<usize>j << 2));
    if (id >= <u32>n) return j;
    const rowNorm = load<f64>(rowNormsPtr + (<usize>id << 3));
    const dot = dotRow(queryPtr, basePtr + <usize>id * rowBytes, dim);
    store<f32>(outPtr + (<usize>j << 2), cosineDistance(dot, queryNorm, rowNorm));
  }
  return -1;
}

// @ts-ignore: decorator
@inline
function cosineDistance(unitDot: f32, queryNorm: f64, rowNorm: f64): f32 {
  if (queryNorm == 0 || rowNorm == 0) return 1;
  return <f32>(1 - <f64>unitDot / rowNorm);
}
