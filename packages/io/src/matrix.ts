import { InvalidArgumentError } from '@squash/errors';

/** A whole matrix: `n` rows of `dim` values, row-major. */
export interface Matrix<T> {
  readonly data: T;
  readonly n: number;
  readonly dim: number;
}

/** One batch of a streamed file: rows `firstRow .. firstRow + n - 1` of the file. */
export interface MatrixBatch<T> extends Matrix<T> {
  readonly firstRow: number;
}

export interface StreamOptions {
  /**
   * Rows per yielded batch. Memory stays near `batchRows` rows (plus a 64 KiB read buffer);
   * larger batches mean fewer, bigger allocations. @default 4096
   */
  readonly batchRows?: number;
}

export const DEFAULT_BATCH_ROWS = 4096;

/** Validates `batchRows` once at the boundary of every streaming reader. */
export function checkBatchRows(batchRows: number | undefined): number {
  const rows = batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isSafeInteger(rows) || rows < 1) {
    throw new InvalidArgumentError('batchRows', `batchRows is ${rows}; expected a positive integer`);
  }
  return rows;
}
