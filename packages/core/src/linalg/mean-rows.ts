import { InvalidArgumentError } from '../errors/index.ts';
import { assertRowMatrix, assertRowSelection } from './matrix-validation.ts';
import type { RowSelectionOptions } from './row-selection.ts';

/**
 * The mean of the used rows of `data` (n x dim, row-major), in float64: the centre that
 * `covariance` subtracts and LeanVec stores for `l2`.
 *
 * @throws InvalidArgumentError when `data` is not n x dim finite values, a row id is out of range,
 *   `rowScales` does not match the used rows, or no row is used (`rowIds` empty).
 */
export function meanRows(
  data: Float32Array,
  n: number,
  dim: number,
  options: RowSelectionOptions = {},
): Float64Array {
  assertRowMatrix('data', data, n, dim);
  assertRowSelection(n, options.rowIds, options.rowScales);
  const count = options.rowIds === undefined ? n : options.rowIds.length;
  if (count === 0) throw new InvalidArgumentError('rowIds', 'rowIds is empty; allowed: at least one row');
  return meanRowsImpl(data, dim, options.rowIds, count, options.rowScales);
}

/** `meanRows` without validation. */
export function meanRowsImpl(
  data: Float32Array,
  dim: number,
  rowIds: Uint32Array | undefined,
  count: number,
  rowScales: Float64Array | undefined,
): Float64Array {
  const mean = new Float64Array(dim);
  for (let k = 0; k < count; k++) {
    const offset = (rowIds === undefined ? k : rowIds[k]!) * dim;
    const scale = rowScales === undefined ? 1 : rowScales[k]!;
    for (let i = 0; i < dim; i++) mean[i] = mean[i]! + data[offset + i]! * scale;
  }
  for (let i = 0; i < dim; i++) mean[i] = mean[i]! / count;
  return mean;
}
