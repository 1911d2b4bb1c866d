import type { SeededRandom } from '../random/seeded-random.ts';
import type { SampleScanner } from './sample-scanner.ts';

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first centroid is a uniform pick, each
 * next one is a row drawn with probability proportional to its squared distance to the nearest
 * centroid chosen so far. Expected inertia is O(log k) of optimal before any Lloyd iteration.
 *
 * Cost: k passes over the m rows, O(k * m * dim). Each pick depends on the previous one, so the
 * passes cannot be blocked like the Lloyd assignment; keep `m` to a training sample.
 *
 * When every remaining row coincides with a chosen centroid (total weight 0, e.g. data with fewer
 * distinct rows than k), the next pick is uniform among rows not yet chosen, so k distinct row
 * indices are always returned (k <= m is the caller's contract).
 *
 * `data` is the m x dim sample and `scanner` measures squared L2 from a query to all its rows.
 * Returns the k centroids, k x dim.
 */
export function kMeansPlusPlusImpl(
  data: Float32Array,
  m: number,
  dim: number,
  k: number,
  random: SeededRandom,
  scanner: SampleScanner,
): Float32Array {
  const centroids = new Float32Array(k * dim);
  const chosen = new Uint8Array(m);
  const nearest = new Float32Array(m).fill(Number.POSITIVE_INFINITY);
  const latest = new Float32Array(m);
  let row = random.nextInt(m);
  for (let c = 0; c < k; c++) {
    if (c > 0) row = pickWeighted(nearest, chosen, c, random);
    chosen[row] = 1;
    const centroid = centroids.subarray(c * dim, (c + 1) * dim);
    centroid.set(data.subarray(row * dim, (row + 1) * dim));
    scanner.distancesToAll(centroid, latest);
    for (let i = 0; i < m; i++) if (latest[i]! < nearest[i]!) nearest[i] = latest[i]!;
  }
  return centroids;
}

/** A row drawn with probability proportional to `weights`, or uniform among unchosen rows. */
function pickWeighted(
  weights: Float32Array,
  chosen: Uint8Array,
  chosenCount: number,
  random: SeededRandom,
): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (chosen[i] === 0) total += weights[i]!;
  if (total > 0) {
    const target = random.nextFloat() * total;
    let cumulative = 0;
    let last = -1;
    for (let i = 0; i < weights.length; i++) {
      if (chosen[i] !== 0 || weights[i]! <= 0) continue;
      cumulative += weights[i]!;
      last = i;
      if (cumulative > target) return i;
    }
    // Rounding can leave `cumulative` a hair under `target`; the last weighted row is the answer.
    return last;
  }
  let skip = random.nextInt(weights.length - chosenCount);
  for (let i = 0; i < weights.length; i++) {
    if (chosen[i] !== 0) continue;
    if (skip === 0) return i;
    skip--;
  }
  throw new Error('unreachable: k-means++ asked for more centroids than rows');
}
