import type { Metric } from '../distance/metric.ts';

/**
 * How the projections were fitted.
 * - `id` (LeanVec-ID, in-distribution): one orthonormal projection for data and queries, the
 *   top eigenvectors of the data's covariance (`l2`) or second moment (`ip`, `cosine`). Right when
 *   queries look like the data.
 * - `ood` (LeanVec-OOD, out-of-distribution): separate query and data projections fitted to a
 *   sample of queries, for `ip` / `cosine` when queries come from another distribution (text
 *   queries against image embeddings, say).
 */
export type LeanVecKind = 'id' | 'ood';

/**
 * A fitted LeanVec dimensionality reduction (Tepper et al., "LeanVec: Searching vectors faster
 * by making them fit", 2023): D-dimensional vectors become d-dimensional ones whose distances
 * rank approximately like the originals, so search and quantization work on d dims and only the
 * final re-rank touches full vectors.
 *
 * A plain object: `leanVecToJSON` / `leanVecFromJSON` store and restore it exactly.
 *
 * What the projections compute (P = dataProjection, A = queryProjection, both D x d):
 * - `l2`: y = (x - mean) P and z = (q - mean) P; ||z - y||^2 approximates ||q - x||^2.
 * - `ip`: y = x P, z = q A; z . y approximates q . x.
 * - `cosine`: as `ip` on unit vectors: y = (x / ||x||) P, z = (q / ||q||) A, so z . y
 *   approximates cos(q, x). A zero vector stays zero (distance 1 to everything, as in `Metric`).
 * Search the reduced vectors with `reducedMetric(model)` (the same metric; see there for why).
 */
export interface LeanVecModel {
  readonly kind: LeanVecKind;
  /** The metric of the full vectors this model was fitted for. */
  readonly metric: Metric;
  /** D: dimensions of the vectors given to `projectData` / `projectQuery`. */
  readonly inputDim: number;
  /** d: dimensions of the projected vectors, 1..inputDim. */
  readonly outputDim: number;
  /**
   * `l2`: the data mean (float64), subtracted from data and queries before projection.
   * `ip` / `cosine`: null. Subtracting a fixed vector from the data would change every inner
   * product of one query by the same amount, so no ranking would change; leaving it out keeps
   * z . y an estimate of q . x itself. (The projection is still fitted on the uncentred second
   * moment, which is what preserves inner products: see `metricMomentImpl`.)
   */
  readonly mean: number[] | null;
  /** P: D x d row-major, orthonormal columns (for both kinds). */
  readonly dataProjection: Float32Array;
  /** A: D x d row-major. For `id` the same array as `dataProjection`. */
  readonly queryProjection: Float32Array;
}

/**
 * The metric to search projected vectors with: the model's own metric.
 *
 * For `cosine` that means the cosine of the projected vectors, not their inner product, although
 * the projection was fitted for the inner product of unit vectors: dividing z . y by ||y|| (the
 * length of what the projection kept of a unit row) stops rows that lie mostly outside the
 * subspace from being pushed down the ranking merely because little of them was kept. On
 * GloVe-100 (50,000 rows, d = 50, 200 held-out queries, exact re-rank of the reduced top 50 /
 * 200) recall@10 was 0.77 / 0.95 with the reduced cosine against 0.74 / 0.92 with the reduced
 * inner product, for LeanVec-ID and LeanVec-OOD alike.
 */
export function reducedMetric(model: Pick<LeanVecModel, 'metric'>): Metric {
  return model.metric;
}
