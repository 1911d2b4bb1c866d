import { InvalidArgumentError } from '../errors/index.ts';

/**
 * Query-time knobs of the multi-level search. Defaults were chosen by measurement on MNIST,
 * Fashion-MNIST and GloVe-100 (`npm run bench`, docs/benchmarks.md and docs/search-parameters.md): they reach
 * recall@10 >= 0.95 on all three with and without filters.
 */
export interface SearchParameters {
  /**
   * `ip` indexes only (they have no partition distance bound, so no adaptive probe): partitions
   * are visited when their centroid distance is at most `nprobeFactor` times the nearest
   * centroid's. Larger: more partitions, higher recall, proportionally more compute and bytes.
   * `l2` and `cosine` indexes visit the `minPartitions` nearest and let `boundSlack` decide the
   * rest. (Measured on GloVe-100 before adaptive probing: 1.3 -> recall 0.956 visiting 6.4 of 20
   * partitions, 1.4 -> 0.980 visiting 9.6; on a 4x larger set 1.4 fell to 0.946.)
   * @default 1.4
   */
  readonly nprobeFactor: number;
  /**
   * Scale of the hyperplane lower bound in the adaptive top-up (`QueryPlan`): after the routed
   * partitions, a partition is visited while boundSlack x its bound is below the current k-th
   * distance. The recall knob of adaptive probing: 0 turns the hyperplane bound off (only the
   * exact but loose ball bound stops the probe: more partitions), larger stops earlier (fewer
   * partitions, lower recall). Measured unfiltered (recall@10, partitions visited): GloVe-100
   * 50k (20 partitions) 16 -> 0.994 / 12.1, 24 -> 0.977 / 8.8, 32 -> 0.962 / 7.0; the same
   * 4x larger (80 partitions) 16 -> 0.985 / 28, 24 -> 0.965 / 17, 32 -> 0.947 / 12.
   * @default 20
   */
  readonly boundSlack: number;
  /**
   * `boundSlack` for filtered queries. Smaller than `boundSlack`: a filter's matches can sit in
   * cells far from the query's, so the probe must go further before the bound says stop.
   * Measured on Fashion-MNIST (24 partitions; label 10%, score 1% / 10% / 50%, label AND score
   * 1%): 1 -> recall >= 0.998 visiting 11-18 partitions, 2 -> >= 0.997 visiting 7-11, 8 -> 0.83
   * on a 1% conjunction; GloVe-100 at 16 lost 3.4 points on a 1% filter.
   * @default 2
   */
  readonly filteredBoundSlack: number;
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
  boundSlack: 20,
  filteredBoundSlack: 2,
  minPartitions: 2,
  hammingKeep: 1,
  candidateFactor: 10,
  exactThreshold: 1000,
};

/**
 * Named settings, ordered by recall: each loosens every knob of the one before it (a later stop,
 * more partitions, more rows re-ranked per partition, a larger superset of fast-scan
 * candidates), so `accurate` does not fall below `default`, nor `default` below `fast` (the
 * sweep in docs/benchmarks.md shows recall and speed per dataset and filter).
 * - `fast`: an early stop and half the re-rank budget: fastest; recall 0.83-1.0 in the sweep.
 * - `default`: `DEFAULT_SEARCH_PARAMETERS`, recall@10 >= 0.95 with and without filters.
 * - `accurate`: a late stop, at least 3 partitions and twice the re-rank budget (recall
 *   0.995-1.0 in the sweep, 1.5-4x the time of `default`).
 */
export const SEARCH_PRESETS = {
  fast: { boundSlack: 48, filteredBoundSlack: 8, nprobeFactor: 1.1, minPartitions: 1, candidateFactor: 5 },
  default: {},
  accurate: {
    boundSlack: 10,
    filteredBoundSlack: 1,
    nprobeFactor: 1.6,
    minPartitions: 3,
    candidateFactor: 20,
  },
} as const satisfies Record<string, Partial<SearchParameters>>;

export type SearchPreset = keyof typeof SEARCH_PRESETS;

const LIMITS: Record<keyof SearchParameters, { min: number; max: number; integer: boolean }> = {
  nprobeFactor: { min: 1, max: 1000, integer: false },
  boundSlack: { min: 0, max: 1000, integer: false },
  filteredBoundSlack: { min: 0, max: 1000, integer: false },
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
