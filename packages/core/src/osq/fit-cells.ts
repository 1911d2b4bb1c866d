import type { SeededRandom } from '../random/seeded-random.ts';

export interface FitCellsOptions {
  /** Lloyd iterations at most. @default 250 */
  readonly maxIterations: number;
  /** Stop when the distortion changes by at most this fraction in one iteration. @default 0.005 */
  readonly relativeTolerance: number;
}

/** The scalar quantizer of one dimension. */
export interface FittedCells {
  /** cells - 1 increasing decision thresholds (float32 values): x is in cell #{t <= x}. */
  readonly thresholds: Float64Array;
  /** Mean of the training values of each cell; the midpoint of its edges when it is empty. */
  readonly representatives: Float64Array;
  /** Sum of squared distances of the training values to their cell representative. */
  readonly distortion: number;
  /** The same for the equal-population start, before Lloyd. */
  readonly initialDistortion: number;
  readonly iterations: number;
}

/**
 * One-dimensional Lloyd-Max quantizer (Lloyd 1957 / Max 1960) with `cells` cells over `sorted`
 * (ascending, at least one value).
 *
 * Start: equal-population cells, thresholds at the c/cells quantiles. Iteration: representatives
 * are the cell means, thresholds the midpoints of neighbouring representatives (rounded to
 * float32, the precision they are stored at), which never raises the squared error. With prefix
 * sums over the sorted values an iteration costs O(cells log n), independent of n.
 *
 * A cell left empty (ties, or two representatives meeting) is re-seeded at a random training
 * value of the non-empty cell with the largest squared error that has two distinct values, drawn
 * from `random`, so the result is deterministic for a given seed. A cell can stay empty when the
 * data has fewer distinct values than cells.
 *
 * Stops after `maxIterations` iterations or when the distortion changes by at most
 * `relativeTolerance` of its previous value.
 */
export function fitCellsImpl(
  sorted: Float32Array,
  cells: number,
  options: FitCellsOptions,
  random: SeededRandom,
): FittedCells {
  const sums = new PrefixSums(sorted);
  let thresholds = quantileThresholds(sorted, cells);
  let starts = cellStarts(sorted, thresholds);
  const initialDistortion = sums.totalError(starts);
  let centroids = sums.means(starts);
  let distortion = initialDistortion;
  let iterations = 0;
  while (iterations < options.maxIterations && distortion > 0 && cells > 1) {
    reseedEmptyCells(sorted, sums, starts, centroids, random);
    centroids.sort();
    thresholds = midpointThresholds(centroids);
    starts = cellStarts(sorted, thresholds);
    centroids = sums.means(starts);
    const next = sums.totalError(starts);
    iterations++;
    const change = Math.abs(distortion - next);
    distortion = next;
    if (change <= options.relativeTolerance * distortion) break;
  }
  return {
    thresholds,
    representatives: fillEmptyCells(centroids, thresholds, sorted),
    distortion,
    initialDistortion,
    iterations,
  };
}

/** Float64 prefix sums of the values and their squares, centred on the mean for accuracy. */
class PrefixSums {
  private readonly offset: number;
  private readonly sum: Float64Array;
  private readonly sumSquares: Float64Array;

  constructor(sorted: Float32Array) {
    const n = sorted.length;
    let offset = 0;
    for (let i = 0; i < n; i++) offset += sorted[i]!;
    this.offset = offset / n;
    this.sum = new Float64Array(n + 1);
    this.sumSquares = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const x = sorted[i]! - this.offset;
      this.sum[i + 1] = this.sum[i]! + x;
      this.sumSquares[i + 1] = this.sumSquares[i]! + x * x;
    }
  }

  /** Squared error of the values [s, e) about their mean. */
  error(s: number, e: number): number {
    if (e <= s) return 0;
    const total = this.sum[e]! - this.sum[s]!;
    return Math.max(0, this.sumSquares[e]! - this.sumSquares[s]! - (total * total) / (e - s));
  }

  totalError(starts: Int32Array): number {
    let total = 0;
    for (let c = 0; c + 1 < starts.length; c++) total += this.error(starts[c]!, starts[c + 1]!);
    return total;
  }

  /** Mean of each cell; NaN for an empty cell. */
  means(starts: Int32Array): Float64Array {
    const means = new Float64Array(starts.length - 1);
    for (let c = 0; c < means.length; c++) {
      const s = starts[c]!;
      const e = starts[c + 1]!;
      means[c] = e > s ? (this.sum[e]! - this.sum[s]!) / (e - s) + this.offset : Number.NaN;
    }
    return means;
  }
}

