/**
 * Gram-matrix accumulation: G = sum over used rows k of (y_k - c)(y_k - c)^T, where
 * y_k = s_k * x_{r_k} (an optional per-row scale) and c is an optional shift. Covariance, second
 * moment and per-partition KLT all reduce to this one kernel, which dominates LeanVec fitting time.
 *
 * Two paths, chosen from the share of exact zeros in the used rows:
 * - dense: rows are packed 128 at a time into a column-major float64 panel (the shift subtracted
 *   while packing), then each 4 x 4 block of the upper triangle is accumulated in 16 local
 *   registers. Each loaded value feeds 4 multiply-adds, so the loop is bound by arithmetic rather
 *   than by streaming the dim x dim accumulator (about 3.5x faster than the rank-1 update loop;
 *   20,000 dense rows of 784 take 2.5-3 s on one core of a shared 2-core AMD EPYC VM).
 * - sparse: when under 35% of the values are non-zero (MNIST pixels: 19%), each row's non-zeros
 *   are gathered and only their pairs are updated, costing density^2 of the dense work (20,000
 *   MNIST rows: about 0.7 s). A shift would destroy sparsity, so it is applied afterwards through
 *   sum (y - c)(y - c)^T = S - s c^T - c s^T + N c c^T, with S = sum y y^T and s = sum y. This
 *   subtracts large numbers when |c| is large next to the spread of the rows, losing about
 *   log10(|c|^2 / variance) of float64's 16 digits: harmless for pixel or embedding data.
 *
 * Inputs are assumed valid (see `matrix-validation.ts`). Accumulation is in float64, in a fixed
 * order, so results are deterministic.
 */

/** Rows gathered per panel: 784 dims x 128 rows x 8 bytes = 800 KB, which stays in L2 cache. */
const PANEL_ROWS = 128;

/** Below this share of non-zero values the sparse path is faster (its per-update cost is ~3x). */
const SPARSE_DENSITY = 0.35;

/** Which rows of a row-major matrix enter a Gram matrix, and how. */
export interface GramRows {
  readonly data: Float32Array;
  readonly dim: number;
  /** Row indices to use, in order; undefined: rows 0..count-1. */
  readonly rowIds: Uint32Array | undefined;
  /** Number of used rows. */
  readonly count: number;
  /** Scale applied to used row k (indexed like `rowIds`); undefined: 1. */
  readonly rowScales: Float64Array | undefined;
}

/**
 * The full symmetric dim x dim matrix sum_k (y_k - shift)(y_k - shift)^T (not divided by the
 * count), row-major. `shift` undefined means no shift.
 */
export function gramImpl(rows: GramRows, shift: ArrayLike<number> | undefined): Float64Array {
  const gram = nonZeroShare(rows) < SPARSE_DENSITY ? sparseGram(rows, shift) : denseGram(rows, shift);
  mirrorUpperTriangle(gram, rows.dim);
  return gram;
}

/** Offset in `data` of used row `k`. */
function rowOffset(rows: GramRows, k: number): number {
  return (rows.rowIds === undefined ? k : rows.rowIds[k]!) * rows.dim;
}

function nonZeroShare(rows: GramRows): number {
  const { data, dim, count } = rows;
  let nonZero = 0;
  for (let k = 0; k < count; k++) {
    const offset = rowOffset(rows, k);
    for (let i = 0; i < dim; i++) if (data[offset + i] !== 0) nonZero++;
  }
  return count === 0 ? 0 : nonZero / (count * dim);
}

function denseGram(rows: GramRows, shift: ArrayLike<number> | undefined): Float64Array {
  const { dim, count } = rows;
  // Pad to a multiple of 4 so every block is full; padded dimensions stay zero.
  const padded = (dim + 3) & ~3;
  const acc = new Float64Array(padded * padded);
  const panel = new Float64Array(padded * PANEL_ROWS);
  for (let first = 0; first < count; first += PANEL_ROWS) {
    const width = Math.min(PANEL_ROWS, count - first);
    packPanel(rows, shift, first, width, panel);
    accumulatePanel(panel, width, padded, acc);
  }
  if (padded === dim) return acc;
  const gram = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) gram.set(acc.subarray(i * padded, i * padded + dim), i * dim);
  return gram;
}

/** Writes used rows first..first+width-1, shifted and scaled, as columns of a column-major panel. */
function packPanel(
  rows: GramRows,
  shift: ArrayLike<number> | undefined,
  first: number,
  width: number,
  panel: Float64Array,
): void {
  const { data, dim, rowScales } = rows;
  for (let k = 0; k < width; k++) {
    const offset = rowOffset(rows, first + k);
    const scale = rowScales === undefined ? 1 : rowScales[first + k]!;
    for (let i = 0; i < dim; i++) {
      const value = data[offset + i]! * scale;
      panel[i * width + k] = shift === undefined ? value : value - shift[i]!;
    }
  }
}

