import type { AttributeColumns } from '../attributes/attribute-columns.ts';
import { quantizeAttributes } from '../attributes/quantized-attributes.ts';
import { assertMetric, type Metric } from '../distance/metric.ts';
import { l2Impl } from '../distance/reference-kernels.ts';
import { DimensionMismatchError, InvalidArgumentError } from '../errors/index.ts';
import { balancedKMeans } from '../kmeans/balanced-kmeans.ts';
import { fitLeanVec, type LeanVecQuerySample } from '../leanvec/fit-leanvec.ts';
import { reducedMetric } from '../leanvec/leanvec-model.ts';
import { projectData } from '../leanvec/leanvec-projection.ts';
import { encodeOsq, trainOsq } from '../osq/index.ts';
import type { PartitionData } from './partition-data.ts';
import { sliceColumns } from './slice-columns.ts';
import { VectorIndex } from './vector-index.ts';

export interface BuildIndexOptions {
  readonly metric: Metric;
  /**
   * Number of partitions (balanced k-means). More partitions: smaller units to load and scan per
   * query, more routing work and more invocations in the serverless path.
   * @default max(1, min(256, round(n / 2500)))
   */
  readonly partitions?: number;
  /**
   * LeanVec output dimension d. Smaller: cheaper codes and scans, more re-ranking needed.
   * @default D when D <= 128 (measured: reducing GloVe-100 to 64 dims cost 4 points of recall
   * at the same routing), else max(64, round(D / 12)) (784-d MNIST pixels keep recall >= 0.98
   * at 65 dims)
   */
  readonly leanvecDim?: number;
  /** OSQ bit budget per reduced dimension (budget per vector = bitsPerDim x d). @default 4 */
  readonly bitsPerDim?: number;
  /**
   * Most bits the OSQ allocation gives one dimension. At 4 every dimension's code fits one 4-bit
   * fast-scan group, so the fast scan reads the OSQ code itself and its survivors need no
   * refinement; above 4 the high-variance dimensions get finer cells, the fast scan reads their
   * top 4 bits only and the full OSQ ADC re-orders 4 x the candidates (a 256-entry table per code
   * byte per query and partition).
   * @default 4, or 8 when `bitsPerDim` is above 4
   */
  readonly maxBitsPerDim?: number;
  /** Seed for every random choice of the build. @default 0 */
  readonly seed?: number;
  /** A sample of queries: enables LeanVec-OOD for `ip` / `cosine`. */
  readonly queries?: LeanVecQuerySample;
  /** Raw attribute values of the n rows (filterable). */
  readonly attributes?: AttributeColumns;
}

/** @see BuildIndexOptions.maxBitsPerDim */
export const DEFAULT_MAX_BITS_PER_DIM = 4;

/** Defaults for a build of n rows of dimension D (see `BuildIndexOptions`). */
export function defaultBuildParameters(n: number, dim: number): { partitions: number; leanvecDim: number } {
  return {
    partitions: Math.max(1, Math.min(256, Math.round(n / 2500))),
    leanvecDim: dim <= 128 ? dim : Math.max(64, Math.round(dim / 12)),
  };
}

/**
 * Builds an in-memory index: LeanVec fit and projection, balanced k-means on the reduced rows,
 * then per partition an OSQ quantizer, codes, full-precision rows and raw attributes; globally
 * the centroids, partition membership and quantized attribute codes used for routing.
 * Deterministic for a seed.
 */
