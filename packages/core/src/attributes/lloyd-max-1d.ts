import { InvalidArgumentError } from '../errors/index.ts';

export interface LloydMax1dOptions {
  /** Upper bound on the number of cells; fewer when the data has fewer distinct values. */
  readonly maxCells: number;
  /**
   * Iteration cap.
   * @default 250
   */
  readonly maxIterations?: number;
  /**
   * Stop when an iteration lowers the distortion by less than this fraction of its previous value.
   * @default 0.005
   */
  readonly relativeTolerance?: number;
}

export interface LloydMax1dResult {
  /**
   * Increasing decision thresholds, one fewer than the cells: a value x falls in cell
   * `#{t in thresholds : t <= x}`. Empty when there is one cell.
   */
  readonly thresholds: Float64Array;
  /** Mean of each cell at the last iteration (the reconstruction points). */
  readonly centroids: Float64Array;
  /** Sum of squared distances of the training values to their cell mean. */
  readonly distortion: number;
  readonly iterations: number;
}

/**
 * One-dimensional Lloyd-Max scalar quantizer (Lloyd 1957 / Max 1960) on sorted values.
 *
 * Initialisation is equal-population: cell c starts at the c/K quantile. Each iteration takes cell
 * means as centroids and moves every boundary to the midpoint of its two neighbouring centroids,
 * which never increases the squared error. In one dimension a cell is a run of consecutive
 * distinct values, so with prefix sums of counts, values and squares an iteration costs
 * O(K log d) for K cells and d distinct values, independent of the number of values. Ties stay
 * together (a value is never split across cells). A cell that empties is dropped, so the result
 * can have fewer than `maxCells` cells. Fully deterministic: same input, same thresholds.
 *
 * @param sortedValues finite values in ascending order (duplicates allowed), at least one.
 */
export function lloydMax1d(sortedValues: Float64Array, options: LloydMax1dOptions): LloydMax1dResult {
  const maxIterations = options.maxIterations ?? 250;
  const tolerance = options.relativeTolerance ?? 0.005;
  if (!Number.isInteger(options.maxCells) || options.maxCells < 1) {
    throw new InvalidArgumentError('maxCells', `maxCells is ${options.maxCells}; allowed: an integer >= 1`);
  }
  if (sortedValues.length === 0)
    throw new InvalidArgumentError('sortedValues', 'at least one value is needed');
  const runs = distinctRuns(sortedValues);
  let starts = equalPopulationStarts(runs, Math.min(options.maxCells, runs.values.length));
  let centroids = cellMeans(runs, starts);
  let distortion = cellDistortion(runs, starts);
  let iterations = 0;
  while (iterations < maxIterations && distortion > 0 && starts.length > 1) {
    iterations++;
    const next = startsFromCentroids(runs.values, centroids);
    const nextDistortion = cellDistortion(runs, next);
    const improvement = distortion - nextDistortion;
    starts = next;
    centroids = cellMeans(runs, starts);
    const previous = distortion;
    distortion = nextDistortion;
    if (improvement <= tolerance * previous) break;
  }
  const thresholds = new Float64Array(Math.max(0, centroids.length - 1));
  for (let c = 1; c < centroids.length; c++) thresholds[c - 1] = (centroids[c - 1]! + centroids[c]!) / 2;
  return { thresholds, centroids, distortion, iterations };
}

/** Distinct values with prefix sums of count, centred value and centred square. */
interface Runs {
  readonly values: Float64Array;
  readonly offset: number;
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly sumSquares: Float64Array;
}

function distinctRuns(sorted: Float64Array): Runs {
  const n = sorted.length;
  // Centre on the mean so the sum-of-squares identity does not cancel catastrophically.
  let offset = 0;
  for (let i = 0; i < n; i++) offset += sorted[i]!;
  offset /= n;
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]!++;
    else {
      values.push(v);
      counts.push(1);
    }
  }
  const d = values.length;
  const count = new Float64Array(d + 1);
  const sum = new Float64Array(d + 1);
  const sumSquares = new Float64Array(d + 1);
  for (let j = 0; j < d; j++) {
    const w = counts[j]!;
    const x = values[j]! - offset;
    count[j + 1] = count[j]! + w;
    sum[j + 1] = sum[j]! + w * x;
    sumSquares[j + 1] = sumSquares[j]! + w * x * x;
  }
  return { values: Float64Array.from(values), offset, count, sum, sumSquares };
}

/** Start index (into distinct values) of each of `cells` cells holding about n/cells values each. */
function equalPopulationStarts(runs: Runs, cells: number): Int32Array {
  const d = runs.values.length;
  const n = runs.count[d]!;
  const starts = new Int32Array(cells);
  for (let c = 1; c < cells; c++) {
    // First distinct index whose preceding count reaches the c/K quantile.
    let b = lowerBound(runs.count, (c * n) / cells, 1, d);
    b = Math.min(Math.max(b, starts[c - 1]! + 1), d - (cells - c));
    starts[c] = b;
  }
  return starts;
}

function cellMeans(runs: Runs, starts: Int32Array): Float64Array {
  const d = runs.values.length;
  const means = new Float64Array(starts.length);
  for (let c = 0; c < starts.length; c++) {
    const s = starts[c]!;
    const e = c + 1 < starts.length ? starts[c + 1]! : d;
    means[c] = (runs.sum[e]! - runs.sum[s]!) / (runs.count[e]! - runs.count[s]!) + runs.offset;
  }
  return means;
}

function cellDistortion(runs: Runs, starts: Int32Array): number {
  const d = runs.values.length;
  let total = 0;
  for (let c = 0; c < starts.length; c++) {
    const s = starts[c]!;
    const e = c + 1 < starts.length ? starts[c + 1]! : d;
    const w = runs.count[e]! - runs.count[s]!;
    const sx = runs.sum[e]! - runs.sum[s]!;
    total += Math.max(0, runs.sumSquares[e]! - runs.sumSquares[s]! - (sx * sx) / w);
  }
  return total;
}

/** Nearest-centroid cells: boundary c is the first value at or above the midpoint of centroids c-1, c. */
function startsFromCentroids(values: Float64Array, centroids: Float64Array): Int32Array {
  const d = values.length;
  const starts: number[] = [0];
  for (let c = 1; c < centroids.length; c++) {
    const b = lowerBound(values, (centroids[c - 1]! + centroids[c]!) / 2, 0, d);
    if (b > starts[starts.length - 1]! && b < d) starts.push(b);
  }
  return Int32Array.from(starts);
}

/** First index i in [from, to) with array[i] >= target, or `to`. */
function lowerBound(array: Float64Array, target: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (array[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
