/**
 * Which rows of a row-major matrix a statistic uses, and with what weight. Shared by
 * `meanRows`, `covariance` and `secondMoment`, so a caller can compute statistics of a sample (or
 * of one partition) without copying it.
 */
export interface RowSelectionOptions {
  /**
   * Indices of the rows to use; a repeated index counts as often as it appears.
   * @default every row, 0..n-1
   */
  readonly rowIds?: Uint32Array;
  /**
   * Multiplies used row k (indexed like `rowIds`) by `rowScales[k]` before it enters the
   * statistic, e.g. 1 / ||x|| to get the statistics of unit vectors without a normalised copy.
   * @default 1 for every row
   */
  readonly rowScales?: Float64Array;
}