function quantileThresholds(sorted: Float32Array, cells: number): Float64Array {
  const thresholds = new Float64Array(cells - 1);
  for (let c = 1; c < cells; c++) thresholds[c - 1] = sorted[Math.floor((c * sorted.length) / cells)]!;
  return thresholds;
}

function midpointThresholds(centroids: Float64Array): Float64Array {
  const thresholds = new Float64Array(centroids.length - 1);
  for (let c = 1; c < centroids.length; c++) {
    thresholds[c - 1] = Math.fround((centroids[c - 1]! + centroids[c]!) / 2);
  }
  return thresholds;
}

/** cells + 1 indices: cell c holds sorted[starts[c] .. starts[c + 1]). */
function cellStarts(sorted: Float32Array, thresholds: Float64Array): Int32Array {
  const starts = new Int32Array(thresholds.length + 2);
  for (let c = 0; c < thresholds.length; c++) {
    starts[c + 1] = lowerBound(sorted, thresholds[c]!, starts[c]!);
  }
  starts[thresholds.length + 1] = sorted.length;
  return starts;
}

/** Gives every empty cell (NaN centroid) a training value from the worst splittable cell. */
function reseedEmptyCells(
  sorted: Float32Array,
  sums: PrefixSums,
  starts: Int32Array,
  centroids: Float64Array,
  random: SeededRandom,
): void {
  const cells = centroids.length;
  let errors: Float64Array | undefined;
  for (let c = 0; c < cells; c++) {
    if (!Number.isNaN(centroids[c]!)) continue;
    if (errors === undefined) {
      errors = new Float64Array(cells);
      for (let k = 0; k < cells; k++) {
        const s = starts[k]!;
        const e = starts[k + 1]!;
        // Only a cell with two distinct values can be split.
        errors[k] = e - s >= 2 && sorted[s]! < sorted[e - 1]! ? sums.error(s, e) : -1;
      }
    }
    let worst = -1;
    for (let k = 0; k < cells; k++)
      if (errors[k]! > 0 && (worst < 0 || errors[k]! > errors[worst]!)) worst = k;
    if (worst < 0) {
      // Nothing left to split: park the cell on the top value so the centroids stay sortable.
      centroids[c] = sorted[sorted.length - 1]!;
      continue;
    }
    const s = starts[worst]!;
    const e = starts[worst + 1]!;
    centroids[c] = sorted[s + 1 + random.nextInt(e - s - 1)]!;
    errors[worst] = -1;
  }
}

/** Empty cells (NaN) get the midpoint of their edges (the data range at the ends). */
function fillEmptyCells(
  centroids: Float64Array,
  thresholds: Float64Array,
  sorted: Float32Array,
): Float64Array {
  for (let c = 0; c < centroids.length; c++) {
    if (!Number.isNaN(centroids[c]!)) continue;
    const low = c === 0 ? sorted[0]! : thresholds[c - 1]!;
    const high = c === centroids.length - 1 ? sorted[sorted.length - 1]! : thresholds[c]!;
    centroids[c] = (low + high) / 2;
  }
  return centroids;
}

/** First index i >= from with sorted[i] >= target, or sorted.length. */
function lowerBound(sorted: Float32Array, target: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
