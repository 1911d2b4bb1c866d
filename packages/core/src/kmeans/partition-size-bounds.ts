/** Inclusive bounds on the number of rows in each partition. */
export interface PartitionSizeBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Size bounds for `partitions` balanced partitions of `n` rows: every size lies within
 * `(1 +- tolerance) * n / partitions`, rounded inwards to integers (ceil of the lower, floor of
 * the upper bound).
 *
 * Rounding inwards can make the bounds infeasible when n / partitions is small (n = 5,
 * partitions = 3, tolerance 0.1 gives [ceil(1.5), floor(1.83)] = [2, 1]). So the lower bound is
 * never above floor(n / P) and the upper never below ceil(n / P); then
 * P * min <= n <= P * max always holds and some assignment meets the bounds. With tolerance 0
 * the sizes are exactly floor or ceil of n / P.
 *
 * A relative epsilon absorbs float error in `(1 +- t) * n / P` (1.1 * 100 is 110.00000000000001).
 */
export function partitionSizeBounds(n: number, partitions: number, tolerance: number): PartitionSizeBounds {
  const mean = n / partitions;
  const epsilon = 1e-9 * Math.max(1, mean);
  const lower = Math.ceil((1 - tolerance) * mean - epsilon);
  const upper = Math.floor((1 + tolerance) * mean + epsilon);
  return {
    min: Math.max(0, Math.min(lower, Math.floor(mean))),
    max: Math.max(upper, Math.ceil(mean)),
  };
}