export function buildIndex(
  vectors: Float32Array,
  n: number,
  dim: number,
  options: BuildIndexOptions,
): VectorIndex {
  const metric = assertMetric(options.metric);
  validateShape(vectors, n, dim, options.attributes);
  const defaults = defaultBuildParameters(n, dim);
  const partitions = options.partitions ?? defaults.partitions;
  const leanvecDim = options.leanvecDim ?? defaults.leanvecDim;
  const bitsPerDim = options.bitsPerDim ?? 4;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(bitsPerDim) || bitsPerDim < 1 || bitsPerDim > 8) {
    throw new InvalidArgumentError('bitsPerDim', `bitsPerDim is ${bitsPerDim}; allowed: an integer 1..8`);
  }
  const leanvec = fitLeanVec(vectors, n, dim, {
    metric,
    outputDim: leanvecDim,
    seed,
    ...(options.queries === undefined ? {} : { queries: options.queries }),
  });
  const reduced = projectData(leanvec, vectors, n);
  const kmeans = balancedKMeans(reduced, n, leanvecDim, { partitions, seed });
  const members = groupRows(kmeans.assignments, partitions);
  const partitionData: PartitionData[] = [];
  for (let p = 0; p < partitions; p++) {
    const rowIds = members[p]!;
    const partReduced = gatherRows(reduced, leanvecDim, rowIds);
    const quantizer = trainOsq(partReduced, rowIds.length, leanvecDim, {
      metric: reducedMetric(leanvec),
      bitsPerVector: bitsPerDim * leanvecDim,
      maxBitsPerDim:
        options.maxBitsPerDim ?? (bitsPerDim <= DEFAULT_MAX_BITS_PER_DIM ? DEFAULT_MAX_BITS_PER_DIM : 8),
      seed: seed + p,
    });
    partitionData.push({
      partitionId: p,
      metric,
      rowIds,
      dim,
      vectors: gatherRows(vectors, dim, rowIds),
      quantizer,
      codes: encodeOsq(quantizer, partReduced, rowIds.length),
      attributes: options.attributes === undefined ? undefined : sliceColumns(options.attributes, rowIds),
    });
  }
  return new VectorIndex({
    metric,
    dim,
    count: n,
    leanvec,
    centroids: kmeans.centroids,
    radii: partitionRadii(reduced, leanvecDim, kmeans.centroids, kmeans.assignments, partitions),
    membership: kmeans.assignments,
    partitions: partitionData,
    attributes: options.attributes,
    quantizedAttributes:
      options.attributes === undefined ? undefined : quantizeAttributes(options.attributes, { seed }),
    buildParameters: { partitions, leanvecDim, bitsPerDim, seed },
  });
}

function validateShape(
  vectors: Float32Array,
  n: number,
  dim: number,
  attributes: AttributeColumns | undefined,
): void {
  if (!Number.isInteger(dim) || dim < 1)
    throw new InvalidArgumentError('dim', `dim is ${dim}; allowed: an integer >= 1`);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('n', `n is ${n}; allowed: an integer >= 1`);
  if (vectors.length !== n * dim) {
    throw new DimensionMismatchError(
      n * dim,
      vectors.length,
      `vectors hold ${vectors.length} values; expected n x dim = ${n * dim}`,
    );
  }
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i]!)) {
      throw new InvalidArgumentError(
        'vectors',
        `row ${Math.floor(i / dim)} holds ${vectors[i]}; allowed: finite numbers`,
      );
    }
  }
  if (attributes !== undefined && attributes.rowCount !== n) {
    throw new InvalidArgumentError(
      'attributes',
      `attributes describe ${attributes.rowCount} rows; the vectors have ${n}`,
    );
  }
}

/** Global row ids per partition, ascending within each. */
export function groupRows(assignments: Uint32Array, partitions: number): Uint32Array[] {
  const sizes = new Uint32Array(partitions);
  for (let i = 0; i < assignments.length; i++) sizes[assignments[i]!]!++;
  const groups = Array.from({ length: partitions }, (_, p) => new Uint32Array(sizes[p]!));
  const fill = new Uint32Array(partitions);
  for (let i = 0; i < assignments.length; i++) {
    const p = assignments[i]!;
    groups[p]![fill[p]!++] = i;
  }
  return groups;
}

/** Copies the given rows of a row-major matrix into a new dense matrix. */
export function gatherRows(data: Float32Array, dim: number, rowIds: Uint32Array): Float32Array {
  const out = new Float32Array(rowIds.length * dim);
  for (let j = 0; j < rowIds.length; j++) {
    const start = rowIds[j]! * dim;
    out.set(data.subarray(start, start + dim), j * dim);
  }
  return out;
}

/** Largest L2 distance (not squared) from each centroid to one of its rows. */
export function partitionRadii(
  reduced: Float32Array,
  dim: number,
  centroids: Float32Array,
  assignments: Uint32Array,
  partitions: number,
): Float32Array {
  const radii = new Float32Array(partitions);
  for (let i = 0; i < assignments.length; i++) {
    const p = assignments[i]!;
    const distance = Math.sqrt(l2Impl(reduced, i * dim, centroids, p * dim, dim));
    if (distance > radii[p]!) radii[p] = Math.fround(distance * (1 + 1e-6)) + 1e-6;
  }
  return radii;
}
