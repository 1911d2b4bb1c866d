import { type CentroidDistances, createCentroidDistances } from './centroid-distances.ts';

/** Rows per block of the assignment step: the 256 x k float32 distances stay in L2 cache. */
const BLOCK_ROWS = 256;

/**
 * Lloyd stops early once the inertia improves by less than this fraction in one iteration: the
 * centroids then move by a negligible amount, and a training sample's centroids are refined
 * against all rows by the balanced assignment anyway.
 */
const RELATIVE_IMPROVEMENT_STOP = 1e-5;

export interface LloydResult {
  /** Assignment steps run. */
  readonly iterations: number;
  /** Sum of squared distances of the rows to their nearest centroid at the last assignment step. */
  readonly inertia: number;
}

/**
 * Lloyd's algorithm (Lloyd 1982): alternately assign each row to its nearest centroid (ties to
 * the lower id) and move each centroid to the mean of its rows. Refines `centroids` (k x dim) in
 * place. Stops after `maxIterations` assignment steps, when no row changes centroid, or when the
 * inertia improves by less than 1e-5 relative.
 *
 * A centroid left without rows is re-seeded deterministically at the row farthest from its own
 * centroid (ties to the lower row), taken only from a cluster that keeps at least one other row;
 * that row is the one the current solution explains worst, so moving a centroid there lowers the
 * inertia the most among single-row choices. If no such row exists (all rows coincide with
 * centroids), the centroid stays where it is.
 */
export function lloydImpl(
  data: Float32Array,
  m: number,
  dim: number,
  centroids: Float32Array,
  k: number,
  maxIterations: number,
  backend: 'ts' | 'wasm',
): LloydResult {
  const labels = new Uint32Array(m);
  const distances = new Float64Array(m);
  const scratch = new Float32Array(BLOCK_ROWS * k);
  let previousInertia = Number.POSITIVE_INFINITY;
  let inertia = 0;
  let iterations = 0;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const measure = createCentroidDistances(centroids, k, dim, backend);
    const changed = assignNearest(data, m, measure, labels, distances, scratch, iteration === 0);
    inertia = 0;
    for (let i = 0; i < m; i++) inertia += distances[i]!;
    iterations++;
    if (iteration > 0 && changed === 0) break;
    updateCentroids(data, m, dim, centroids, k, labels, distances);
    if (iteration > 0 && previousInertia - inertia <= RELATIVE_IMPROVEMENT_STOP * previousInertia) break;
    previousInertia = inertia;
  }
  return { iterations, inertia };
}

/** Assigns every row to its nearest centroid; returns how many rows changed label. */
function assignNearest(
  data: Float32Array,
  m: number,
  measure: CentroidDistances,
  labels: Uint32Array,
  distances: Float64Array,
  scratch: Float32Array,
  first: boolean,
): number {
  const k = measure.partitions;
  let changed = 0;
  for (let start = 0; start < m; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, m - start);
    measure.blockDistances(data, start, rows, scratch);
    for (let r = 0; r < rows; r++) {
      const offset = r * k;
      let best = 0;
      let bestDistance = scratch[offset]!;
      for (let c = 1; c < k; c++) {
        const d = scratch[offset + c]!;
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      const i = start + r;
      if (first || labels[i] !== best) changed++;
      labels[i] = best;
      distances[i] = bestDistance;
    }
  }
  return changed;
}

/** Moves each centroid to the mean of its rows, re-seeding empty ones (see `lloydImpl`). */
function updateCentroids(
  data: Float32Array,
  m: number,
  dim: number,
  centroids: Float32Array,
  k: number,
  labels: Uint32Array,
  distances: Float64Array,
): void {
  const sums = new Float64Array(k * dim);
  const counts = new Uint32Array(k);
  for (let i = 0; i < m; i++) {
    const c = labels[i]!;
    counts[c]!++;
    addRow(sums, c * dim, data, i * dim, dim, 1);
  }
  for (let c = 0; c < k; c++) {
    if (counts[c] !== 0) continue;
    const row = farthestMovableRow(m, labels, distances, counts);
    if (row < 0) continue;
    const from = labels[row]!;
    addRow(sums, from * dim, data, row * dim, dim, -1);
    counts[from]!--;
    addRow(sums, c * dim, data, row * dim, dim, 1);
    counts[c] = 1;
    labels[row] = c;
    distances[row] = 0;
  }
  for (let c = 0; c < k; c++) {
    const count = counts[c]!;
    if (count === 0) continue;
    for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j]! / count;
  }
}

function addRow(
  sums: Float64Array,
  sumOffset: number,
  data: Float32Array,
  rowOffset: number,
  dim: number,
  sign: number,
) {
  for (let j = 0; j < dim; j++) sums[sumOffset + j]! += sign * data[rowOffset + j]!;
}

/** The row with the largest positive distance whose cluster has another row; -1 if none. */
function farthestMovableRow(
  m: number,
  labels: Uint32Array,
  distances: Float64Array,
  counts: Uint32Array,
): number {
  let best = -1;
  let bestDistance = 0;
  for (let i = 0; i < m; i++) {
    const d = distances[i]!;
    if (d > bestDistance && counts[labels[i]!]! > 1) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}