/** acc (padded x padded, upper 4x4 blocks) += panel^T panel, where panel is padded x width. */
function accumulatePanel(panel: Float64Array, width: number, padded: number, acc: Float64Array): void {
  for (let i = 0; i < padded; i += 4) {
    const r0 = i * width;
    const r1 = r0 + width;
    const r2 = r1 + width;
    const r3 = r2 + width;
    for (let j = i; j < padded; j += 4) {
      const s0 = j * width;
      const s1 = s0 + width;
      const s2 = s1 + width;
      const s3 = s2 + width;
      let a00 = 0,
        a01 = 0,
        a02 = 0,
        a03 = 0,
        a10 = 0,
        a11 = 0,
        a12 = 0,
        a13 = 0;
      let a20 = 0,
        a21 = 0,
        a22 = 0,
        a23 = 0,
        a30 = 0,
        a31 = 0,
        a32 = 0,
        a33 = 0;
      for (let k = 0; k < width; k++) {
        const x0 = panel[r0 + k]!;
        const x1 = panel[r1 + k]!;
        const x2 = panel[r2 + k]!;
        const x3 = panel[r3 + k]!;
        const y0 = panel[s0 + k]!;
        const y1 = panel[s1 + k]!;
        const y2 = panel[s2 + k]!;
        const y3 = panel[s3 + k]!;
        a00 += x0 * y0;
        a01 += x0 * y1;
        a02 += x0 * y2;
        a03 += x0 * y3;
        a10 += x1 * y0;
        a11 += x1 * y1;
        a12 += x1 * y2;
        a13 += x1 * y3;
        a20 += x2 * y0;
        a21 += x2 * y1;
        a22 += x2 * y2;
        a23 += x2 * y3;
        a30 += x3 * y0;
        a31 += x3 * y1;
        a32 += x3 * y2;
        a33 += x3 * y3;
      }
      let c = i * padded + j;
      acc[c] = acc[c]! + a00;
      acc[c + 1] = acc[c + 1]! + a01;
      acc[c + 2] = acc[c + 2]! + a02;
      acc[c + 3] = acc[c + 3]! + a03;
      c += padded;
      acc[c] = acc[c]! + a10;
      acc[c + 1] = acc[c + 1]! + a11;
      acc[c + 2] = acc[c + 2]! + a12;
      acc[c + 3] = acc[c + 3]! + a13;
      c += padded;
      acc[c] = acc[c]! + a20;
      acc[c + 1] = acc[c + 1]! + a21;
      acc[c + 2] = acc[c + 2]! + a22;
      acc[c + 3] = acc[c + 3]! + a23;
      c += padded;
      acc[c] = acc[c]! + a30;
      acc[c + 1] = acc[c + 1]! + a31;
      acc[c + 2] = acc[c + 2]! + a32;
      acc[c + 3] = acc[c + 3]! + a33;
    }
  }
}

function sparseGram(rows: GramRows, shift: ArrayLike<number> | undefined): Float64Array {
  const { data, dim, count, rowScales } = rows;
  const gram = new Float64Array(dim * dim);
  const sum = new Float64Array(dim);
  const index = new Int32Array(dim);
  const value = new Float64Array(dim);
  for (let k = 0; k < count; k++) {
    const offset = rowOffset(rows, k);
    const scale = rowScales === undefined ? 1 : rowScales[k]!;
    let nonZero = 0;
    for (let i = 0; i < dim; i++) {
      const v = data[offset + i]! * scale;
      if (v !== 0) {
        index[nonZero] = i;
        value[nonZero++] = v;
        sum[i] = sum[i]! + v;
      }
    }
    for (let a = 0; a < nonZero; a++) {
      const va = value[a]!;
      const row = index[a]! * dim;
      for (let b = a; b < nonZero; b++) {
        const cell = row + index[b]!;
        gram[cell] = gram[cell]! + va * value[b]!;
      }
    }
  }
  if (shift !== undefined) subtractShift(gram, dim, sum, count, shift);
  return gram;
}

/** Upper triangle of gram -= sum c^T + c sum^T - count c c^T. */
function subtractShift(
  gram: Float64Array,
  dim: number,
  sum: Float64Array,
  count: number,
  c: ArrayLike<number>,
): void {
  for (let i = 0; i < dim; i++) {
    const ci = c[i]!;
    const si = sum[i]!;
    for (let j = i; j < dim; j++) {
      const cj = c[j]!;
      gram[i * dim + j] = gram[i * dim + j]! + count * ci * cj - si * cj - ci * sum[j]!;
    }
  }
}

function mirrorUpperTriangle(matrix: Float64Array, dim: number): void {
  for (let i = 0; i < dim; i++) {
    for (let j = i + 1; j < dim; j++) matrix[j * dim + i] = matrix[i * dim + j]!;
  }
}
