import { InvalidArgumentError } from '../errors/index.ts';

/**
 * Query-time knobs of the multi-level search. Defaults were chosen by measurement on MNIST,
 * Fashion-MNIST and GloVe-100 (`npm run bench`, docs/benchmarks.md and docs/search-parameters.md): they reach
 * recall@10 >= 0.95 on all three with and without filters.
 */
export interface SearchParameters {
  /**
   * Partitions are visited when their centroid distance (squared L2 in the reduced space) is at
   * most `nprobeFactor` times the nearest centroid's. Larger: more partitions, higher recall,
   * proportionally more compute and bytes read. Measured on GloVe-100 (cosine, 20 partitions):
   * 1.3 -> recall 0.956 visiting 6.4 partitions, 1.4 -> 0.980 visiting 9.6.
   * @default 1.4
   */
  readonly nprobeFactor: number;
  /**
   * At least this many partitions are visited (when the index has them), whatever the factor
   * rule says. Guards queries that sit between clusters.
   * @default 2
   */
  readonly minPartitions: number;
  /**
   * Share of a partition's (filter-matching) rows kept by the 1-bit Hamming pre-prune before the
   * OSQ scan. 1 disables the stage. Smaller: cheaper OSQ scan, risk of pruning true neighbours.
   * Off by default: measured on Fashion-MNIST, keeping 30% cost 2.4 points of unfiltered recall
   * and 11 points on a 10% label filter for a 1.4x faster scan (docs/benchmarks.md).
   * @default 1
   */
  readonly hammingKeep: number;
  /**
   * Rows re-ranked exactly per partition = `candidateFactor` x topK, chosen by the OSQ ADC
   * estimate. Larger: higher recall, more full-precision bytes read (one row = dim x 4 bytes).
   * @default 10
   */
  readonly candidateFactor: number;
  /**
   * A partition whose matching rows number at most this many skips the approximate stages and
   * measures every matching row exactly: cheaper and exact when a filter is selective.
   * @default 1000
   */
  readonly exactThreshold: number;
}

export const DEFAULT_SEARCH_PARAMETERS: SearchParameters = {
  nprobeFactor: 1.4,
  minPartitions: 2,
  hammingKeep: 1,
  candidateFactor: 10,
  exactThreshold: 1000,
};

const LIMITS: Record<keyof SearchParameters, { min: number; max: number; integer: boolean }> = {
  nprobeFactor: { min: 1, max: 1000, integer: false },
  minPartitions: { min: 1, max: 1_000_000, integer: true },
  hammingKeep: { min: 0.001, max: 1, integer: false },
  candidateFactor: { min: 1, max: 10_000, integer: false },
  exactThreshold: { min: 0, max: 100_000_000, integer: true },
};

/** Merges overrides onto the defaults, rejecting unknown keys and out-of-range values. */
export function resolveSearchParameters(
  overrides: Partial<SearchParameters> = {},
  base: SearchParameters = DEFAULT_SEARCH_PARAMETERS,
): SearchParameters {
  const resolved: Record<string, number> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const limit = LIMITS[key as keyof SearchParameters];
    if (limit === undefined) {
      throw new InvalidArgumentError(
        key,
        `unknown search parameter "${key}"; allowed: ${Object.keys(LIMITS).join(', ')}`,
      );
    }
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < limit.min ||
      value > limit.max ||
      (limit.integer && !Number.isInteger(value))
    ) {
      throw new InvalidArgumentError(
        key,
        `${key} is ${JSON.stringify(value)}; allowed: ${limit.integer ? 'an integer' : 'a number'} in [${limit.min}, ${limit.max}]`,
      );
    }
    resolved[key] = value;
  }
  return resolved as unknown as SearchParameters;
}
